//! The kind of client an app is used from.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Client {
    Browser,
    Desktop,
    Mobile,
    Confidential,
    /// R-SPA-1: a single-page app in the device's browser (MSAL.js, auth code
    /// flow with PKCE), holding its own refresh token. Last, so the key
    /// ranges of `Seat::accesses` end with it.
    Spa,
}

impl Client {
    pub const NAMES: [&'static str; 5] = ["browser", "desktop", "mobile", "confidential", "spa"];

    pub fn parse(text: &str) -> Option<Client> {
        match text {
            "browser" => Some(Client::Browser),
            "desktop" => Some(Client::Desktop),
            "mobile" => Some(Client::Mobile),
            "confidential" => Some(Client::Confidential),
            "spa" => Some(Client::Spa),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Client::NAMES[self as usize]
    }

    /// The client in words: "browser", "desktop app", ...
    pub fn words(self) -> &'static str {
        match self {
            Client::Browser => "browser",
            Client::Desktop => "desktop app",
            Client::Mobile => "mobile app",
            Client::Confidential => "web app (confidential client)",
            Client::Spa => "single-page app",
        }
    }

    /// Public native clients ("Mobile Apps and Desktop clients").
    pub fn is_native(self) -> bool {
        matches!(self, Client::Desktop | Client::Mobile)
    }
}
