//! Deterministic identifiers (R-DET-1): everything that looks random is a hash
//! of the scenario's seed and a stable input, never the clock.

use std::net::{IpAddr, Ipv4Addr};

/// splitmix64 finaliser: a good 64-bit mix of `x`.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hash of the seed, a purpose tag (so that different kinds of ids never
/// collide) and a value.
pub fn hash(seed: u64, purpose: u64, value: u64) -> u64 {
    mix(mix(seed ^ mix(purpose)) ^ value)
}

/// FNV-1a of a string, to feed names into `hash`.
pub fn of_str(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A GUID-shaped id (version 4 layout) from 128 deterministic bits.
pub fn guid(seed: u64, purpose: u64, value: u64) -> String {
    let hi = hash(seed, purpose, value);
    let lo = hash(seed, purpose ^ 0x5555, value);
    // The 32 hex digits written by hand: every sign-in record carries
    // several, and `format!` of five hex fields was a fifth of `casim logs`.
    let digits: [(u64, usize); 5] = [
        (hi >> 32, 8),
        ((hi >> 16) & 0xffff, 4),
        (0x4000 | (hi & 0x0fff), 4),
        ((lo >> 48) & 0x3fff | 0x8000, 4),
        (lo & 0xffff_ffff_ffff, 12),
    ];
    let mut out = String::with_capacity(36);
    for (i, (value, width)) in digits.into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        for shift in (0..width).rev() {
            let nibble = ((value >> (4 * shift)) & 0xf) as u32;
            out.push(char::from_digit(nibble, 16).unwrap_or('0'));
        }
    }
    out
}

/// A documentation-range IPv4 address (RFC 5737) for a device without `ip:`.
pub fn documentation_ip(seed: u64, device: &str) -> IpAddr {
    let h = hash(seed, 7, of_str(device));
    let prefix = [[192, 0, 2], [198, 51, 100], [203, 0, 113]][(h % 3) as usize];
    IpAddr::V4(Ipv4Addr::new(prefix[0], prefix[1], prefix[2], 1 + ((h >> 8) % 254) as u8))
}

/// Standard base64 of 16 deterministic bytes (Graph's `uniqueTokenIdentifier` shape).
pub fn token_identifier(seed: u64, value: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes: Vec<u8> = [hash(seed, 11, value), hash(seed, 12, value)].iter().flat_map(|w| w.to_be_bytes()).collect();
    let mut out = String::with_capacity(22);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_the_version_4_layout_of_their_hash() {
        let (hi, lo) = (hash(1, 2, 3), hash(1, 2 ^ 0x5555, 3));
        let expected = format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0x0fff,
            (lo >> 48) & 0x3fff | 0x8000,
            lo & 0xffff_ffff_ffff
        );
        assert_eq!(guid(1, 2, 3), expected);
        assert_eq!(guid(0, 0, 0).len(), 36);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(guid(1, 2, 3), guid(1, 2, 3));
        assert_ne!(guid(1, 2, 3), guid(2, 2, 3));
        assert_ne!(guid(1, 2, 3), guid(1, 3, 3));
        let g = guid(0, 0, 0);
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
    }

    #[test]
    fn default_ips_are_in_documentation_ranges() {
        for name in ["laptop", "pc", "phone", "x"] {
            let ip = documentation_ip(0, name).to_string();
            assert!(
                ip.starts_with("192.0.2.") || ip.starts_with("198.51.100.") || ip.starts_with("203.0.113."),
                "{ip}"
            );
        }
    }

    #[test]
    fn token_identifiers_are_22_base64url_characters() {
        let t = token_identifier(5, 9);
        assert_eq!(t.len(), 22);
        assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
