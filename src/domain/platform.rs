//! Device platforms, and the entries of a policy's platform condition.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum Platform {
    #[default]
    #[serde(rename = "windows")]
    Windows,
    #[serde(rename = "macOS")]
    MacOs,
    #[serde(rename = "iOS")]
    Ios,
    #[serde(rename = "android")]
    Android,
    #[serde(rename = "linux")]
    Linux,
}

pub enum PlatformEntry {
    All,
    One(Platform),
    WindowsPhone,
}

impl Platform {
    /// The name scenarios write (`platform: macOS`).
    pub fn name(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::MacOs => "macOS",
            Platform::Ios => "iOS",
            Platform::Android => "android",
            Platform::Linux => "linux",
        }
    }
}

pub fn parse_platform(text: &str) -> Option<PlatformEntry> {
    Some(match text.to_ascii_lowercase().as_str() {
        "all" => PlatformEntry::All,
        "windows" => PlatformEntry::One(Platform::Windows),
        "macos" => PlatformEntry::One(Platform::MacOs),
        "ios" => PlatformEntry::One(Platform::Ios),
        "android" => PlatformEntry::One(Platform::Android),
        "linux" => PlatformEntry::One(Platform::Linux),
        "windowsphone" => PlatformEntry::WindowsPhone,
        _ => return None,
    })
}
