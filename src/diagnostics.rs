//! Located reports about bad input: `file:line:col: message`, the offending source line, and a
//! line of help that says how to fix it.
//!
//! Every parser in the crate returns [`Diagnostic`]s rather than stopping at the first problem, so
//! one build reports every error it found ([`Diagnostics`]). Positions are 1-based and always
//! refer to the file on disk (front matter offsets are added by the caller), never to a fragment.

use std::fmt;

/// How bad a finding is: errors fail the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed; the build still succeeds.
    Warning,
}

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the dossier root, with `/` separators (e.g. `content/articles/x.md`).
    pub file: String,
    /// 1-based line and column, when the problem has a position.
    pub position: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The source line the position points into, shown under the message.
    pub snippet: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about `file` with no position yet.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            message: message.into(),
            snippet: None,
            help: None,
        }
    }

    /// A warning about `file` with no position yet.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Sets the position and, from the whole file's `text`, the snippet.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.position = Some((line, column));
        self.snippet = text.lines().nth(line.saturating_sub(1)).map(|l| l.trim_end().to_string());
        self
    }

    /// Sets the position at a byte offset into the whole file's `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(text, line, column)
    }

    /// Adds the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` (or just `file`).
    pub fn location(&self) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}", self.file),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", escape_controls(&self.location()), escape_controls(&self.message))?;
        if let (Some(snippet), Some((line, col))) = (&self.snippet, self.position) {
            let gutter = line.to_string().len();
            let (shown, caret) = snippet_window(snippet, col.saturating_sub(1));
            let pad: String =
                shown.chars().take(caret).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            write!(f, "\n {line} | {shown}\n {:gutter$} | {pad}^", "")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape_controls(help))?;
        }
        Ok(())
    }
}

/// The widest snippet shown, in characters; a longer line is cut around the caret.
const SNIPPET_WIDTH: usize = 100;

/// The part of `line` shown under a message, and the caret's place in it: at most
/// [`SNIPPET_WIDTH`] characters around character `caret` of the line, with `…` where it was cut,
/// and control characters (which could drive the reader's terminal) shown as `�`.
fn snippet_window(line: &str, caret: usize) -> (String, usize) {
    let clean = |c: char| if c.is_control() && c != '\t' { '\u{FFFD}' } else { c };
    let len = line.chars().count();
    if len <= SNIPPET_WIDTH {
        return (line.chars().map(clean).collect(), caret);
    }
    let start = caret.saturating_sub(SNIPPET_WIDTH / 2).min(len - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut shown: String = if start > 0 { "…".into() } else { String::new() };
    shown.extend(line.chars().skip(start).take(SNIPPET_WIDTH).map(clean));
    if end < len {
        shown.push('…');
    }
    (shown, caret - start + usize::from(start > 0))
}

/// `text` with control characters other than newlines and tabs written as Rust escapes
/// (`\u{1b}`), so a value quoted from a hostile file cannot drive the reader's terminal.
fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// All the errors of one build (warnings travel separately), sorted by file and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by file, then position, then message, so reports are stable across runs.
    pub fn sorted(mut list: Vec<Diagnostic>) -> Self {
        list.sort_by(|a, b| {
            (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message))
        });
        list.dedup();
        Diagnostics(list)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {d}")?;
        }
        write!(f, "{} found", plural(self.0.len(), "error", "errors"))
    }
}

/// `n` and the noun that goes with it: `plural(1, "page", "pages")` is `1 page`, and
/// `plural(3, "page", "pages")` is `3 pages`. For the counts in messages and summaries.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::error::Error for Diagnostics {}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The known name closest to `unknown`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4)); // after the two-byte é
        assert_eq!(line_col(text, 100), (3, 2));
    }

    #[test]
    fn display_shows_location_snippet_caret_and_help() {
        let d = Diagnostic::error("dossier.yaml", "unknown field `titel`")
            .at("a: 1\n  titel: x\n", 2, 3)
            .help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "dossier.yaml:2:3: unknown field `titel`\n 2 |   titel: x\n   |   ^\n  help: did you \
                mean `title`?"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let line = format!("notes: {}", "[".repeat(500));
        let d = Diagnostic::error("x.md", "deep").at(&line, 1, 300);
        let shown = d.to_string();
        let mut lines = shown.lines().skip(1);
        let (snippet, caret) = (lines.next().unwrap(), lines.next().unwrap());
        assert_eq!(snippet, format!(" 1 | …{}…", "[".repeat(100)));
        assert_eq!(caret.find('^'), Some(" 1 | ".len() + 1 + 50));
        // The start and the end of a line are not padded with `…`.
        let d = Diagnostic::error("x.md", "deep").at(&line, 1, 3);
        assert!(d.to_string().contains(&format!(" 1 | notes: {}…\n   |   ^", "[".repeat(93))));
        let d = Diagnostic::error("x.md", "deep").at(&line, 1, 507);
        assert!(d.to_string().contains(&format!(" 1 | …{}\n", "[".repeat(100))), "{d}");
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let d = Diagnostic::error("x.md", "`a\u{1b}[31mb\0` is bad")
            .at("src: \"a\u{1b}[31m\"", 1, 6)
            .help("not \u{7}this");
        assert_eq!(
            d.to_string(),
            "x.md:1:6: `a\\u{1b}[31mb\\u{0}` is bad\n 1 | src: \"a\u{FFFD}[31m\"\n   |      ^\n  \
                help: not \\u{7}this"
        );
    }

    #[test]
    fn did_you_mean_suggests_only_close_names() {
        assert_eq!(did_you_mean("titel", ["title", "outlet"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "outlet"]), None);
    }

    #[test]
    fn diagnostics_are_sorted_and_counted() {
        let list = vec![
            Diagnostic::error("b.md", "second"),
            Diagnostic::error("a.md", "first").at("x\ny", 2, 1),
        ];
        let all = Diagnostics::sorted(list);
        assert_eq!(all.0[0].file, "a.md");
        assert!(all.to_string().ends_with("2 errors found"));
    }
}
