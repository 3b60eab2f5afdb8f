//! The `--fail-if` expression language (docs/diff.md): numbers, dotted field
//! paths, `+ - * /`, comparisons `> >= < <= == !=`, `and`, `or`, `not` and
//! parentheses. A hand-written recursive-descent parser with static types
//! (number or condition), so that every mistake is reported before the
//! simulation runs, with its column.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! expr    := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | cmp
//! cmp     := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | atom
//! atom    := NUMBER | PATH | "(" expr ")"
//! ```

use std::fmt::Write as _;

/// How deeply parentheses, `not` and unary `-` may nest (docs/limits.md).
/// The parser and every walk of the tree recurse once per level, so an
/// unbounded depth would overflow the stack; no useful condition nests 64 deep.
pub const MAX_NESTING: usize = 64;
/// How many tokens an expression may have (docs/limits.md). A chain such as
/// `a + a + a …` parses in a loop but builds a tree as deep as it is long,
/// which the type check and evaluation walk recursively.
pub const MAX_TOKENS: usize = 1_000;

/// A mistake in an expression: what is wrong, at which column (1-based, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    /// The message, the expression and a caret under the column.
    pub fn render(&self, source: &str) -> String {
        format!(
            "{} (column {})\n  {source}\n  {}^",
            self.message,
            self.column,
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

/// A field the expression names that the summary does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownField {
    pub name: String,
    pub column: usize,
    /// "did you mean `x`?", when one is close.
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    fn apply(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Byte offsets of a node in the source, to quote it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Num(f64),
    /// The path as written, and the full path it resolves to (`resolve`).
    Field {
        written: String,
        full: Option<String>,
    },
    Neg(Box<Ast>),
    Arith(ArithOp, Box<Ast>, Box<Ast>),
    Cmp(CmpOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
}

#[derive(Debug, Clone, PartialEq)]
struct Ast {
    node: Node,
    span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Number,
    Condition,
}

/// A parsed, type-checked condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    source: String,
    root: Ast,
}

/// The result of evaluating a condition: whether it holds, and each
/// comparison with its values, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub holds: bool,
    /// (the comparison as written, the values compared, whether it held).
    pub comparisons: Vec<(String, String, bool)>,
    /// Every field read, with its full path and value, in source order.
    pub fields: Vec<(String, String, f64)>,
}

/// One clause of a condition (`Expr::clauses`): as written, and its evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub text: String,
    pub evaluation: Evaluation,
}

impl Evaluation {
    /// Lines explaining the result: each comparison, then the fields' values.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        for (text, values, held) in &self.comparisons {
            let _ = writeln!(out, "  {:<5}  {text}    ({values})", if *held { "true" } else { "false" });
        }
        let mut seen = std::collections::BTreeSet::new();
        for (written, full, value) in &self.fields {
            if seen.insert(full) {
                let shown = if written == full { full.clone() } else { format!("{written} = {full}") };
                let _ = writeln!(out, "  where  {shown} = {}", number(*value));
            }
        }
        out
    }
}

/// A number as the summary shows it: integers without a fraction, others
/// with up to three decimals.
pub fn number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Path(String),
    And,
    Or,
    Not,
    Cmp(CmpOp),
    Arith(ArithOp),
    Open,
    Close,
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

/// Character column (1-based) of a byte offset.
fn column(source: &str, byte: usize) -> usize {
    source[..byte.min(source.len())].chars().count() + 1
}

/// Long: one arm per token of the `--fail-if` language.
fn lex(source: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let err = |at: usize, message: String| ParseError { column: column(source, at), message };
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'.' {
                i += 1;
                if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(err(start, format!("`{}` is not a number", &source[start..i])));
                }
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
                return Err(err(i, "a number must not be followed by a letter".to_string()));
            }
            Tok::Num(source[start..i].parse().map_err(|_| err(start, "not a number".to_string()))?)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'.' {
                    if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                        i += 1;
                        continue;
                    }
                    return Err(err(i, "a field path must not end with `.`; expected a name after it".to_string()));
                }
                break;
            }
            match &source[start..i] {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                path => Tok::Path(path.to_string()),
            }
        } else {
            let two = bytes.get(i + 1).copied();
            let (tok, len) = match (c, two) {
                (b'>', Some(b'=')) => (Tok::Cmp(CmpOp::Ge), 2),
                (b'<', Some(b'=')) => (Tok::Cmp(CmpOp::Le), 2),
                (b'=', Some(b'=')) => (Tok::Cmp(CmpOp::Eq), 2),
                (b'!', Some(b'=')) => (Tok::Cmp(CmpOp::Ne), 2),
                (b'>', _) => (Tok::Cmp(CmpOp::Gt), 1),
                (b'<', _) => (Tok::Cmp(CmpOp::Lt), 1),
                (b'+', _) => (Tok::Arith(ArithOp::Add), 1),
                (b'-', _) => (Tok::Arith(ArithOp::Sub), 1),
                (b'*', _) => (Tok::Arith(ArithOp::Mul), 1),
                (b'/', _) => (Tok::Arith(ArithOp::Div), 1),
                (b'(', _) => (Tok::Open, 1),
                (b')', _) => (Tok::Close, 1),
                (b'=', _) => return Err(err(i, "unexpected `=`; compare with `==`".to_string())),
                (b'&', _) => return Err(err(i, "unexpected `&`; write `and`".to_string())),
                (b'|', _) => return Err(err(i, "unexpected `|`; write `or`".to_string())),
                (b'!', _) => return Err(err(i, "unexpected `!`; write `not`, or `!=` to compare".to_string())),
                _ => {
                    let ch = source[i..].chars().next().unwrap_or('?');
                    return Err(err(i, format!("unexpected character `{ch}`")));
                }
            };
            i += len;
            tok
        };
        tokens.push(Token { tok, span: Span { start, end: i } });
    }
    tokens.push(Token { tok: Tok::End, span: Span { start: source.len(), end: source.len() } });
    Ok(tokens)
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Parentheses, `not` and `-` open around the current token.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos]
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn error_at(&self, span: Span, message: impl Into<String>) -> ParseError {
        ParseError { column: column(self.source, span.start), message: message.into() }
    }

    fn describe(&self, t: &Token) -> String {
        match t.tok {
            Tok::End => "the end of the expression".to_string(),
            _ => format!("`{}`", &self.source[t.span.start..t.span.end]),
        }
    }

    fn text(&self, span: Span) -> &str {
        &self.source[span.start..span.end]
    }

    /// Enters one more level of nesting at `span`, refusing past `MAX_NESTING`.
    fn nest(&mut self, span: Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_at(
                span,
                format!(
                    "the expression nests more than {MAX_NESTING} levels of `(`, `not` and `-`, casim's fixed limit; \
                     write it with fewer levels"
                ),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.and()?;
        while self.peek().tok == Tok::Or {
            self.bump();
            let right = self.and()?;
            let span = Span { start: left.span.start, end: right.span.end };
            left = Ast { node: Node::Or(Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.not()?;
        while self.peek().tok == Tok::And {
            self.bump();
            let right = self.not()?;
            let span = Span { start: left.span.start, end: right.span.end };
            left = Ast { node: Node::And(Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, ParseError> {
        if self.peek().tok == Tok::Not {
            let t = self.bump();
            self.nest(t.span)?;
            let inner = self.not()?;
            self.depth -= 1;
            let span = Span { start: t.span.start, end: inner.span.end };
            return Ok(Ast { node: Node::Not(Box::new(inner)), span });
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Ast, ParseError> {
        let left = self.sum()?;
        let Tok::Cmp(op) = self.peek().tok else { return Ok(left) };
        self.bump();
        let right = self.sum()?;
        if let Tok::Cmp(_) = self.peek().tok {
            let t = self.peek().clone();
            return Err(self.error_at(
                t.span,
                format!(
                    "comparisons do not chain: `{}` already compares; join two with `and`",
                    self.text(Span { start: left.span.start, end: right.span.end })
                ),
            ));
        }
        let span = Span { start: left.span.start, end: right.span.end };
        Ok(Ast { node: Node::Cmp(op, Box::new(left), Box::new(right)), span })
    }

    fn sum(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.product()?;
        while let Tok::Arith(op @ (ArithOp::Add | ArithOp::Sub)) = self.peek().tok {
            self.bump();
            let right = self.product()?;
            let span = Span { start: left.span.start, end: right.span.end };
            left = Ast { node: Node::Arith(op, Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.unary()?;
        while let Tok::Arith(op @ (ArithOp::Mul | ArithOp::Div)) = self.peek().tok {
            self.bump();
            let right = self.unary()?;
            let span = Span { start: left.span.start, end: right.span.end };
            left = Ast { node: Node::Arith(op, Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Ast, ParseError> {
        if self.peek().tok == Tok::Arith(ArithOp::Sub) {
            let t = self.bump();
            self.nest(t.span)?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = Span { start: t.span.start, end: inner.span.end };
            return Ok(Ast { node: Node::Neg(Box::new(inner)), span });
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Ast, ParseError> {
        let t = self.bump();
        match t.tok {
            Tok::Num(v) => Ok(Ast { node: Node::Num(v), span: t.span }),
            Tok::Path(p) => Ok(Ast { node: Node::Field { written: p, full: None }, span: t.span }),
            Tok::Open => {
                self.nest(t.span)?;
                let inner = self.or()?;
                self.depth -= 1;
                let close = self.bump();
                if close.tok != Tok::Close {
                    return Err(self.error_at(
                        close.span,
                        format!(
                            "expected `)` to close the `(` at column {}, found {}",
                            column(self.source, t.span.start),
                            self.describe(&close)
                        ),
                    ));
                }
                Ok(Ast { node: inner.node, span: Span { start: t.span.start, end: close.span.end } })
            }
            _ => Err(self.error_at(t.span, format!("expected a number, a field or `(`, found {}", self.describe(&t)))),
        }
    }
}

/// Checks operand types; returns the node's type.
fn check(source: &str, ast: &Ast) -> Result<Type, ParseError> {
    let want = |a: &Ast, want: Type, context: &str| -> Result<(), ParseError> {
        let got = check(source, a)?;
        if got == want {
            return Ok(());
        }
        let what = &source[a.span.start..a.span.end];
        let message = match want {
            Type::Condition => {
                format!("{context} needs a condition (a comparison such as `x > 3`), and `{what}` is a number")
            }
            Type::Number => format!("{context} needs a number, and `{what}` is a condition"),
        };
        Err(ParseError { column: column(source, a.span.start), message })
    };
    match &ast.node {
        Node::Num(_) | Node::Field { .. } => Ok(Type::Number),
        Node::Neg(a) => want(a, Type::Number, "`-`").map(|_| Type::Number),
        Node::Arith(op, a, b) => {
            let name = match op {
                ArithOp::Add => "`+`",
                ArithOp::Sub => "`-`",
                ArithOp::Mul => "`*`",
                ArithOp::Div => "`/`",
            };
            want(a, Type::Number, name)?;
            want(b, Type::Number, name)?;
            Ok(Type::Number)
        }
        Node::Cmp(op, a, b) => {
            let name = format!("`{}`", op.symbol());
            want(a, Type::Number, &name)?;
            want(b, Type::Number, &name)?;
            Ok(Type::Condition)
        }
        Node::And(a, b) => {
            want(a, Type::Condition, "`and`")?;
            want(b, Type::Condition, "`and`")?;
            Ok(Type::Condition)
        }
        Node::Or(a, b) => {
            want(a, Type::Condition, "`or`")?;
            want(b, Type::Condition, "`or`")?;
            Ok(Type::Condition)
        }
        Node::Not(a) => want(a, Type::Condition, "`not`").map(|_| Type::Condition),
    }
}

/// Parses and type-checks a condition.
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    if source.trim().is_empty() {
        return Err(ParseError {
            column: 1,
            message: "the expression is empty; expected a condition such as `prompts_per_user_day.p95 > 3`".to_string(),
        });
    }
    let tokens = lex(source)?;
    // The last token is `End`.
    if tokens.len() > MAX_TOKENS + 1 {
        let past = &tokens[MAX_TOKENS];
        return Err(ParseError {
            column: column(source, past.span.start),
            message: format!(
                "the expression has {} tokens, more than casim's fixed limit of {MAX_TOKENS}; write a shorter condition",
                tokens.len() - 1
            ),
        });
    }
    let mut p = Parser { source, tokens, pos: 0, depth: 0 };
    let root = p.or()?;
    let next = p.peek().clone();
    if next.tok != Tok::End {
        let message = if next.tok == Tok::Close {
            "unexpected `)` with no `(` to close".to_string()
        } else {
            format!("unexpected {} after a complete expression; join conditions with `and` or `or`", p.describe(&next))
        };
        return Err(p.error_at(next.span, message));
    }
    if check(source, &root)? == Type::Number {
        return Err(ParseError {
            column: 1,
            message: format!(
                "`{}` is a number, not a condition; compare it, e.g. `{} > 3`",
                source.trim(),
                source.trim()
            ),
        });
    }
    Ok(Expr { source: source.to_string(), root })
}

impl Expr {
    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Resolves each field path to a full path with `resolve` (which applies
    /// the shorthand); the first path it does not know is an error.
    pub fn resolve(&mut self, resolve: &dyn Fn(&str) -> Option<String>) -> Result<(), UnknownField> {
        fn walk(source: &str, ast: &mut Ast, resolve: &dyn Fn(&str) -> Option<String>) -> Result<(), UnknownField> {
            match &mut ast.node {
                Node::Num(_) => Ok(()),
                Node::Field { written, full } => match resolve(written) {
                    Some(f) => {
                        *full = Some(f);
                        Ok(())
                    }
                    None => Err(UnknownField {
                        name: written.clone(),
                        column: column(source, ast.span.start),
                        suggestion: None,
                    }),
                },
                Node::Neg(a) | Node::Not(a) => walk(source, a, resolve),
                Node::Arith(_, a, b) | Node::Cmp(_, a, b) | Node::And(a, b) | Node::Or(a, b) => {
                    walk(source, a, resolve)?;
                    walk(source, b, resolve)
                }
            }
        }
        let source = self.source.clone();
        walk(&source, &mut self.root, resolve)
    }

    /// Evaluates the condition; `value` gives each resolved field's value.
    /// Every comparison is evaluated (no short-circuit) so that all can be shown.
    pub fn evaluate(&self, value: &dyn Fn(&str) -> f64) -> Evaluation {
        let mut ev = Evaluation { holds: false, comparisons: Vec::new(), fields: Vec::new() };
        let v = self.eval(&self.root, value, &mut ev);
        ev.holds = v != 0.0;
        ev
    }

    /// Each clause of the condition judged on its own: the operands of its
    /// top-level `or`s, in source order (a condition without a top-level `or`
    /// is one clause). The condition holds exactly when a clause holds, so a
    /// CI report can show one test case a clause (`--format junit`).
    pub fn clauses(&self, value: &dyn Fn(&str) -> f64) -> Vec<Clause> {
        fn split<'a>(ast: &'a Ast, out: &mut Vec<&'a Ast>) {
            match &ast.node {
                Node::Or(a, b) => {
                    split(a, out);
                    split(b, out);
                }
                _ => out.push(ast),
            }
        }
        let mut asts = Vec::new();
        split(&self.root, &mut asts);
        asts.into_iter()
            .map(|ast| {
                let mut ev = Evaluation { holds: false, comparisons: Vec::new(), fields: Vec::new() };
                ev.holds = self.eval(ast, value, &mut ev) != 0.0;
                Clause { text: self.source[ast.span.start..ast.span.end].trim().to_string(), evaluation: ev }
            })
            .collect()
    }

    fn eval(&self, ast: &Ast, value: &dyn Fn(&str) -> f64, ev: &mut Evaluation) -> f64 {
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        match &ast.node {
            Node::Num(v) => *v,
            Node::Field { written, full } => {
                let full = full.clone().unwrap_or_else(|| written.clone());
                let v = value(&full);
                ev.fields.push((written.clone(), full, v));
                v
            }
            Node::Neg(a) => -self.eval(a, value, ev),
            Node::Arith(op, a, b) => {
                let (x, y) = (self.eval(a, value, ev), self.eval(b, value, ev));
                match op {
                    ArithOp::Add => x + y,
                    ArithOp::Sub => x - y,
                    ArithOp::Mul => x * y,
                    ArithOp::Div => x / y,
                }
            }
            Node::Cmp(op, a, b) => {
                let (x, y) = (self.eval(a, value, ev), self.eval(b, value, ev));
                let held = op.apply(x, y);
                let text = self.source[ast.span.start..ast.span.end].to_string();
                ev.comparisons.push((text, format!("{} {} {}", number(x), op.symbol(), number(y)), held));
                truth(held)
            }
            Node::And(a, b) => {
                let (x, y) = (self.eval(a, value, ev), self.eval(b, value, ev));
                truth(x != 0.0 && y != 0.0)
            }
            Node::Or(a, b) => {
                let (x, y) = (self.eval(a, value, ev), self.eval(b, value, ev));
                truth(x != 0.0 || y != 0.0)
            }
            Node::Not(a) => truth(self.eval(a, value, ev) == 0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> Option<String> {
        match name {
            "a" | "proposed.a" => Some("proposed.a".into()),
            "b" | "proposed.b" => Some("proposed.b".into()),
            "baseline.a" => Some("baseline.a".into()),
            "x.p95" => Some("proposed.x.p95".into()),
            _ => None,
        }
    }

    fn values(full: &str) -> f64 {
        match full {
            "proposed.a" => 4.0,
            "proposed.b" => 0.0,
            "baseline.a" => 1.0,
            "proposed.x.p95" => 3.5,
            _ => panic!("unexpected field {full}"),
        }
    }

    fn eval(src: &str) -> bool {
        let mut e = parse(src).unwrap_or_else(|err| panic!("{src}: {}", err.render(src)));
        e.resolve(&fields).unwrap_or_else(|u| panic!("{src}: unknown {}", u.name));
        e.evaluate(&values).holds
    }

    fn error(src: &str) -> ParseError {
        parse(src).expect_err(src)
    }

    #[test]
    fn comparisons_of_fields_and_numbers() {
        assert!(eval("a > 3"));
        assert!(!eval("a > 4"));
        assert!(eval("a >= 4"));
        assert!(eval("a <= 4"));
        assert!(!eval("a < 4"));
        assert!(eval("a == 4"));
        assert!(eval("a != 4.5"));
        assert!(eval("x.p95 > 3.25"));
        assert!(eval("proposed.a - baseline.a == 3"));
    }

    #[test]
    fn precedence_of_arithmetic_and_logic() {
        assert!(eval("1 + 2 * 3 == 7"));
        assert!(eval("(1 + 2) * 3 == 9"));
        assert!(eval("10 - 2 - 3 == 5"), "subtraction is left-associative");
        assert!(eval("12 / 3 / 2 == 2"), "division is left-associative");
        assert!(eval("-a == -4"));
        assert!(eval("- -a == 4"));
        // `and` binds tighter than `or`: true or (false and false).
        assert!(eval("a > 3 or b > 0 and a > 100"));
        assert!(!eval("(a > 3 or b > 0) and a > 100"));
        assert!(eval("not b > 0"));
        assert!(!eval("not not b > 0"));
        assert!(eval("not (a > 3 and b > 0)"));
        assert!(eval(".5 * 2 == 1"));
    }

    #[test]
    fn division_by_zero_follows_ieee() {
        assert!(eval("a / 0 > 1000000"));
        assert!(!eval("0 / 0 > 0"), "NaN compares false");
        assert!(!eval("0 / 0 == 0 / 0"));
    }

    #[test]
    fn clauses_are_the_operands_of_top_level_ors() {
        let mut e = parse("a > 3 or (b > 0 or a > 100) and a > 1 or not b > 0").unwrap();
        e.resolve(&fields).unwrap();
        let clauses = e.clauses(&values);
        let judged: Vec<(&str, bool)> = clauses.iter().map(|c| (c.text.as_str(), c.evaluation.holds)).collect();
        assert_eq!(judged, vec![("a > 3", true), ("(b > 0 or a > 100) and a > 1", false), ("not b > 0", true)]);
        assert_eq!(clauses[1].evaluation.comparisons.len(), 3, "a clause explains its own comparisons");
        let mut one = parse("a > 4 and b > 0").unwrap();
        one.resolve(&fields).unwrap();
        let clauses = one.clauses(&values);
        assert_eq!(clauses.len(), 1);
        assert!(!clauses[0].evaluation.holds);
    }

    #[test]
    fn evaluation_lists_each_comparison_and_field() {
        let mut e = parse("a > 3 or b > 0").unwrap();
        e.resolve(&fields).unwrap();
        let ev = e.evaluate(&values);
        assert!(ev.holds);
        assert_eq!(
            ev.comparisons,
            vec![("a > 3".to_string(), "4 > 3".to_string(), true), ("b > 0".to_string(), "0 > 0".to_string(), false),]
        );
        let text = ev.explain();
        assert!(text.contains("true   a > 3"), "{text}");
        assert!(text.contains("where  a = proposed.a = 4"), "{text}");
    }

    #[test]
    fn syntax_errors_name_the_column() {
        let e = error("a > ");
        assert_eq!(e.column, 5);
        assert!(e.message.contains("found the end of the expression"), "{}", e.message);
        let e = error("a >> 3");
        assert_eq!(e.column, 4);
        let e = error("(a > 3");
        assert_eq!(e.column, 7);
        assert!(e.message.contains("expected `)`"), "{}", e.message);
        let e = error("a > 3)");
        assert_eq!(e.column, 6);
        let e = error("a = 3");
        assert_eq!(e.column, 3);
        assert!(e.message.contains("=="), "{}", e.message);
        let e = error("a > 3 && b > 0");
        assert_eq!(e.column, 7);
        assert!(e.message.contains("and"), "{}", e.message);
        let e = error("a > 3 b > 0");
        assert_eq!(e.column, 7);
        let e = error("a. > 3");
        assert_eq!(e.column, 2);
        let e = error("a > 3 # comment");
        assert_eq!(e.column, 7);
        let e = error("1 < a < 5");
        assert_eq!(e.column, 7);
        assert!(e.message.contains("do not chain"), "{}", e.message);
        assert_eq!(error("").column, 1);
        assert_eq!(error("3x > 1").column, 2);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let e = error("é > 3");
        assert_eq!(e.column, 1);
        let e = error("a > 3 or é");
        assert_eq!(e.column, 10);
    }

    #[test]
    fn type_errors_say_what_is_expected() {
        let e = error("a");
        assert!(e.message.contains("is a number, not a condition"), "{}", e.message);
        let e = error("a > 1 and 3");
        assert_eq!(e.column, 11);
        assert!(e.message.contains("`and` needs a condition"), "{}", e.message);
        let e = error("(a > 1) + 2 > 0");
        assert_eq!(e.column, 1);
        assert!(e.message.contains("needs a number"), "{}", e.message);
        let e = error("not a");
        assert_eq!(e.column, 5);
    }

    #[test]
    fn unknown_fields_are_reported_with_their_column() {
        let mut e = parse("a > 1 or nope.p95 > 2").unwrap();
        let u = e.resolve(&fields).unwrap_err();
        assert_eq!(u.name, "nope.p95");
        assert_eq!(u.column, 10);
    }

    #[test]
    fn nesting_and_length_are_bounded_before_recursing() {
        for deep in ["(".repeat(500) + "1", "-".repeat(500) + "1 > 0", "not ".repeat(300) + "1 > 0"] {
            let e = error(&deep);
            assert!(e.message.contains("more than 64 levels"), "{}", e.message);
            assert_eq!(e.column, if deep.starts_with('n') { 64 * 4 + 1 } else { 65 });
        }
        let at_limit = format!("{}1 > 0{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(&at_limit).is_ok());
        let long = format!("{} > 0", vec!["1"; 2_000].join(" + "));
        let e = error(&long);
        assert!(e.message.contains("4001 tokens") && e.message.contains("limit of 1000"), "{}", e.message);
        let under = format!("{} > 0", vec!["1"; 499].join(" + "));
        assert!(parse(&under).is_ok());
    }

    #[test]
    fn render_points_at_the_column() {
        let src = "a >> 3";
        let text = error(src).render(src);
        assert!(text.ends_with("\n  a >> 3\n     ^"), "{text:?}");
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.125), "0.125");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1.0 / 3.0), "0.333");
        assert_eq!(number(-2.0), "-2");
    }
}
