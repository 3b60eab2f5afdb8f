//! A position in a Graph document: the node, its JSON path and its file, so
//! that every error names all three.

use std::path::Path;

use crate::error::{InputError, Pos};
use crate::policy::json::{Node, Value};

#[derive(Clone)]
pub(super) struct Field<'a> {
    pub node: &'a Node,
    pub file: &'a Path,
    pub text: &'a str,
    /// The JSON path, e.g. `$[2].conditions.users.includeUsers[0]`.
    pub path: String,
}

pub(super) type Result<T> = std::result::Result<T, InputError>;

impl<'a> Field<'a> {
    pub(super) fn root(file: &'a Path, text: &'a str, node: &'a Node) -> Field<'a> {
        Field { node, file, text, path: "$".to_string() }
    }

    fn child(&self, node: &'a Node, path: String) -> Field<'a> {
        Field { node, file: self.file, text: self.text, path }
    }

    pub(super) fn error(&self, message: impl Into<String>) -> InputError {
        self.error_at(0, message)
    }

    /// An error `columns` characters after the value's start (inside a string).
    pub(super) fn error_at(&self, columns: usize, message: impl Into<String>) -> InputError {
        let pos = Pos { line: self.node.line, column: self.node.column + columns };
        InputError::new(self.file, Some(pos), format!("{}: {}", self.path, message.into())).with_source(self.text)
    }

    /// A member, unless missing or null.
    pub(super) fn get(&self, key: &str) -> Option<Field<'a>> {
        let node = self.node.get(key).filter(|n| !n.is_null())?;
        Some(self.child(node, format!("{}.{key}", self.path)))
    }

    /// The members of an object, in order (empty for anything else).
    pub(super) fn members(&self) -> Vec<(&'a str, Field<'a>)> {
        match &self.node.value {
            Value::Object(m) => {
                m.iter().map(|(k, node)| (k.as_str(), self.child(node, format!("{}.{k}", self.path)))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The elements of an array.
    pub(super) fn elements(&self) -> Result<Vec<Field<'a>>> {
        match &self.node.value {
            Value::Array(items) => {
                Ok(items.iter().enumerate().map(|(i, node)| self.child(node, format!("{}[{i}]", self.path))).collect())
            }
            _ => Err(self.error(format!("expected an array, found {}", self.node.kind()))),
        }
    }

    pub(super) fn str(&self) -> Result<&'a str> {
        match &self.node.value {
            Value::String(s) => Ok(s),
            _ => Err(self.error(format!("expected a string, found {}", self.node.kind()))),
        }
    }

    pub(super) fn bool(&self) -> Result<bool> {
        match self.node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.error(format!("expected true or false, found {}", self.node.kind()))),
        }
    }

    pub(super) fn int(&self) -> Result<i64> {
        match &self.node.value {
            Value::Number(n) => n.parse().map_err(|_| self.error(format!("expected a whole number, found {n}"))),
            _ => Err(self.error(format!("expected a whole number, found {}", self.node.kind()))),
        }
    }

    pub(super) fn is_object(&self) -> bool {
        matches!(self.node.value, Value::Object(_))
    }

    /// Fails unless an object.
    pub(super) fn object(&self) -> Result<()> {
        if self.is_object() {
            Ok(())
        } else {
            Err(self.error(format!("expected an object, found {}", self.node.kind())))
        }
    }
}

/// Calls `f` with each string of the array at `key` (missing or null: none).
pub(super) fn each_string(
    parent: &Field<'_>,
    key: &str,
    mut f: impl FnMut(&Field<'_>, &str) -> Result<()>,
) -> Result<()> {
    let Some(list) = parent.get(key) else { return Ok(()) };
    for item in list.elements()? {
        let text = item.str()?;
        f(&item, text)?;
    }
    Ok(())
}
