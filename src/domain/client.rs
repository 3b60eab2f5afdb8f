//! The kind of client an app is used from.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Client {
    Browser,
    Desktop,
    Mobile,
    Confidential,
}

impl Client {
    pub const NAMES: [&'static str; 4] = ["browser", "desktop", "mobile", "confidential"];

    pub fn parse(text: &str) -> Option<Client> {
        match text {
            "browser" => Some(Client::Browser),
            "desktop" => Some(Client::Desktop),
            "mobile" => Some(Client::Mobile),
            "confidential" => Some(Client::Confidential),
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
        }
    }

    /// Public native clients ("Mobile Apps and Desktop clients").
    pub fn is_native(self) -> bool {
        matches!(self, Client::Desktop | Client::Mobile)
    }
}
