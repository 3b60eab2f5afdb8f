//! Named locations and the location (network) condition (R-CA-1): IPv4 and
//! IPv6 CIDR ranges, countries, trusted locations, `All`, `AllTrusted` and the
//! MFA trusted IPs. CIDR matching is done here (a prefix compare on the
//! address bits) rather than with a crate: it is a dozen lines.

use std::net::IpAddr;

/// The id Graph gives the "MFA trusted IPs" location.
pub const MFA_TRUSTED_IPS: &str = "00000000-0000-0000-0000-000000000000";

/// An address range such as `203.0.113.0/24` or `2001:db8::/32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub network: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// Parses `address/prefix`; a bare address is a single-host range.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr =
            addr.parse().map_err(|_| format!("`{text}` is not a CIDR range; expected e.g. 203.0.113.0/24"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be a whole number from 0 to {max}"))?,
        };
        Ok(IpRange { network, prefix })
    }

    /// Whether `ip` lies in the range (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            _ => false,
        }
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Whether the first `prefix` bits of `a` and `b` are equal.
fn same_prefix(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

#[derive(Debug, Clone, PartialEq)]
pub enum LocationKind {
    Ip(Vec<IpRange>),
    /// ISO 3166 two-letter codes, uppercase.
    Countries {
        codes: Vec<String>,
        include_unknown: bool,
        by_gps: bool,
    },
    /// Graph `compliantNetworkNamedLocation` ("All Compliant Network
    /// Locations", created by Global Secure Access): sign-ins through the
    /// tenant's Global Secure Access client.
    CompliantNetwork,
}

/// A named location (Graph `ipNamedLocation` / `countryNamedLocation`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedLocation {
    /// The GUID policies name it by (lowercase).
    pub id: String,
    pub name: String,
    pub trusted: bool,
    pub kind: LocationKind,
}

impl NamedLocation {
    /// Whether a sign-in from `ip` in `country` comes from this location.
    /// Countries are looked up from the sign-in's country (GPS lookups are
    /// treated like IP lookups: casim has no GPS).
    pub fn contains(&self, at: Whereabouts) -> bool {
        let Whereabouts { ip, country, compliant_network } = at;
        match &self.kind {
            LocationKind::CompliantNetwork => compliant_network,
            LocationKind::Ip(ranges) => ranges.iter().any(|r| r.contains(ip)),
            LocationKind::Countries { codes, include_unknown, .. } => match country {
                Some(c) => codes.iter().any(|code| code.eq_ignore_ascii_case(c)),
                None => *include_unknown,
            },
        }
    }

    pub fn is_mfa_trusted_ips(&self) -> bool {
        self.id == MFA_TRUSTED_IPS
    }
}

/// Where a sign-in comes from, as the location condition sees it.
#[derive(Debug, Clone, Copy)]
pub struct Whereabouts<'a> {
    pub ip: IpAddr,
    /// Two-letter country, when known.
    pub country: Option<&'a str>,
    /// Through Global Secure Access from the tenant's compliant network
    /// (false unless a device or What If says so).
    pub compliant_network: bool,
}

/// An entry of a policy's location condition.
#[derive(Debug, Clone, PartialEq)]
pub enum LocationRef {
    /// Any network or location.
    All,
    /// Locations marked trusted, and the MFA trusted IPs.
    AllTrusted,
    /// A named location by id (the MFA trusted IPs have the all-zero id). An
    /// id no named location has matches nothing.
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocationCondition {
    pub include: Vec<LocationRef>,
    pub exclude: Vec<LocationRef>,
}

impl LocationCondition {
    /// Include matches and no exclude does.
    pub fn matches(&self, at: Whereabouts, named: &[NamedLocation]) -> bool {
        let hit = |r: &LocationRef| location_ref_matches(r, at, named);
        self.include.iter().any(hit) && !self.exclude.iter().any(hit)
    }
}

fn location_ref_matches(r: &LocationRef, at: Whereabouts, named: &[NamedLocation]) -> bool {
    match r {
        LocationRef::All => true,
        LocationRef::AllTrusted => named.iter().any(|l| (l.trusted || l.is_mfa_trusted_ips()) && l.contains(at)),
        LocationRef::Named(id) => named.iter().any(|l| l.id.eq_ignore_ascii_case(id) && l.contains(at)),
    }
}

/// Whether `text` is an ISO 3166 style two-letter code.
pub fn is_country_code(text: &str) -> bool {
    text.len() == 2 && text.chars().all(|c| c.is_ascii_alphabetic())
}

/// Adds imported named locations whose id the scenario does not define.
pub fn merge_locations(into: &mut Vec<NamedLocation>, more: Vec<NamedLocation>) {
    for l in more {
        if !into.iter().any(|x| x.id == l.id) {
            into.push(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn ipv4_ranges_match_on_the_prefix() {
        let r = IpRange::parse("203.0.113.0/24").expect("valid");
        assert!(r.contains(ip("203.0.113.7")));
        assert!(r.contains(ip("203.0.113.255")));
        assert!(!r.contains(ip("203.0.114.1")));
        let odd = IpRange::parse("12.34.221.11/22").expect("valid");
        assert!(odd.contains(ip("12.34.220.0")));
        assert!(odd.contains(ip("12.34.223.255")));
        assert!(!odd.contains(ip("12.34.224.0")));
        assert!(IpRange::parse("0.0.0.0/0").expect("valid").contains(ip("198.51.100.1")));
        assert!(IpRange::parse("198.51.100.9").expect("host").contains(ip("198.51.100.9")));
    }

    #[test]
    fn ipv6_ranges_match_and_families_do_not_mix() {
        let r = IpRange::parse("2001:db8:abcd::/48").expect("valid");
        assert!(r.contains(ip("2001:db8:abcd:12::1")));
        assert!(!r.contains(ip("2001:db8:abce::1")));
        assert!(!r.contains(ip("203.0.113.7")));
        let v4 = IpRange::parse("203.0.113.0/24").expect("valid");
        assert!(v4.contains(ip("::ffff:203.0.113.7")), "IPv4-mapped addresses are IPv4");
        assert!(IpRange::parse("2001:0:9d38:90d6:0:0:0:0/63").expect("valid").contains(ip("2001:0:9d38:90d7::1")));
    }

    #[test]
    fn bad_ranges_are_refused() {
        for bad in ["203.0.113.0/33", "2001:db8::/129", "nonsense/8", "203.0.113.0/x", "10.0.0.0/-1"] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }

    fn at(text: &str, country: Option<&'static str>) -> Whereabouts<'static> {
        Whereabouts { ip: ip(text), country, compliant_network: false }
    }

    #[test]
    fn compliant_network_locations_match_gsa_sign_ins_only() {
        let gsa = NamedLocation {
            id: "c".into(),
            name: "All Compliant Network Locations".into(),
            trusted: false,
            kind: LocationKind::CompliantNetwork,
        };
        let cond = LocationCondition { include: vec![LocationRef::All], exclude: vec![LocationRef::Named("c".into())] };
        let named = vec![gsa];
        assert!(cond.matches(at("192.0.2.5", None), &named));
        let through_gsa = Whereabouts { compliant_network: true, ..at("192.0.2.5", None) };
        assert!(!cond.matches(through_gsa, &named));
    }

    fn locations() -> Vec<NamedLocation> {
        vec![
            NamedLocation {
                id: "a".into(),
                name: "HQ".into(),
                trusted: true,
                kind: LocationKind::Ip(vec![IpRange::parse("203.0.113.0/24").expect("valid")]),
            },
            NamedLocation {
                id: "b".into(),
                name: "Blocked".into(),
                trusted: false,
                kind: LocationKind::Countries { codes: vec!["KP".into()], include_unknown: true, by_gps: false },
            },
            NamedLocation {
                id: MFA_TRUSTED_IPS.into(),
                name: "MFA trusted IPs".into(),
                trusted: false,
                kind: LocationKind::Ip(vec![IpRange::parse("198.51.100.0/24").expect("valid")]),
            },
        ]
    }

    #[test]
    fn all_trusted_covers_trusted_locations_and_mfa_trusted_ips() {
        let named = locations();
        let cond = LocationCondition { include: vec![LocationRef::All], exclude: vec![LocationRef::AllTrusted] };
        assert!(!cond.matches(at("203.0.113.5", Some("US")), &named));
        assert!(!cond.matches(at("198.51.100.5", Some("US")), &named));
        assert!(cond.matches(at("192.0.2.5", Some("US")), &named));
    }

    #[test]
    fn countries_and_unknown_countries() {
        let named = locations();
        let cond = LocationCondition { include: vec![LocationRef::Named("b".into())], exclude: vec![] };
        assert!(cond.matches(at("192.0.2.5", Some("kp")), &named));
        assert!(!cond.matches(at("192.0.2.5", Some("FR")), &named));
        assert!(cond.matches(at("192.0.2.5", None), &named), "unknown country included");
        let missing = LocationCondition { include: vec![LocationRef::Named("nope".into())], exclude: vec![] };
        assert!(!missing.matches(at("192.0.2.5", None), &named));
    }
}
