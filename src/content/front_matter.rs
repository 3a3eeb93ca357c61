//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! The front matter is the block between a first line `---` and the next line `---`. Line endings
//! may be `\n` or `\r\n`; a byte-order mark has already been dropped by [`crate::fs`]. The split
//! keeps byte ranges and line numbers into the original text, so errors found later in the YAML
//! or the Markdown can be reported at their line in the file.

use std::ops::Range;

/// The parts of a file, as ranges into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub front_matter: Range<usize>,
    /// 1-based line of the file on which the YAML starts.
    pub front_matter_line: usize,
    /// The Markdown after the closing fence.
    pub body: Range<usize>,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// The opening `---` has no closing `---`.
    Unterminated,
}

impl SplitError {
    /// The message and the fix, for a [`crate::diagnostics::Diagnostic`].
    pub fn explain(&self) -> (&'static str, &'static str) {
        match self {
            SplitError::Missing => (
                "the file has no front matter",
                "start the file with a line `---`, then the metadata (`title: …`), then another \
                    line `---`, then the text",
            ),
            SplitError::Unterminated => (
                "the front matter opened on line 1 is never closed",
                "add a line `---` after the last metadata line, before the text",
            ),
        }
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(first) {
        return Err(SplitError::Missing);
    }
    let fm_start = first.len();
    let mut pos = fm_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if is_fence(line) {
            let body_start = pos + line.len();
            return Ok(Split {
                front_matter: fm_start..pos,
                front_matter_line: 2,
                body: body_start..text.len(),
                body_line: line_no + 1,
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unterminated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str, usize) {
        let s = split(text).unwrap();
        (&text[s.front_matter.clone()], &text[s.body.clone()], s.body_line)
    }

    #[test]
    fn splits_front_matter_and_body() {
        assert_eq!(parts("---\ntitle: x\n---\nHello\n"), ("title: x\n", "Hello\n", 4));
    }

    #[test]
    fn accepts_crlf_line_endings() {
        assert_eq!(parts("---\r\ntitle: x\r\n---\r\nHello\r\n"), ("title: x\r\n", "Hello\r\n", 4));
    }

    #[test]
    fn empty_body_and_empty_front_matter() {
        assert_eq!(parts("---\ntitle: x\n---\n"), ("title: x\n", "", 4));
        assert_eq!(parts("---\ntitle: x\n---"), ("title: x\n", "", 4));
        assert_eq!(parts("---\n---\nbody"), ("", "body", 3));
    }

    #[test]
    fn fences_may_have_trailing_spaces_but_not_more_dashes() {
        assert_eq!(parts("---  \na: 1\n--- \nb").1, "b");
        assert_eq!(split("----\na: 1\n---\n"), Err(SplitError::Missing));
    }

    #[test]
    fn a_dash_line_inside_yaml_text_is_not_a_fence() {
        // `---x` is not a fence; only a line that is exactly `---` closes.
        assert_eq!(parts("---\nnote: a\n---x\n---\nbody\n").0, "note: a\n---x\n");
    }

    #[test]
    fn missing_and_unterminated() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\nbody\n"), Err(SplitError::Unterminated));
    }

    use proptest::prelude::*;

    /// A front-matter line: anything but a line break, and not a fence.
    fn yaml_line() -> impl Strategy<Value = String> {
        "[^\r\n]{0,12}".prop_filter("a fence", |l| l.trim_end() != "---")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text splits or is refused without panicking; a split's ranges are in order, on
        /// character boundaries, end at the end of the text, and its line numbers count lines.
        #[test]
        fn any_text_splits_cleanly_or_not_at_all(text in "(---[ \t]*\r?\n)?(\\PC|\r|\n|-){0,40}") {
            if let Ok(s) = split(&text) {
                prop_assert!(s.front_matter.start <= s.front_matter.end);
                prop_assert!(s.front_matter.end <= s.body.start && s.body.end == text.len());
                prop_assert!(
                    text.is_char_boundary(s.front_matter.end)
                        && text.is_char_boundary(s.body.start)
                );
                prop_assert_eq!(s.front_matter_line, 2);
                let head = &text[..s.body.start];
                let lines = head.matches('\n').count() + usize::from(!head.ends_with('\n'));
                prop_assert_eq!(s.body_line, lines + 1);
            }
        }

        /// Whatever the front matter and body are, a file made of a fence, the front matter, a
        /// fence and the body splits back into exactly those parts, with `\n` or `\r\n`.
        #[test]
        fn fenced_parts_split_back(
            lines in proptest::collection::vec(yaml_line(), 0..6),
            body in "(\\PC|\r|\n){0,40}",
            crlf: bool,
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let fm: String = lines.iter().map(|l| format!("{l}{nl}")).collect();
            let text = format!("---{nl}{fm}---{nl}{body}");
            let s = split(&text).unwrap();
            prop_assert_eq!(&text[s.front_matter.clone()], fm.as_str());
            prop_assert_eq!(&text[s.body.clone()], body.as_str());
            prop_assert_eq!(s.body_line, lines.len() + 3);
        }
    }
}
