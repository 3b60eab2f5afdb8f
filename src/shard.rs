//! Users split into N shards by a stable hash of their id, so that N runs
//! (`--shard 1/N` … `--shard N/N`) cover every user exactly once (issue 14;
//! docs/scale.md). The hash is 64-bit FNV-1a over the id's bytes in ASCII
//! lower case, and a user is in shard `hash mod N + 1`: a few lines in any
//! language, so a Spark job can partition records the same way.

use std::fmt;

/// One of `count` shards, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// The most shards a run may be split into.
pub const MAX_SHARDS: u32 = 1 << 20;

impl Shard {
    /// The whole population: one shard of one.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// `K/N`, with 1 ≤ K ≤ N ≤ `MAX_SHARDS`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let Some((k, n)) = text.split_once('/') else {
            return Err(format!("`{text}` is not a shard: expected K/N, e.g. 3/8 (the 3rd of 8 shards)"));
        };
        let number = |s: &str, what: &str| {
            s.trim().parse::<u32>().map_err(|_| format!("`{s}` in `{text}` is not a whole number ({what})"))
        };
        let (index, count) = (number(k, "the shard, K")?, number(n, "the number of shards, N")?);
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("`{text}`: the number of shards must be from 1 to {MAX_SHARDS}"));
        }
        if index == 0 || index > count {
            return Err(format!("`{text}`: shards are numbered from 1 to {count}, so K must be one of them"));
        }
        Ok(Shard { index, count })
    }

    /// Whether the user with this id (their object id when known) is in this shard.
    pub fn holds(&self, id: &str) -> bool {
        self.count == 1 || shard_of(id, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (1..=count) of a user id.
pub fn shard_of(id: &str, count: u32) -> u32 {
    (hash(id) % u64::from(count.max(1))) as u32 + 1
}

/// FNV-1a's starting value (its offset basis).
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a of the id's bytes, ASCII letters in lower case.
pub fn hash(id: &str) -> u64 {
    id.bytes().fold(FNV_OFFSET, |h, b| fnv_step(h, b.to_ascii_lowercase()))
}

/// 64-bit FNV-1a of `bytes`, continued from `h` (`FNV_OFFSET` to start).
pub fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| fnv_step(h, b))
}

fn fnv_step(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs_are_read_and_bad_ones_refused() {
        assert_eq!(Shard::parse("3/7"), Ok(Shard { index: 3, count: 7 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard::ALL));
        for bad in ["3/2", "0/0", "0/4", "1/0", "a/2", "2", "1/2/3", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_hash_is_fnv_1a_and_ignores_case() {
        // The FNV-1a test vectors: "" and "a".
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("Ann@Contoso.com"), hash("ann@contoso.com"));
    }

    #[test]
    fn every_user_is_in_exactly_one_shard() {
        for count in [1, 2, 7] {
            for n in 0..200 {
                let id = format!("user-{n}");
                let holders = (1..=count).filter(|&k| Shard { index: k, count }.holds(&id)).count();
                assert_eq!(holders, 1, "{id} of {count}");
            }
        }
    }
}
