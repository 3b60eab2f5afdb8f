//! Risk levels: Identity Protection's user and sign-in risk, and insider risk.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    #[default]
    None,
    Low,
    Medium,
    High,
}

/// Graph `insiderRiskLevel` of a user (Microsoft Purview Insider Risk
/// Management through Adaptive Protection); `none` when the user has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum InsiderRisk {
    #[default]
    None,
    Minor,
    Moderate,
    Elevated,
}

impl InsiderRisk {
    pub const ALL: [InsiderRisk; 4] =
        [InsiderRisk::None, InsiderRisk::Minor, InsiderRisk::Moderate, InsiderRisk::Elevated];
    pub const NAMES: [&'static str; 4] = ["none", "minor", "moderate", "elevated"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<InsiderRisk> {
        let t = text.trim();
        Self::ALL.into_iter().find(|r| r.name().eq_ignore_ascii_case(t))
    }
}
