//! Parser and evaluator for Microsoft Entra Conditional Access "filter for devices" rules.
//!
//! The syntax is the dynamic-group device rule syntax Microsoft documents:
//!
//! ```text
//! expr := term ( ("-and" | "-or") term )*      -and binds tighter than -or
//! term := "(" expr ")" | "device." PROPERTY OPERATOR VALUE
//! ```
//!
//! Choices made where Microsoft's documentation is silent or loose:
//! * Values may be quoted with `"` or `'` (Graph examples use both); a backtick
//!   escapes the next character, as in dynamic membership rules (``"Sam`"s PC"``).
//! * Typing is lenient: every comparison is made on case-folded text, with booleans
//!   rendered as `true`/`false`. So `isCompliant -eq "True"` works, and a simulator
//!   never rejects a rule only because of a value's type. Syntax, on the other hand,
//!   is strict, and every syntax error carries the 1-based character column.

use std::fmt;

mod lexer;

use lexer::{Lexer, Token, TokenKind, describe};

/// Entra rejects filter rules longer than this many characters.
const MAX_RULE_CHARS: usize = 3072;
/// Bounds parser recursion so hostile input cannot overflow the stack.
const MAX_NESTING: usize = 100;
const DEVICE_PREFIX: &str = "device.";
/// Dynamic-rule syntax escapes quotes inside values with a backtick.
const ESCAPE: char = '`';

/// Canonical property names, as handed to [`DeviceProperties::property`].
const PROPERTIES: [&str; 29] = [
    "deviceId",
    "displayName",
    "deviceOwnership",
    "enrollmentProfileName",
    "isCompliant",
    "manufacturer",
    "mdmAppId",
    "model",
    "operatingSystem",
    "operatingSystemVersion",
    "physicalIds",
    "profileType",
    "systemLabels",
    "trustType",
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
];

/// Names people commonly reach for that edit distance would not find (keys lowercase).
const PROPERTY_ALIASES: &[(&str, &str)] = &[
    ("os", "operatingSystem"),
    ("osversion", "operatingSystemVersion"),
    ("ownership", "deviceOwnership"),
    ("name", "displayName"),
    ("compliant", "isCompliant"),
    ("jointype", "trustType"),
];

const OPERATORS: [(&str, OperatorSpec); 10] = [
    ("-eq", OperatorSpec::positive(OperatorKind::Equals)),
    ("-ne", OperatorSpec::negative(OperatorKind::Equals)),
    ("-startsWith", OperatorSpec::positive(OperatorKind::StartsWith)),
    ("-notStartsWith", OperatorSpec::negative(OperatorKind::StartsWith)),
    ("-endsWith", OperatorSpec::positive(OperatorKind::EndsWith)),
    ("-notEndsWith", OperatorSpec::negative(OperatorKind::EndsWith)),
    ("-contains", OperatorSpec::positive(OperatorKind::Contains)),
    ("-notContains", OperatorSpec::negative(OperatorKind::Contains)),
    ("-in", OperatorSpec::positive(OperatorKind::In)),
    ("-notIn", OperatorSpec::negative(OperatorKind::In)),
];

/// Spellings from other languages (PowerShell, SQL, C) mapped to the filter operator (keys lowercase).
const OPERATOR_ALIASES: &[(&str, &str)] = &[
    ("-equals", "-eq"),
    ("-equal", "-eq"),
    ("-is", "-eq"),
    ("=", "-eq"),
    ("==", "-eq"),
    ("-notequals", "-ne"),
    ("-notequal", "-ne"),
    ("-noteq", "-ne"),
    ("-neq", "-ne"),
    ("-isnot", "-ne"),
    ("!=", "-ne"),
    ("<>", "-ne"),
    ("-like", "-contains"),
    ("-match", "-contains"),
    ("-notlike", "-notContains"),
    ("-notmatch", "-notContains"),
];

const CONNECTIVES: [&str; 2] = ["-and", "-or"];
const CONNECTIVE_ALIASES: &[(&str, &str)] =
    &[("and", "-and"), ("&&", "-and"), ("&", "-and"), ("or", "-or"), ("||", "-or"), ("|", "-or")];

/// A parsed device filter rule.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFilterRule {
    root: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based column (in characters) inside the rule text where the problem is.
    pub column: usize,
    /// What went wrong and what was expected, e.g. "expected an operator such as -eq, found `-equals`" .
    pub message: String,
    /// Optional suggestion, e.g. Some("-eq") for a misspelled operator or Some("device.trustType") for a misspelled property.
    pub suggestion: Option<String>,
}

/// Values of a device's properties as the filter sees them. `None` = null (unregistered devices have null properties).
pub trait DeviceProperties {
    fn property(&self, name: &str) -> Option<PropertyValue>; // name is the canonical property name, e.g. "trustType"
}

#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    Text(String),
    Bool(bool),
}

impl DeviceFilterRule {
    /// Parse a rule, checking syntax, property names and operators.
    ///
    /// # Errors
    /// A [`RuleError`] locating the leftmost problem: a rule over 3072 characters, an
    /// unknown property or operator, a missing or unquoted value, an unterminated
    /// string, unbalanced parentheses or brackets, or text after a complete rule.
    pub fn parse(rule: &str) -> Result<DeviceFilterRule, RuleError> {
        let length = rule.chars().count();
        if length > MAX_RULE_CHARS {
            return Err(RuleError::new(
                MAX_RULE_CHARS + 1,
                format!("the rule is {length} characters long; the maximum is {MAX_RULE_CHARS}"),
                None,
            ));
        }
        let root = Parser::new(rule).parse_rule()?;
        Ok(DeviceFilterRule { root })
    }

    /// Evaluate the rule. Null properties: a positive operator (-eq, -startsWith, -endsWith, -contains, -in) is false, a negative one (-ne, -notStartsWith, -notEndsWith, -notContains, -notIn) is true.
    pub fn matches(&self, device: &dyn DeviceProperties) -> bool {
        self.root.matches(device)
    }

    /// Canonical property names referenced by the rule (for diagnostics).
    pub fn properties(&self) -> Vec<&'static str> {
        let mut found = Vec::new();
        self.root.collect_properties(&mut found);
        found
    }
}

impl RuleError {
    fn new(column: usize, message: impl Into<String>, suggestion: Option<String>) -> Self {
        RuleError { column, message: message.into(), suggestion }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (did you mean `{suggestion}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

// ---------------------------------------------------------------------------
// Syntax tree and evaluation
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// Terms joined by -or.
    Any(Vec<Expr>),
    /// Terms joined by -and.
    All(Vec<Expr>),
    Condition(Condition),
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    property: &'static str,
    /// True for the -ne / -not… forms, which are the negation of the positive test.
    negated: bool,
    comparison: Comparison,
}

/// The positive test. Operands are stored case-folded because every comparison is
/// case-insensitive; folding once here keeps evaluation allocation-light.
#[derive(Debug, Clone, PartialEq)]
enum Comparison {
    Equals(String),
    StartsWith(String),
    EndsWith(String),
    Contains(String),
    In(Vec<String>),
}

impl Expr {
    /// Collapses single-term groups so `((a))` and `a` produce the same tree.
    fn any(mut terms: Vec<Expr>) -> Expr {
        match terms.len() {
            1 => terms.pop().map_or(Expr::Any(Vec::new()), |only| only),
            _ => Expr::Any(terms),
        }
    }

    fn all(mut terms: Vec<Expr>) -> Expr {
        match terms.len() {
            1 => terms.pop().map_or(Expr::All(Vec::new()), |only| only),
            _ => Expr::All(terms),
        }
    }

    fn matches(&self, device: &dyn DeviceProperties) -> bool {
        match self {
            Expr::Any(terms) => terms.iter().any(|term| term.matches(device)),
            Expr::All(terms) => terms.iter().all(|term| term.matches(device)),
            Expr::Condition(condition) => condition.matches(device),
        }
    }

    fn collect_properties(&self, found: &mut Vec<&'static str>) {
        match self {
            Expr::Any(terms) | Expr::All(terms) => {
                for term in terms {
                    term.collect_properties(found);
                }
            }
            Expr::Condition(condition) => {
                if !found.contains(&condition.property) {
                    found.push(condition.property);
                }
            }
        }
    }
}

impl Condition {
    fn matches(&self, device: &dyn DeviceProperties) -> bool {
        // A null property fails every positive test, so the negated forms hold for it:
        // exactly Entra's rule for unregistered devices.
        let holds =
            device.property(self.property).is_some_and(|value| self.comparison.holds_for(&fold_property(&value)));
        holds != self.negated
    }
}

impl Comparison {
    fn holds_for(&self, actual: &str) -> bool {
        match self {
            Comparison::Equals(expected) => actual == expected,
            Comparison::StartsWith(prefix) => actual.starts_with(prefix.as_str()),
            Comparison::EndsWith(suffix) => actual.ends_with(suffix.as_str()),
            Comparison::Contains(part) => actual.contains(part.as_str()),
            Comparison::In(options) => options.iter().any(|option| option == actual),
        }
    }
}

fn fold(text: &str) -> String {
    text.to_lowercase()
}

fn fold_property(value: &PropertyValue) -> String {
    match value {
        PropertyValue::Text(text) => fold(text),
        PropertyValue::Bool(flag) => flag.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperatorKind {
    Equals,
    StartsWith,
    EndsWith,
    Contains,
    In,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OperatorSpec {
    kind: OperatorKind,
    negated: bool,
}

impl OperatorSpec {
    const fn positive(kind: OperatorKind) -> Self {
        OperatorSpec { kind, negated: false }
    }

    const fn negative(kind: OperatorKind) -> Self {
        OperatorSpec { kind, negated: true }
    }

    /// The list operator of the same polarity, suggested when a list follows -eq/-ne.
    fn list_form(self) -> &'static str {
        if self.negated { "-notIn" } else { "-in" }
    }
}

impl OperatorKind {
    /// Builds the comparison for a scalar operand; -in never gets here (it takes a list).
    fn with_scalar(self, operand: String) -> Comparison {
        match self {
            OperatorKind::Equals => Comparison::Equals(operand),
            OperatorKind::StartsWith => Comparison::StartsWith(operand),
            OperatorKind::EndsWith => Comparison::EndsWith(operand),
            OperatorKind::Contains => Comparison::Contains(operand),
            OperatorKind::In => Comparison::In(vec![operand]),
        }
    }
}

/// Case-insensitive lookup, returning the canonical spelling too.
fn lookup_operator(text: &str) -> Option<(&'static str, OperatorSpec)> {
    OPERATORS.iter().find(|(name, _)| name.eq_ignore_ascii_case(text)).copied()
}

fn operator_names() -> Vec<&'static str> {
    OPERATORS.iter().map(|(name, _)| *name).collect()
}

fn lookup_property(name: &str) -> Option<&'static str> {
    PROPERTIES.iter().find(|canonical| canonical.eq_ignore_ascii_case(name)).copied()
}

fn is_bool_literal(word: &str) -> bool {
    word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false")
}

// ---------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------

/// Best guess at what `found` was meant to be: an alias first, else the nearest candidate.
fn suggest(found: &str, aliases: &[(&str, &str)], candidates: &[&'static str]) -> Option<String> {
    let found = fold(found);
    if let Some((_, target)) = aliases.iter().find(|(alias, _)| *alias == found) {
        return Some((*target).to_string());
    }
    crate::error::nearest(&found, candidates.iter().copied())
}

// ---------------------------------------------------------------------------
// Parser (recursive descent, one token of lookahead)
// ---------------------------------------------------------------------------

struct Parser {
    lexer: Lexer,
    peeked: Option<Token>,
    depth: usize,
}

impl Parser {
    fn new(rule: &str) -> Self {
        Parser { lexer: Lexer::new(rule), peeked: None, depth: 0 }
    }

    fn peek(&mut self) -> Result<&Token, RuleError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn advance(&mut self) -> Result<Token, RuleError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    fn next_is_connective(&mut self, connective: &str) -> Result<bool, RuleError> {
        let token = self.peek()?;
        Ok(token.kind == TokenKind::Dashed && token.text.eq_ignore_ascii_case(connective))
    }

    fn parse_rule(&mut self) -> Result<Expr, RuleError> {
        let expr = self.parse_any()?;
        let token = self.advance()?;
        match token.kind {
            TokenKind::End => Ok(expr),
            TokenKind::CloseParen => {
                Err(RuleError::new(token.column, "unbalanced parentheses: this `)` has no matching `(`", None))
            }
            _ => Err(expected_connective(&token, "the end of the rule")),
        }
    }

    /// `-or` level: the loosest binding.
    fn parse_any(&mut self) -> Result<Expr, RuleError> {
        let mut terms = vec![self.parse_all()?];
        while self.next_is_connective("-or")? {
            self.advance()?;
            terms.push(self.parse_all()?);
        }
        Ok(Expr::any(terms))
    }

    /// `-and` level: binds tighter than `-or`.
    fn parse_all(&mut self) -> Result<Expr, RuleError> {
        let mut terms = vec![self.parse_term()?];
        while self.next_is_connective("-and")? {
            self.advance()?;
            terms.push(self.parse_term()?);
        }
        Ok(Expr::all(terms))
    }

    fn parse_term(&mut self) -> Result<Expr, RuleError> {
        let token = self.advance()?;
        match token.kind {
            TokenKind::OpenParen => self.parse_group(token.column),
            TokenKind::Word => self.parse_condition(&token),
            _ => Err(RuleError::new(
                token.column,
                format!("expected a condition such as device.trustType -eq \"AzureAD\", found {}", describe(&token)),
                None,
            )),
        }
    }

    fn parse_group(&mut self, open_column: usize) -> Result<Expr, RuleError> {
        if self.depth >= MAX_NESTING {
            return Err(RuleError::new(
                open_column,
                format!("parentheses are nested more than {MAX_NESTING} levels deep"),
                None,
            ));
        }
        self.depth += 1;
        let inner = self.parse_any()?;
        self.depth -= 1;
        let token = self.advance()?;
        match token.kind {
            TokenKind::CloseParen => Ok(inner),
            // Pointing at the unclosed `(` is more useful than pointing at the end.
            TokenKind::End => {
                Err(RuleError::new(open_column, "unbalanced parentheses: this `(` is never closed", None))
            }
            _ => Err(expected_connective(&token, "`)`")),
        }
    }

    fn parse_condition(&mut self, property_token: &Token) -> Result<Expr, RuleError> {
        let property = resolve_property(property_token)?;
        let operator_token = self.advance()?;
        let operator = resolve_operator(&operator_token, property_token)?;
        let comparison = self.parse_operand(operator, &operator_token)?;
        Ok(Expr::Condition(Condition { property, negated: operator.negated, comparison }))
    }

    fn parse_operand(&mut self, operator: OperatorSpec, operator_token: &Token) -> Result<Comparison, RuleError> {
        let token = self.advance()?;
        if operator.kind == OperatorKind::In {
            return match token.kind {
                TokenKind::OpenBracket => Ok(Comparison::In(self.parse_list(token.column)?)),
                _ => Err(list_expected(&token, operator_token)),
            };
        }
        let operand = scalar_operand(&token, operator, operator_token)?;
        Ok(operator.kind.with_scalar(operand))
    }

    /// After the `[`: `"a" ("," "b")* "]"`.
    fn parse_list(&mut self, open_column: usize) -> Result<Vec<String>, RuleError> {
        let mut values = Vec::new();
        loop {
            let token = self.advance()?;
            match token.kind {
                TokenKind::Quoted => values.push(fold(&token.text)),
                TokenKind::End => return Err(unclosed_bracket(open_column)),
                TokenKind::CloseBracket if values.is_empty() => {
                    return Err(RuleError::new(
                        token.column,
                        "empty list: -in and -notIn need at least one quoted value",
                        None,
                    ));
                }
                TokenKind::CloseBracket => {
                    return Err(RuleError::new(token.column, "expected a quoted value after `,`", None));
                }
                TokenKind::Word => return Err(unquoted_value(&token)),
                _ => {
                    return Err(RuleError::new(
                        token.column,
                        format!("expected a quoted value in the list, found {}", describe(&token)),
                        None,
                    ));
                }
            }
            let separator = self.advance()?;
            match separator.kind {
                TokenKind::Comma => {}
                TokenKind::CloseBracket => return Ok(values),
                TokenKind::End => return Err(unclosed_bracket(open_column)),
                _ => {
                    return Err(RuleError::new(
                        separator.column,
                        format!("expected `,` or `]` in the list, found {}", describe(&separator)),
                        None,
                    ));
                }
            }
        }
    }
}

fn resolve_property(token: &Token) -> Result<&'static str, RuleError> {
    let Some(name) = strip_prefix_ignore_case(&token.text, DEVICE_PREFIX) else {
        return Err(missing_device_prefix(token));
    };
    // The prefix is ASCII, so its byte length is also its length in characters.
    let name_column = token.column + DEVICE_PREFIX.len();
    if name.is_empty() {
        return Err(RuleError::new(name_column, "expected a property name after `device.`, such as trustType", None));
    }
    if let Some(number) = out_of_range_extension_attribute(name) {
        return Err(RuleError::new(
            name_column,
            format!("there is no extensionAttribute{number}: extension attributes are numbered 1 to 15"),
            None,
        ));
    }
    lookup_property(name).ok_or_else(|| {
        let suggestion = suggest_property(name);
        let message = match suggestion {
            Some(_) => format!("unknown device property `{name}`"),
            None => format!("unknown device property `{name}`; supported properties are {}", PROPERTIES.join(", ")),
        };
        RuleError::new(name_column, message, suggestion)
    })
}

/// `extensionAttribute16` is one edit from six valid names, so a guess would be arbitrary.
fn out_of_range_extension_attribute(name: &str) -> Option<&str> {
    let number = strip_prefix_ignore_case(name, "extensionAttribute")?;
    let is_number = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    (is_number && lookup_property(name).is_none()).then_some(number)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    // `get` rather than slicing: a non-ASCII character may straddle the prefix length.
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) { text.get(prefix.len()..) } else { None }
}

/// `trustType -eq …` or `user.department -eq …`: suggest the device property meant, if any.
fn missing_device_prefix(token: &Token) -> RuleError {
    let bare = token.text.rsplit('.').next().unwrap_or(&token.text);
    let suggestion = lookup_property(bare)
        .map(str::to_string)
        .or_else(|| suggest(bare, PROPERTY_ALIASES, &PROPERTIES))
        .map(|name| format!("{DEVICE_PREFIX}{name}"));
    let message = if token.text.contains('.') {
        format!("only device properties (device.<name>) can be used in a device filter, found `{}`", token.text)
    } else {
        format!("expected a condition starting with `device.`, found `{}`", token.text)
    };
    RuleError::new(token.column, message, suggestion)
}

fn suggest_property(name: &str) -> Option<String> {
    suggest(name, PROPERTY_ALIASES, &PROPERTIES).map(|name| format!("{DEVICE_PREFIX}{name}"))
}

fn resolve_operator(token: &Token, property_token: &Token) -> Result<OperatorSpec, RuleError> {
    let names = operator_names();
    let suggestion = match token.kind {
        TokenKind::Dashed => match lookup_operator(&token.text) {
            Some((_, spec)) => return Ok(spec),
            None => suggest(&token.text, OPERATOR_ALIASES, &names),
        },
        // `eq` without its dash.
        TokenKind::Word => {
            let dashed = format!("-{}", token.text);
            lookup_operator(&dashed)
                .map(|(name, _)| name.to_string())
                .or_else(|| suggest(&dashed, OPERATOR_ALIASES, &names))
        }
        TokenKind::Symbol => suggest(&token.text, OPERATOR_ALIASES, &names),
        TokenKind::End => {
            return Err(RuleError::new(
                token.column,
                format!("expected an operator such as -eq after `{}`, found the end of the rule", property_token.text),
                None,
            ));
        }
        _ => None,
    };
    Err(RuleError::new(
        token.column,
        format!("expected an operator such as -eq, found {}", describe(token)),
        suggestion,
    ))
}

/// The value after a non-list operator: a quoted string or True/False, returned case-folded.
fn scalar_operand(token: &Token, operator: OperatorSpec, operator_token: &Token) -> Result<String, RuleError> {
    match token.kind {
        TokenKind::Quoted => Ok(fold(&token.text)),
        TokenKind::Word if is_bool_literal(&token.text) => Ok(fold(&token.text)),
        TokenKind::Word => Err(unquoted_value(token)),
        TokenKind::OpenBracket => Err(RuleError::new(
            token.column,
            format!("a bracketed list can only follow -in or -notIn, not `{}`", operator_token.text),
            Some(operator.list_form().to_string()),
        )),
        TokenKind::End => Err(RuleError::new(
            token.column,
            format!(
                "missing value after `{}`: expected a quoted string such as \"AzureAD\" or True/False",
                operator_token.text
            ),
            None,
        )),
        TokenKind::Symbol if has_typographic_quote(&token.text) => Err(RuleError::new(
            token.column,
            "values must be quoted with straight quotes (\"), not typographic quotes",
            None,
        )),
        _ => Err(RuleError::new(
            token.column,
            format!("expected a value after `{}`, found {}", operator_token.text, describe(token)),
            None,
        )),
    }
}

fn has_typographic_quote(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '“' | '”' | '„' | '‘' | '’' | '«' | '»'))
}

fn list_expected(token: &Token, operator_token: &Token) -> RuleError {
    let example = "[\"a\", \"b\"]";
    if token.kind == TokenKind::End {
        return RuleError::new(
            token.column,
            format!("missing value after `{}`: expected a bracketed list such as {example}", operator_token.text),
            None,
        );
    }
    let suggestion = match token.kind {
        TokenKind::Quoted | TokenKind::Word => Some(format!("[\"{}\"]", token.text)),
        _ => None,
    };
    RuleError::new(
        token.column,
        format!("`{}` expects a bracketed list such as {example}, found {}", operator_token.text, describe(token)),
        suggestion,
    )
}

fn unquoted_value(token: &Token) -> RuleError {
    RuleError::new(
        token.column,
        format!("expected a quoted value, found `{}`", token.text),
        Some(format!("\"{}\"", token.text)),
    )
}

fn unclosed_bracket(open_column: usize) -> RuleError {
    RuleError::new(open_column, "unbalanced brackets: this `[` is never closed", None)
}

/// Something other than -and/-or/closer followed a complete condition.
fn expected_connective(token: &Token, closer: &str) -> RuleError {
    // An operator here means a condition was followed by a second operator and value;
    // guessing -and/-or from its spelling (-ne ≈ -and) would mislead.
    let guessable = matches!(token.kind, TokenKind::Dashed | TokenKind::Word | TokenKind::Symbol)
        && lookup_operator(&token.text).is_none();
    let suggestion = if guessable { suggest(&token.text, CONNECTIVE_ALIASES, &CONNECTIVES) } else { None };
    RuleError::new(token.column, format!("expected -and, -or or {closer}, found {}", describe(token)), suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TEMPLATE: &str = r#"device.trustType -ne "ServerAD" -or device.isCompliant -ne True"#;

    /// A device with only the properties set through the builder; everything else is null.
    #[derive(Default)]
    struct Device(HashMap<&'static str, PropertyValue>);

    impl Device {
        fn text(mut self, name: &'static str, value: &str) -> Self {
            self.0.insert(name, PropertyValue::Text(value.to_string()));
            self
        }

        fn flag(mut self, name: &'static str, value: bool) -> Self {
            self.0.insert(name, PropertyValue::Bool(value));
            self
        }
    }

    impl DeviceProperties for Device {
        fn property(&self, name: &str) -> Option<PropertyValue> {
            self.0.get(name).cloned()
        }
    }

    fn unregistered() -> Device {
        Device::default()
    }

    fn rule(text: &str) -> DeviceFilterRule {
        DeviceFilterRule::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    fn matches(text: &str, device: &Device) -> bool {
        rule(text).matches(device)
    }

    fn error(text: &str) -> RuleError {
        match DeviceFilterRule::parse(text) {
            Ok(parsed) => panic!("{text:?} should fail, parsed as {parsed:?}"),
            Err(e) => e,
        }
    }

    /// Asserts the column and suggestion, and returns the error for message checks.
    fn assert_error(text: &str, column: usize, suggestion: Option<&str>) -> RuleError {
        let e = error(text);
        assert_eq!((e.column, e.suggestion.as_deref()), (column, suggestion), "rule {text:?} gave: {e}");
        e
    }

    // --- Microsoft's template rule -----------------------------------------------

    #[test]
    fn template_hybrid_joined_compliant_device_does_not_match() {
        let device = Device::default().text("trustType", "ServerAD").flag("isCompliant", true);
        assert!(!matches(TEMPLATE, &device));
    }

    #[test]
    fn template_entra_joined_non_compliant_device_matches() {
        let device = Device::default().text("trustType", "AzureAD").flag("isCompliant", false);
        assert!(matches(TEMPLATE, &device));
    }

    #[test]
    fn template_unregistered_device_matches() {
        assert!(matches(TEMPLATE, &unregistered()));
    }

    #[test]
    fn template_properties_are_canonical() {
        assert_eq!(rule(TEMPLATE).properties(), vec!["trustType", "isCompliant"]);
    }

    // --- operators ---------------------------------------------------------------

    #[test]
    fn every_operator_on_a_text_property() {
        let windows = Device::default().text("operatingSystem", "Windows");
        let cases = [
            (r#"-eq "Windows""#, true),
            (r#"-eq "Win""#, false),
            (r#"-ne "Windows""#, false),
            (r#"-ne "iOS""#, true),
            (r#"-startsWith "Win""#, true),
            (r#"-startsWith "dows""#, false),
            (r#"-notStartsWith "Win""#, false),
            (r#"-notStartsWith "iOS""#, true),
            (r#"-endsWith "dows""#, true),
            (r#"-endsWith "Win""#, false),
            (r#"-notEndsWith "dows""#, false),
            (r#"-notEndsWith "Win""#, true),
            (r#"-contains "ndo""#, true),
            (r#"-contains "mac""#, false),
            (r#"-notContains "ndo""#, false),
            (r#"-notContains "mac""#, true),
            (r#"-in ["iOS", "Windows"]"#, true),
            (r#"-in ["iOS", "Android"]"#, false),
            (r#"-notIn ["iOS", "Windows"]"#, false),
            (r#"-notIn ["iOS", "Android"]"#, true),
        ];
        for (tail, expected) in cases {
            let text = format!("device.operatingSystem {tail}");
            assert_eq!(matches(&text, &windows), expected, "{text}");
        }
    }

    #[test]
    fn null_property_fails_positive_and_passes_negative_operators() {
        let positive = [r#"-eq "x""#, r#"-startsWith "x""#, r#"-endsWith "x""#, r#"-contains "x""#, r#"-in ["x"]"#];
        let negative =
            [r#"-ne "x""#, r#"-notStartsWith "x""#, r#"-notEndsWith "x""#, r#"-notContains "x""#, r#"-notIn ["x"]"#];
        for tail in positive {
            assert!(!matches(&format!("device.model {tail}"), &unregistered()), "{tail}");
        }
        for tail in negative {
            assert!(matches(&format!("device.model {tail}"), &unregistered()), "{tail}");
        }
    }

    #[test]
    fn empty_string_operand_behaves_like_text() {
        let device = Device::default().text("model", "Surface");
        assert!(matches(r#"device.model -startsWith """#, &device));
        assert!(!matches(r#"device.model -eq """#, &device));
        assert!(matches(r#"device.model -eq """#, &Device::default().text("model", "")));
    }

    #[test]
    fn in_list_allows_spacing_variants_and_single_quotes() {
        let device = Device::default().text("trustType", "Workplace");
        assert!(matches(r#"device.trustType -in ["AzureAD","Workplace"]"#, &device));
        assert!(matches("device.trustType -in [ 'AzureAD' ,\n'Workplace' ]", &device));
        assert!(matches(r#"device.trustType -in ["Workplace"]"#, &device));
        assert!(!matches(r#"device.trustType -in ["AzureAD", "ServerAD"]"#, &device));
    }

    // --- booleans -------------------------------------------------------------------

    #[test]
    fn bool_property_against_bool_and_string_literals() {
        let compliant = Device::default().flag("isCompliant", true);
        let non_compliant = Device::default().flag("isCompliant", false);
        for literal in ["True", "true", "TRUE", "\"True\"", "\"true\"", "'TRUE'"] {
            let text = format!("device.isCompliant -eq {literal}");
            assert!(matches(&text, &compliant), "{text}");
            assert!(!matches(&text, &non_compliant), "{text}");
        }
        assert!(matches("device.isCompliant -eq False", &non_compliant));
        assert!(matches("device.isCompliant -ne False", &compliant));
        assert!(!matches("device.isCompliant -eq False", &unregistered()));
        assert!(matches("device.isCompliant -ne False", &unregistered()));
    }

    #[test]
    fn bool_literal_against_text_valued_property_compares_as_text() {
        // Some property sources hand booleans over as text.
        let device = Device::default().text("isCompliant", "True");
        assert!(matches("device.isCompliant -eq True", &device));
    }

    // --- precedence and grouping ----------------------------------------------------

    /// a = trustType AzureAD (true), b = isCompliant True (false), c = iOS (false).
    fn precedence_device() -> Device {
        Device::default().text("trustType", "AzureAD").flag("isCompliant", false).text("operatingSystem", "Windows")
    }

    const A: &str = r#"device.trustType -eq "AzureAD""#;
    const B: &str = "device.isCompliant -eq True";
    const C: &str = r#"device.operatingSystem -eq "iOS""#;

    #[test]
    fn and_binds_tighter_than_or() {
        let device = precedence_device();
        // (c and b) or a = true; a left-to-right reading, c and (b or a), would be false.
        assert!(matches(&format!("{C} -and {B} -or {A}"), &device));
        // a or (b and c) = true; (a or b) and c would be false.
        assert!(matches(&format!("{A} -or {B} -and {C}"), &device));
        assert!(!matches(&format!("{A} -and {B} -or {C}"), &device));
    }

    #[test]
    fn parentheses_override_precedence() {
        let device = precedence_device();
        assert!(!matches(&format!("({A} -or {B}) -and {C}"), &device));
        assert!(!matches(&format!("{C} -and ({B} -or {A})"), &device));
        assert!(matches(&format!("(({A}))"), &device));
        assert!(matches(&format!("( {C} -or ( {B} -or ({A}) ) )"), &device));
    }

    #[test]
    fn redundant_parentheses_give_the_same_tree() {
        assert_eq!(rule(&format!("(({A}))")), rule(A));
        assert_eq!(rule(&format!("({A} -and {B})")), rule(&format!("{A} -and {B}")));
    }

    #[test]
    fn long_chains_and_maximum_nesting_work() {
        let device = precedence_device();
        let chain = vec![C; 40].join(" -or ");
        assert!(!matches(&chain, &device));
        assert!(matches(&format!("{chain} -or {A}"), &device));
        let nested = format!("{}{A}{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(matches(&nested, &device));
    }

    // --- case-insensitivity and lexical details --------------------------------------

    #[test]
    fn property_operator_connective_and_value_are_case_insensitive() {
        let device = Device::default().text("trustType", "AzureAD").text("operatingSystem", "Windows");
        assert!(matches(r#"DEVICE.TRUSTTYPE -EQ "azuread""#, &device));
        assert!(matches(r#"Device.trusttype -Eq "AZUREAD" -AND device.OperatingSystem -STARTSWITH "wIN""#, &device));
        assert!(matches(r#"device.operatingSystem -NOTIN ["ios"] -OR device.model -eq "x""#, &device));
        assert!(matches(r#"device.operatingsystem -CONTAINS "NDOW""#, &device));
    }

    #[test]
    fn case_variants_parse_to_equal_rules() {
        assert_eq!(rule(r#"DEVICE.TRUSTTYPE -EQ "azuread""#), rule(r#"device.trustType -eq "AzureAD""#));
        assert_eq!(rule(r#"device.ISCOMPLIANT -eq "TRUE""#), rule("device.isCompliant -eq true"));
    }

    #[test]
    fn non_ascii_values_fold_case() {
        let device = Device::default().text("displayName", "ÉQUIPE-Ünïcødé");
        assert!(matches(r#"device.displayName -startsWith "équipe""#, &device));
        assert!(matches(r#"device.displayName -endsWith "ÜNÏCØDÉ""#, &device));
    }

    #[test]
    fn backtick_escapes_quotes_inside_values() {
        let device = Device::default().text("displayName", "Sam\"s PC");
        assert!(matches(r#"device.displayName -eq "Sam`"s PC""#, &device));
        let device = Device::default().text("displayName", "it's");
        assert!(matches(r#"device.displayName -eq 'it`'s'"#, &device));
        assert!(matches(r#"device.displayName -eq "it's""#, &device));
    }

    #[test]
    fn whitespace_of_any_kind_separates_tokens() {
        let device = Device::default().text("trustType", "AzureAD");
        assert!(matches("\t device.trustType\n-eq\r\n\"AzureAD\"  ", &device));
    }

    #[test]
    fn every_supported_property_parses_and_is_reported() {
        for name in PROPERTIES {
            let parsed = rule(&format!("device.{name} -eq \"x\""));
            assert_eq!(parsed.properties(), vec![name]);
            let device = Device::default().text(name, "X");
            assert!(parsed.matches(&device), "{name}");
        }
    }

    #[test]
    fn properties_are_deduplicated_in_order_of_appearance() {
        let parsed = rule(
            r#"device.MODEL -eq "x" -or (device.isCompliant -eq True -and device.model -ne "y") -or device.extensionAttribute15 -in ["a"]"#,
        );
        assert_eq!(parsed.properties(), vec!["model", "isCompliant", "extensionAttribute15"]);
    }

    #[test]
    fn rule_of_exactly_the_maximum_length_is_accepted() {
        let head = r#"device.displayName -eq ""#;
        let padding = MAX_RULE_CHARS - head.chars().count() - 1;
        let text = format!("{head}{}\"", "é".repeat(padding));
        assert_eq!(text.chars().count(), MAX_RULE_CHARS);
        rule(&text);
    }

    // --- errors, each with its exact column --------------------------------------------

    #[test]
    fn error_unknown_operator_suggests_the_right_one() {
        let e = assert_error(r#"device.trustType -equals "AzureAD""#, 18, Some("-eq"));
        assert_eq!(e.message, "expected an operator such as -eq, found `-equals`");
        assert_error(r#"device.model -startwith "x""#, 14, Some("-startsWith"));
        assert_error(r#"device.model -notcontain "x""#, 14, Some("-notContains"));
        assert_error(r#"device.model -like "x""#, 14, Some("-contains"));
        assert_error(r#"device.model -xyzzy "x""#, 14, None);
    }

    #[test]
    fn error_operator_written_without_dash_or_as_symbol() {
        assert_error(r#"device.trustType eq "AzureAD""#, 18, Some("-eq"));
        assert_error(r#"device.trustType == "AzureAD""#, 18, Some("-eq"));
        assert_error(r#"device.trustType != "AzureAD""#, 18, Some("-ne"));
        assert_error(r#"device.trustType ( "AzureAD""#, 18, None);
    }

    #[test]
    fn error_missing_operator() {
        let e = assert_error("device.trustType", 17, None);
        assert!(e.message.contains("expected an operator"), "{}", e.message);
    }

    #[test]
    fn error_unknown_property_suggests_nearest_name() {
        let e = assert_error(r#"device.trustTyp -eq "AzureAD""#, 8, Some("device.trustType"));
        assert!(e.message.contains("`trustTyp`"), "{}", e.message);
        assert_error(r#"device.isCompliance -eq True"#, 8, Some("device.isCompliant"));
        let e = assert_error(r#"device.extensionAttribute16 -eq "x""#, 8, None);
        assert!(e.message.contains("numbered 1 to 15"), "{}", e.message);
        assert_error(r#"device.extensionAttribute0 -eq "x""#, 8, None);
        assert_error(r#"device.extensionAtribute3 -eq "x""#, 8, Some("device.extensionAttribute3"));
        assert_error(r#"device.os -eq "x""#, 8, Some("device.operatingSystem"));
        let e = assert_error(r#"device.accountEnabled -eq True"#, 8, None);
        assert!(e.message.contains("supported properties are deviceId"), "{}", e.message);
    }

    #[test]
    fn error_missing_device_prefix_or_property_name() {
        assert_error(r#"trustType -eq "AzureAD""#, 1, Some("device.trustType"));
        assert_error(r#"user.department -eq "Sales""#, 1, None);
        assert_error(r#"devices.trustType -eq "AzureAD""#, 1, Some("device.trustType"));
        assert_error(r#"device. -eq "x""#, 8, None);
        // Non-ASCII straddling the prefix length must not panic or be accepted.
        assert_error(r#"devicé.model -eq "x""#, 1, Some("device.model"));
    }

    #[test]
    fn error_missing_value() {
        let e = assert_error("device.trustType -eq", 21, None);
        assert!(e.message.starts_with("missing value after `-eq`"), "{}", e.message);
        assert_error("device.trustType -eq   ", 24, None);
        assert_error("device.trustType -eq -or device.isCompliant -eq True", 22, None);
        assert_error("(device.trustType -eq)", 22, None);
        assert_error("device.trustType -in", 21, None);
    }

    #[test]
    fn error_unquoted_value_suggests_quotes() {
        assert_error("device.trustType -eq AzureAD", 22, Some("\"AzureAD\""));
        assert_error("device.trustType -in [AzureAD]", 23, Some("\"AzureAD\""));
    }

    #[test]
    fn error_typographic_quotes() {
        let e = assert_error("device.trustType -eq “AzureAD”", 22, None);
        assert!(e.message.contains("straight quotes"), "{}", e.message);
    }

    #[test]
    fn error_unterminated_string_points_at_opening_quote() {
        let e = assert_error(r#"device.displayName -eq "abc"#, 24, None);
        assert!(e.message.starts_with("unterminated string"), "{}", e.message);
        assert_error(r#"device.displayName -eq 'abc"#, 24, None);
        // The backtick escapes the would-be closing quote.
        assert_error(r#"device.displayName -eq "abc`""#, 24, None);
        assert_error(r#"device.displayName -eq "abc`"#, 24, None);
        assert_error(r#"device.model -in ["a", "b]"#, 24, None);
    }

    #[test]
    fn error_unbalanced_parentheses() {
        let e = assert_error(r#"(device.trustType -eq "AzureAD""#, 1, None);
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert_error(r#"((device.trustType -eq "AzureAD")"#, 1, None);
        assert_error(r#"device.model -eq "a" -or (device.model -eq "b""#, 26, None);
        let e = assert_error(r#"device.trustType -eq "AzureAD")"#, 31, None);
        assert!(e.message.contains("no matching `(`"), "{}", e.message);
        assert_error("()", 2, None);
        assert_error(")", 1, None);
    }

    #[test]
    fn error_nesting_too_deep() {
        let text = format!("{}{A}{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert_error(&text, MAX_NESTING + 1, None);
        // A maximum-length rule of only parentheses must not overflow the stack.
        assert_error(&"(".repeat(MAX_RULE_CHARS), MAX_NESTING + 1, None);
    }

    #[test]
    fn error_trailing_garbage() {
        let e = assert_error(r#"device.trustType -eq "AzureAD" extra"#, 32, None);
        assert_eq!(e.message, "expected -and, -or or the end of the rule, found `extra`");
        assert_error(r#"device.trustType -eq "AzureAD" "again""#, 32, None);
        assert_error(r#"(device.trustType -eq "AzureAD" extra)"#, 33, None);
        // A second operator after a complete condition gets no misleading -and/-or guess.
        assert_error(r#"device.trustType -eq "a" -ne "b""#, 26, None);
    }

    #[test]
    fn error_misspelled_connective_suggests_and_or() {
        let text = r#"device.trustType -eq "AzureAD" -adn device.isCompliant -eq True"#;
        assert_error(text, 32, Some("-and"));
        assert_error(r#"device.trustType -eq "AzureAD" && device.isCompliant -eq True"#, 32, Some("-and"));
        assert_error(r#"device.trustType -eq "AzureAD" or device.isCompliant -eq True"#, 32, Some("-or"));
        assert_error(r#"(device.trustType -eq "AzureAD" -orr device.isCompliant -eq True)"#, 33, Some("-or"));
    }

    #[test]
    fn error_dangling_connective() {
        let e = assert_error(r#"device.trustType -eq "AzureAD" -and"#, 36, None);
        assert!(e.message.contains("found the end of the rule"), "{}", e.message);
        assert_error(r#"-or device.trustType -eq "AzureAD""#, 1, None);
        assert_error(r#"device.model -eq "a" -or -and device.model -eq "b""#, 26, None);
    }

    #[test]
    fn error_empty_rule() {
        assert_error("", 1, None);
        assert_error("  \t ", 5, None);
    }

    #[test]
    fn error_list_misuse() {
        assert_error(r#"device.operatingSystem -eq ["Windows"]"#, 28, Some("-in"));
        assert_error(r#"device.operatingSystem -ne ["Windows"]"#, 28, Some("-notIn"));
        assert_error(r#"device.operatingSystem -in "Windows""#, 28, Some("[\"Windows\"]"));
        assert_error(r#"device.operatingSystem -in []"#, 29, None);
        assert_error(r#"device.operatingSystem -in ["a",]"#, 33, None);
        assert_error(r#"device.operatingSystem -in ["a" "b"]"#, 33, None);
        let e = assert_error(r#"device.operatingSystem -in ["a""#, 28, None);
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert_error(r#"device.operatingSystem -in ["a", "#, 28, None);
    }

    #[test]
    fn error_rule_too_long_is_at_column_3073() {
        let head = r#"device.displayName -eq ""#;
        let padding = MAX_RULE_CHARS - head.chars().count();
        let text = format!("{head}{}\"", "x".repeat(padding));
        assert_eq!(text.chars().count(), MAX_RULE_CHARS + 1);
        let e = assert_error(&text, 3073, None);
        assert!(e.message.contains("maximum is 3072"), "{}", e.message);
    }

    #[test]
    fn error_columns_count_characters_not_bytes() {
        let text = r#"device.displayName -eq "Ünïcødé" -xor device.model -eq "x""#;
        assert_error(text, 34, Some("-or"));
        assert_error("device.displayName -eq \"😀\" 😀", 28, None);
        assert_error("device.displayName -eq \"😀\" trailing", 28, None);
    }

    #[test]
    fn leftmost_error_wins() {
        // The unknown property comes before the unterminated string.
        assert_error(r#"device.nope -eq "abc"#, 8, None);
    }

    #[test]
    fn error_display_includes_column_and_suggestion() {
        let e = error(r#"device.trustType -equals "AzureAD""#);
        assert_eq!(e.to_string(), "column 18: expected an operator such as -eq, found `-equals` (did you mean `-eq`?)");
    }

    // --- robustness ----------------------------------------------------------------------

    const VALID_RULES: &[&str] = &[
        TEMPLATE,
        r#"(device.trustType -eq "AzureAD" -or device.trustType -eq 'ServerAD') -and device.isCompliant -eq True"#,
        r#"device.operatingSystem -in ["Windows", "iOS"] -and device.model -notStartsWith "Virtual""#,
        r#"device.displayName -eq "Sam`"s Ünïcødé 😀 PC" -or device.extensionAttribute15 -notIn ['a','b']"#,
        r#"((device.mdmAppId -contains "0000") -or (device.physicalIds -notContains "[ZTDId]"))"#,
        r#"device.enrollmentProfileName -endsWith "kiosk" -and device.deviceOwnership -ne "Personal""#,
    ];

    fn full_device() -> Device {
        PROPERTIES
            .iter()
            .fold(Device::default(), |device, &name| device.text(name, "AzureAD"))
            .flag("isCompliant", true)
    }

    /// Parses (and, on success, evaluates) without panicking, and checks the error column is in range.
    fn exercise(text: &str) {
        match DeviceFilterRule::parse(text) {
            Ok(parsed) => {
                parsed.matches(&unregistered());
                parsed.matches(&full_device());
                parsed.properties();
            }
            Err(e) => {
                let length = text.chars().count();
                assert!(
                    (1..=length + 1).contains(&e.column) || e.column == MAX_RULE_CHARS + 1,
                    "column {} out of range for {text:?}: {e}",
                    e.column
                );
                assert!(!e.message.is_empty());
            }
        }
    }

    fn char_boundaries(text: &str) -> Vec<usize> {
        text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
    }

    #[test]
    fn valid_rules_parse() {
        for text in VALID_RULES {
            rule(text);
        }
    }

    #[test]
    fn truncations_at_every_character_never_panic() {
        for text in VALID_RULES {
            for i in char_boundaries(text) {
                exercise(&text[..i]);
                exercise(&text[i..]);
            }
        }
    }

    #[test]
    fn insertions_and_deletions_never_panic() {
        let junk = [
            "(", ")", "[", "]", ",", "\"", "'", "`", "-", ".", "é", "😀", "\u{0}", "“", "==", " -and", "device.",
            "True",
        ];
        for text in VALID_RULES {
            let boundaries = char_boundaries(text);
            for &i in &boundaries {
                for piece in junk {
                    exercise(&format!("{}{piece}{}", &text[..i], &text[i..]));
                }
            }
            for pair in boundaries.windows(2) {
                exercise(&format!("{}{}", &text[..pair[0]], &text[pair[1]..]));
            }
        }
    }

    #[test]
    fn pseudo_random_token_soup_never_panics() {
        let pieces = [
            "device.trustType",
            "device.isCompliant",
            "device.",
            "device.x",
            "-eq",
            "-ne",
            "-in",
            "-notIn",
            "-contains",
            "-and",
            "-or",
            "-",
            "(",
            ")",
            "[",
            "]",
            ",",
            "\"a\"",
            "\"",
            "'",
            "`",
            "True",
            "false",
            "Ü",
            "😀",
            " ",
            "\t",
            "==",
            "“",
        ];
        // Deterministic LCG: reproducible without a dependency.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let length = (state >> 59) as usize;
            for _ in 0..length {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                text.push(' ');
            }
            exercise(&text);
        }
    }

    #[test]
    fn pathological_inputs_never_panic() {
        let long_word = "a".repeat(MAX_RULE_CHARS);
        let cases = [
            "\u{0}".to_string(),
            "😀".repeat(MAX_RULE_CHARS + 1),
            ")".repeat(MAX_RULE_CHARS),
            "[".repeat(100),
            format!("device.{}", &long_word[..MAX_RULE_CHARS - 7]),
            format!("device.model {}", "-".repeat(100)),
            long_word,
            "device.model -in [".to_string() + &"\"a\",".repeat(700),
        ];
        for text in &cases {
            exercise(text);
        }
    }
}
