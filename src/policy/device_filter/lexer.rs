//! The device filter rule's lexer: tokens produced on demand, with their
//! columns, so that the first error reported is the leftmost one.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    /// A quoted value; `text` holds the unescaped content.
    Quoted,
    /// Letters, digits, `_` and `.`: `device.trustType`, `True`.
    Word,
    /// `-` plus word characters: operators and connectives.
    Dashed,
    /// A run of other punctuation (`==`, `&&`, typographic quotes), kept whole for suggestions.
    Symbol,
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) text: String,
    pub(super) column: usize,
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

pub(super) fn is_symbol_char(c: char) -> bool {
    !c.is_whitespace() && !is_word_char(c) && !matches!(c, '(' | ')' | '[' | ']' | ',' | '"' | '\'' | '-')
}

/// Tokens are produced on demand so the first error reported is the leftmost one.
pub(super) struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    pub(super) fn new(rule: &str) -> Self {
        Lexer { chars: rule.chars().collect(), pos: 0 }
    }

    pub(super) fn next_token(&mut self) -> Result<Token, RuleError> {
        self.skip_while(char::is_whitespace);
        let start = self.pos;
        let Some(&first) = self.chars.get(start) else {
            return Ok(Token { kind: TokenKind::End, text: String::new(), column: start + 1 });
        };
        if first == '"' || first == '\'' {
            return self.lex_quoted(first);
        }
        self.pos += 1;
        let kind = match first {
            '(' => TokenKind::OpenParen,
            ')' => TokenKind::CloseParen,
            '[' => TokenKind::OpenBracket,
            ']' => TokenKind::CloseBracket,
            ',' => TokenKind::Comma,
            '-' => {
                self.skip_while(is_word_char);
                TokenKind::Dashed
            }
            c if is_word_char(c) => {
                self.skip_while(is_word_char);
                TokenKind::Word
            }
            _ => {
                self.skip_while(is_symbol_char);
                TokenKind::Symbol
            }
        };
        Ok(Token { kind, text: self.chars[start..self.pos].iter().collect(), column: start + 1 })
    }

    pub(super) fn skip_while(&mut self, wanted: fn(char) -> bool) {
        while self.chars.get(self.pos).is_some_and(|&c| wanted(c)) {
            self.pos += 1;
        }
    }

    pub(super) fn lex_quoted(&mut self, quote: char) -> Result<Token, RuleError> {
        let column = self.pos + 1;
        self.pos += 1;
        let mut text = String::new();
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Err(RuleError::new(
                    column,
                    format!("unterminated string: the value starting here has no closing {quote}"),
                    None,
                ));
            };
            self.pos += 1;
            match c {
                _ if c == quote => {
                    return Ok(Token { kind: TokenKind::Quoted, text, column });
                }
                ESCAPE => {
                    // A trailing escape leaves the string open; the next loop turn reports it.
                    if let Some(&escaped) = self.chars.get(self.pos) {
                        text.push(escaped);
                        self.pos += 1;
                    }
                }
                _ => text.push(c),
            }
        }
    }
}

/// How a token is named in error messages; long values are shortened.
pub(super) fn describe(token: &Token) -> String {
    let shown: String = token.text.chars().take(40).collect();
    let ellipsis = if token.text.chars().count() > 40 { "…" } else { "" };
    match token.kind {
        TokenKind::End => "the end of the rule".to_string(),
        TokenKind::Quoted => format!("the string \"{shown}{ellipsis}\""),
        _ => format!("`{shown}{ellipsis}`"),
    }
}
