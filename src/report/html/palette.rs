//! The report's colours, each named once, and the pairs they are used in:
//! the page's style sheet takes every colour from here (as CSS custom
//! properties), and the tests check each pair against WCAG 2.1 AA contrast
//! (4.5:1 for text, 3:1 for the graphics a reader needs: marks, bars, chart
//! bars, lines that carry meaning).

use std::fmt::Write as _;

/// One colour of the page: its CSS custom property (`--name`) and value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Colour {
    pub name: &'static str,
    pub hex: &'static str,
}

const fn c(name: &'static str, hex: &'static str) -> Colour {
    Colour { name, hex }
}

// Backgrounds.
pub(super) const PAGE: Colour = c("page", "#ffffff");
/// Every other app lane.
pub(super) const LANE_EVEN: Colour = c("lane-even", "#f7f8fa");
/// Device lanes.
pub(super) const LANE_DEVICE: Colour = c("lane-device", "#edf1f6");

// Text.
pub(super) const TEXT: Colour = c("text", "#1d2430");
pub(super) const MUTED: Colour = c("muted", "#5b6573");
pub(super) const LABEL: Colour = c("label", "#3a4350");
pub(super) const LINK: Colour = c("link", "#1f5fae");
pub(super) const UP: Colour = c("up", "#b3261e");
pub(super) const DOWN: Colour = c("down", "#1b7f3b");

// Decorative: borders and grid lines, which separate but carry no meaning
// of their own (WCAG 1.4.11 asks 3:1 only of what is needed to understand).
pub(super) const RULE: Colour = c("rule", "#dde2ea");
pub(super) const GRID: Colour = c("grid", "#e3e7ee");
pub(super) const LOCKED_FILL: Colour = c("locked-fill", "#e3e7ec");

// Graphics.
pub(super) const MIDNIGHT: Colour = c("midnight", "#7b8696");
pub(super) const UNLOCKED: Colour = c("unlocked", "#5f86b5");
pub(super) const LOCKED: Colour = c("locked", "#7d8794");
pub(super) const USE: Colour = c("use", "#6b7785");
pub(super) const SESSION: Colour = c("session", "#4f8f46");
pub(super) const PRT: Colour = c("prt", "#5b3f99");
pub(super) const SIGN_IN: Colour = c("signin", "#2e7d32");
pub(super) const SIGN_OUT: Colour = c("signout", "#8e2c2c");
pub(super) const MARK: Colour = c("mark", "#3a4350");
pub(super) const BLOCKED: Colour = c("blocked", "#111111");
pub(super) const BASE_BLOCKED: Colour = c("base-blocked", "#6b7077");
pub(super) const DEFERRED: Colour = c("deferred", "#737980");
pub(super) const FINDING: Colour = c("finding", "#8f6f00");
pub(super) const ACCOUNT: Colour = c("account", "#a37a00");
pub(super) const POLICY_CHANGE: Colour = c("policy-change", "#8f4f88");
pub(super) const BASELINE_SERIES: Colour = c("baseline", "#6f7c8c");
pub(super) const PROPOSED_SERIES: Colour = c("proposed", "#c4560f");

/// Prompt reasons (`Reason::name`) and their colours: marks, rings and chips.
pub(super) const REASONS: [Colour; 9] = [
    c("sign_in_frequency", "#d1373a"),
    c("every_time", "#b85c00"),
    c("no_session", "#3e6fa8"),
    c("browser_closed", "#1f7f79"),
    c("revoked", "#8f4f88"),
    c("inactive", "#8a5a3c"),
    c("mfa_required", "#8a7000"),
    c("terms_of_use", "#3a7d32"),
    c("password_change", "#c2386f"),
];

/// Backgrounds, borders and grid lines: they separate, they carry no meaning of their own.
const DECORATIVE: [Colour; 6] = [PAGE, LANE_EVEN, LANE_DEVICE, RULE, GRID, LOCKED_FILL];
const TEXTS: [Colour; 6] = [TEXT, MUTED, LABEL, LINK, UP, DOWN];
/// Timeline marks and bars, chart bars and legend keys.
const GRAPHICS: [Colour; 17] = [
    MIDNIGHT,
    UNLOCKED,
    LOCKED,
    USE,
    SESSION,
    PRT,
    SIGN_IN,
    SIGN_OUT,
    MARK,
    BLOCKED,
    BASE_BLOCKED,
    DEFERRED,
    FINDING,
    ACCOUNT,
    POLICY_CHANGE,
    BASELINE_SERIES,
    PROPOSED_SERIES,
];

#[cfg(test)]
const BACKGROUNDS: [Colour; 3] = [PAGE, LANE_EVEN, LANE_DEVICE];

/// What a colour is used for, and so the contrast it needs.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Use {
    /// Text: 4.5:1 (WCAG 1.4.3).
    Text,
    /// A graphic needed to read the page: 3:1 (WCAG 1.4.11).
    Graphic,
}

#[cfg(test)]
impl Use {
    pub(super) fn minimum(self) -> f64 {
        match self {
            Use::Text => 4.5,
            Use::Graphic => 3.0,
        }
    }
}

/// Every foreground the page draws, what for, and the backgrounds it is drawn on.
#[cfg(test)]
pub(super) fn pairs() -> Vec<(Colour, Colour, Use)> {
    let mut out = Vec::new();
    // Page text (headings, tables, chips, links, the rise and fall of figures) sits on the page.
    for fg in [TEXT, MUTED, LINK, UP, DOWN] {
        out.push((fg, PAGE, Use::Text));
    }
    // Lane labels and axis text sit on every lane background.
    for fg in [LABEL, MUTED, TEXT] {
        for bg in BACKGROUNDS {
            out.push((fg, bg, Use::Text));
        }
    }
    // Timeline marks and bars sit on lanes; chart bars and legend keys on the page.
    for fg in GRAPHICS.into_iter().chain(REASONS) {
        for bg in BACKGROUNDS {
            out.push((fg, bg, Use::Graphic));
        }
    }
    out
}

/// Every colour the style sheet may use, as `--name: value` custom properties.
pub(super) fn all() -> Vec<Colour> {
    DECORATIVE.into_iter().chain(TEXTS).chain(GRAPHICS).chain(REASONS).collect()
}

/// The style sheet's colours: `:root` custom properties, and each reason's
/// class setting `--c`, the colour its marks and chips use.
pub(super) fn css() -> String {
    let mut out = String::from(":root{");
    for colour in all() {
        let _ = write!(out, "--{}:{};", colour.name, colour.hex);
    }
    out.push('}');
    for r in REASONS {
        let _ = write!(out, ".r-{}{{--c:var(--{})}}", r.name, r.name);
    }
    out
}

#[cfg(test)]
/// WCAG 2.1 relative luminance of `#rrggbb`.
pub(super) fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

#[cfg(test)]
/// WCAG 2.1 contrast ratio of two colours, from 1 to 21.
pub(super) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_computed_as_wcag_defines_it() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#ffffff", "#ffffff") - 1.0).abs() < 1e-9);
        // WCAG's own example threshold: #767676 on white is the lightest grey passing 4.5:1.
        assert!(contrast("#767676", "#ffffff") >= 4.5);
        assert!(contrast("#777777", "#ffffff") < 4.5);
    }

    /// WCAG 2.1 AA: every pair the page uses meets 4.5:1 (text) or 3:1 (graphics).
    #[test]
    fn every_colour_pair_meets_wcag_aa() {
        let failing: Vec<String> = pairs()
            .into_iter()
            .filter(|(fg, bg, use_)| contrast(fg.hex, bg.hex) < use_.minimum())
            .map(|(fg, bg, use_)| {
                format!(
                    "{} {} on {} {}: {:.2} < {}",
                    fg.name,
                    fg.hex,
                    bg.name,
                    bg.hex,
                    contrast(fg.hex, bg.hex),
                    use_.minimum()
                )
            })
            .collect();
        assert!(failing.is_empty(), "{failing:#?}");
        // Every colour that is not a background or decoration is in some pair.
        let paired: Vec<&str> = pairs().iter().map(|(fg, _, _)| fg.name).collect();
        for colour in all() {
            assert!(
                DECORATIVE.iter().any(|d| d.name == colour.name) || paired.contains(&colour.name),
                "{} is used but its contrast is not checked",
                colour.name
            );
        }
    }

    /// The style sheet names no colour of its own: all come from this palette.
    #[test]
    fn the_style_sheet_takes_every_colour_from_the_palette() {
        let css = super::super::CSS;
        assert!(!css.contains('#'), "a colour written into the style sheet: {css}");
        assert!(!css.contains("rgb"), "a colour written into the style sheet");
        let defined: Vec<String> = all().iter().map(|c| format!("--{}", c.name)).collect();
        for used in css.split("var(").skip(1) {
            let name = &used[..used.find([')', ',']).expect("var(--name)")];
            assert!(name == "--c" || defined.iter().any(|d| d == name), "{name} is not in the palette");
        }
    }
}
