//! A unified diff of two texts, line by line (`casim snapshot`): the common
//! prefix and suffix are set aside, the rest is aligned by a longest common
//! subsequence, and the edits are grouped into `@@` hunks with three lines of
//! context, as `diff -u` prints them.

use std::fmt::Write as _;

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// Above this many cells (lines × lines) of the LCS table, the changed middle
/// is shown as one replacement instead of being aligned.
const MAX_TABLE: usize = 16_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Old line i equals new line j.
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The edit script turning `old` into `new`.
fn edits(old: &[&str], new: &[&str]) -> Vec<Op> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (a, b) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Equal(i, i)).collect();
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_TABLE {
        ops.extend((0..n).map(|i| Op::Delete(prefix + i)));
        ops.extend((0..m).map(|j| Op::Insert(prefix + j)));
    } else {
        // lcs[i][j]: length of the LCS of a[i..] and b[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * width + j] = if a[i] == b[j] {
                    lcs[(i + 1) * width + j + 1] + 1
                } else {
                    lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                ops.push(Op::Equal(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if j == m || (i < n && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
                ops.push(Op::Delete(prefix + i));
                i += 1;
            } else {
                ops.push(Op::Insert(prefix + j));
                j += 1;
            }
        }
    }
    let (old_tail, new_tail) = (old.len() - suffix, new.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Equal(old_tail + k, new_tail + k)));
    ops
}

/// `start,len` of a hunk side, as `diff -u` writes it: the first line
/// (1-based), or the line before the hunk when it is empty.
fn range(first: usize, len: usize) -> String {
    let start = if len == 0 { first } else { first + 1 };
    if len == 1 { start.to_string() } else { format!("{start},{len}") }
}

/// The unified diff from `old` to `new`, or `None` when they are equal.
/// `old_name` and `new_name` go on the `---` and `+++` lines.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edits(&a, &b);
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| !matches!(ops[k], Op::Equal(..))).collect();
    let mut out = String::new();
    let _ = writeln!(out, "--- {old_name}");
    let _ = writeln!(out, "+++ {new_name}");
    if changed.is_empty() {
        // Same lines, different line endings or final newline.
        out.push_str("@@ the texts differ only in line endings or the final newline @@\n");
        return Some(out);
    }
    // Group changes whose context windows touch into hunks of op indices.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &k in &changed {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        match hunks.last_mut() {
            Some((_, end)) if lo <= *end => *end = hi,
            _ => hunks.push((lo, hi)),
        }
    }
    for (lo, hi) in hunks {
        // Where the hunk starts in each text: the position of its first op.
        let (mut old_first, mut new_first) = (None, None);
        let (mut old_len, mut new_len) = (0, 0);
        for op in &ops[lo..hi] {
            match *op {
                Op::Equal(i, j) => {
                    old_first.get_or_insert(i);
                    new_first.get_or_insert(j);
                    old_len += 1;
                    new_len += 1;
                }
                Op::Delete(i) => {
                    old_first.get_or_insert(i);
                    old_len += 1;
                }
                Op::Insert(j) => {
                    new_first.get_or_insert(j);
                    new_len += 1;
                }
            }
        }
        // A side with no lines in the hunk sits after the lines before it.
        let before = |want_old: bool| {
            ops[..lo]
                .iter()
                .filter(|op| match op {
                    Op::Equal(..) => true,
                    Op::Delete(_) => want_old,
                    Op::Insert(_) => !want_old,
                })
                .count()
        };
        let old_first = old_first.unwrap_or_else(|| before(true));
        let new_first = new_first.unwrap_or_else(|| before(false));
        let _ = writeln!(out, "@@ -{} +{} @@", range(old_first, old_len), range(new_first, new_len));
        for op in &ops[lo..hi] {
            let _ = match *op {
                Op::Equal(i, _) => writeln!(out, " {}", a[i]),
                Op::Delete(i) => writeln!(out, "-{}", a[i]),
                Op::Insert(j) => writeln!(out, "+{}", b[j]),
            };
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: std::ops::Range<usize>) -> String {
        n.map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "old", "new"), None);
    }

    #[test]
    fn one_changed_line_with_three_lines_of_context() {
        let old = lines(1..11);
        let new = old.replace("line 5\n", "line five\n");
        let diff = unified(&old, &new, "a.snap", "a.snap (now)").unwrap();
        assert_eq!(
            diff,
            "--- a.snap\n+++ a.snap (now)\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_near_ones_one() {
        let old = lines(1..21);
        let far = old.replace("line 2\n", "two\n").replace("line 18\n", "eighteen\n");
        let diff = unified(&old, &far, "o", "n").unwrap();
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(diff.contains("@@ -1,5 +1,5 @@"), "{diff}");
        assert!(diff.contains("@@ -15,6 +15,6 @@"), "{diff}");
        let near = old.replace("line 5\n", "five\n").replace("line 10\n", "ten\n");
        let diff = unified(&old, &near, "o", "n").unwrap();
        assert_eq!(diff.matches("@@ -").count(), 1, "{diff}");
        assert!(diff.contains("@@ -2,12 +2,12 @@"), "{diff}");
    }

    #[test]
    fn insertions_and_deletions_at_the_ends() {
        let diff = unified("", "a\nb\n", "o", "n").unwrap();
        assert!(diff.ends_with("@@ -0,0 +1,2 @@\n+a\n+b\n"), "{diff}");
        let diff = unified("a\nb\nc\n", "a\nb\n", "o", "n").unwrap();
        assert!(diff.ends_with("@@ -1,3 +1,2 @@\n a\n b\n-c\n"), "{diff}");
        let old = lines(1..10);
        let new = format!("{old}line 10\n");
        let diff = unified(&old, &new, "o", "n").unwrap();
        assert!(diff.ends_with("@@ -7,3 +7,4 @@\n line 7\n line 8\n line 9\n+line 10\n"), "{diff}");
        // A pure insertion in the middle: the old side is empty... of changes only.
        let diff = unified("a\nc\n", "a\nb\nc\n", "o", "n").unwrap();
        assert!(diff.ends_with("@@ -1,2 +1,3 @@\n a\n+b\n c\n"), "{diff}");
    }

    #[test]
    fn moved_lines_are_aligned_by_the_common_subsequence() {
        let diff = unified("a\nb\nc\nd\n", "b\nc\nd\na\n", "o", "n").unwrap();
        assert!(diff.ends_with("@@ -1,4 +1,4 @@\n-a\n b\n c\n d\n+a\n"), "{diff}");
    }

    #[test]
    fn line_endings_alone() {
        let diff = unified("a\n", "a", "o", "n").unwrap();
        assert!(diff.contains("line endings"), "{diff}");
    }
}
