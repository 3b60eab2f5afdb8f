//! A device: its join type, platform, compliance, browser and address.

use serde::Deserialize;

use super::{Join, Platform, UserIdx};

#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub owner: UserIdx,
    pub join: Join,
    pub platform: Platform,
    pub compliant: bool,
    pub sign_in: DeviceSignIn,
    pub browser: Browser,
    pub ip: std::net::IpAddr,
    pub country: Option<String>,
    /// Through Global Secure Access from a compliant network (default false).
    pub compliant_network: bool,
    /// R-PB-7: browser sign-ins here go through seamless SSO or AD FS with
    /// integrated Windows authentication (a domain-joined PC on the intranet).
    pub seamless_sso: bool,
    /// R-PB-7: Entra ID's detection sees this device as shared.
    pub shared: bool,
}

impl Device {
    /// R-PRT-1: unlock and device sign-in refresh the PRT only on joined devices.
    pub fn refreshes_prt_on_unlock(&self) -> bool {
        matches!(self.join, Join::EntraJoined | Join::HybridJoined)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DeviceSignIn {
    #[default]
    Password,
    WindowsHello,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Browser {
    #[default]
    Edge,
    ChromeSso,
    Chrome,
    Firefox,
    Safari,
    /// R-PRT-9: Firefox 91+ with "Allow Windows single sign-on for Microsoft,
    /// work, and school accounts" (Windows only).
    FirefoxWindowsSso,
    /// R-PRT-9: Safari with the Microsoft Enterprise SSO plug-in (macOS, iOS).
    SafariSsoExtension,
    /// R-PRT-9: Edge without a signed-in profile, which behaves like Chrome
    /// without the extension.
    EdgeSignedOut,
}

impl Browser {
    /// R-PRT-5, R-PRT-9: browsers that present the PRT for single sign-on.
    pub fn supports_prt_sso(self) -> bool {
        matches!(self, Browser::Edge | Browser::ChromeSso | Browser::FirefoxWindowsSso | Browser::SafariSsoExtension)
    }

    /// R-PRT-9: the platforms a browser's single sign-on exists on, or `None` for any.
    pub fn sso_platforms(self) -> Option<&'static [Platform]> {
        match self {
            Browser::FirefoxWindowsSso => Some(&[Platform::Windows]),
            Browser::SafariSsoExtension => Some(&[Platform::MacOs, Platform::Ios]),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Browser::Edge => "Edge",
            Browser::ChromeSso => "Chrome with the accounts extension",
            Browser::Chrome => "Chrome",
            Browser::Firefox => "Firefox",
            Browser::Safari => "Safari",
            Browser::FirefoxWindowsSso => "Firefox with Windows single sign-on",
            Browser::SafariSsoExtension => "Safari with the Enterprise SSO plug-in",
            Browser::EdgeSignedOut => "Edge without a signed-in profile",
        }
    }
}
