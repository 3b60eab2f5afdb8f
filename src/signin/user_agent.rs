//! The `userAgent` of a record (Graph `signIn.userAgent`, Log Analytics
//! `UserAgent`, the admin center download's "User agent").
//!
//! casim models a device's platform and browser, not its user agent string, so
//! a browser's records carry one representative string per platform and
//! browser, with the versions `deviceDetail.browser` names (`record.rs`). A
//! device sign-in carries the string Windows' Web Account Manager sends; a
//! native or confidential client, whose string depends on the app and its
//! library, carries none (docs/logs.md, "What casim cannot derive").

use crate::domain::{Browser, Platform};

/// What a PRT request from the Windows Web Account Manager sends.
pub const WINDOWS_SIGN_IN: &str = "Windows-AzureAD-Authentication-Provider/1.0";

const CHROMIUM: &str = "131.0.0.0";
const FIREFOX: &str = "133.0";
const SAFARI: &str = "18.1";

/// The user agent of `browser` on `platform`.
pub fn browser(platform: Platform, browser: Browser) -> String {
    let system = match platform {
        Platform::Windows => "Windows NT 10.0; Win64; x64",
        Platform::MacOs => "Macintosh; Intel Mac OS X 10_15_7",
        Platform::Linux => "X11; Linux x86_64",
        Platform::Ios => "iPhone; CPU iPhone OS 18_1 like Mac OS X",
        Platform::Android => "Linux; Android 10; K",
    };
    // Every browser on iOS is WebKit and says so, with its own product token.
    if platform == Platform::Ios {
        let product = match browser {
            Browser::Edge | Browser::EdgeSignedOut => format!("EdgiOS/{CHROMIUM} "),
            Browser::Chrome | Browser::ChromeSso => format!("CriOS/{CHROMIUM} "),
            Browser::Firefox | Browser::FirefoxWindowsSso => format!("FxiOS/{FIREFOX} "),
            Browser::Safari | Browser::SafariSsoExtension => String::new(),
        };
        return format!(
            "Mozilla/5.0 ({system}) AppleWebKit/605.1.15 (KHTML, like Gecko) {product}Version/{SAFARI} Mobile/15E148 Safari/604.1"
        );
    }
    let mobile = if platform == Platform::Android { "Mobile " } else { "" };
    match browser {
        Browser::Edge | Browser::EdgeSignedOut => format!(
            "Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROMIUM} {mobile}Safari/537.36 Edg/{CHROMIUM}"
        ),
        Browser::Chrome | Browser::ChromeSso => {
            format!(
                "Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROMIUM} {mobile}Safari/537.36"
            )
        }
        Browser::Firefox | Browser::FirefoxWindowsSso if platform == Platform::Android => {
            format!("Mozilla/5.0 (Android 10; Mobile; rv:{FIREFOX}) Gecko/{FIREFOX} Firefox/{FIREFOX}")
        }
        Browser::Firefox | Browser::FirefoxWindowsSso => {
            format!("Mozilla/5.0 ({system}; rv:{FIREFOX}) Gecko/20100101 Firefox/{FIREFOX}")
        }
        Browser::Safari | Browser::SafariSsoExtension => {
            format!("Mozilla/5.0 ({system}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{SAFARI} Safari/605.1.15")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_browser_names_itself_and_its_platform() {
        let edge = browser(Platform::Windows, Browser::Edge);
        assert!(edge.contains("Windows NT 10.0") && edge.ends_with("Edg/131.0.0.0"), "{edge}");
        let chrome = browser(Platform::MacOs, Browser::ChromeSso);
        assert!(chrome.contains("Mac OS X") && chrome.contains("Chrome/131") && !chrome.contains("Edg/"), "{chrome}");
        assert!(browser(Platform::Linux, Browser::Firefox).ends_with("Firefox/133.0"));
        assert!(browser(Platform::Android, Browser::Chrome).contains("Mobile Safari"));
        let ios = browser(Platform::Ios, Browser::Edge);
        assert!(ios.contains("iPhone OS") && ios.contains("EdgiOS/"), "{ios}");
        assert!(browser(Platform::MacOs, Browser::Safari).contains("Version/18.1 Safari"));
    }
}
