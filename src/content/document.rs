//! A Markdown file with YAML front matter, parsed into typed metadata and a body.
//!
//! Shared by articles, pages and the front page: the file keeps its whole text (for error
//! snippets and for the provenance hash) and remembers where the body starts, so errors in the
//! body are reported at their line in the file.
//!
//! A one-off build lets go of each report's body once it is parsed ([`Document::release_body`])
//! and reads the file again when it renders the page ([`Document::full_text`]), checked against
//! the hash taken at load: the model holds the front matter of 100,000 articles, not their
//! 400 MB of text.

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;

use serde::de::DeserializeOwned;

use super::front_matter::{self, SplitError};
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// A parsed Markdown file.
#[derive(Debug, Clone)]
pub struct Document<M> {
    /// The file, relative to the dossier root (`content/articles/x.md`).
    pub source: String,
    /// The URL slug: the file name without its extension, slugified.
    pub slug: String,
    /// The whole text of the file; only its front matter once the body was let go
    /// ([`Document::release_body`]).
    pub text: String,
    /// The typed front matter.
    pub meta: M,
    /// Where the Markdown body is in `text`.
    pub body: Range<usize>,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
    /// The SHA-256 of the file's bytes (lowercase hex), as `sha256sum` prints it: the provenance
    /// a reader checks a copy against. [`Document::parse`] hashes `text`; the loader, which
    /// sees the bytes on disk, sets it from them (they differ only by a byte-order mark).
    pub source_sha256: String,
    /// Where the file is, once its body was let go: [`Document::full_text`] reads it again.
    released: Option<PathBuf>,
}

impl<M: DeserializeOwned> Document<M> {
    /// Splits and deserializes `text`; `source` is the path shown in messages.
    pub fn parse(source: &str, text: String) -> Result<Self, Diagnostic> {
        let split = front_matter::split(&text).map_err(|e| {
            let (message, help) = e.explain();
            let d = Diagnostic::error(source, message).help(help);
            match e {
                SplitError::Missing | SplitError::Unterminated => d.at(&text, 1, 1),
            }
        })?;
        let src = yaml::Source { file: source, text: &text, first_line: split.front_matter_line };
        let meta = yaml::parse(&text[split.front_matter.clone()], src)?;
        Ok(Document {
            source: source.to_string(),
            slug: slug_of(source),
            meta,
            body: split.body,
            body_line: split.body_line,
            source_sha256: crate::hash::sha256_hex(text.as_bytes()),
            text,
            released: None,
        })
    }
}

/// The slug of a file: its name without the extension, slugified (`2019-06-13 Reuters.md` →
/// `2019-06-13-reuters`).
pub fn slug_of(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    crate::values::slugify(stem)
}

impl<M> Document<M> {
    /// The Markdown body, while it is held (empty once let go: see [`Document::full_text`]).
    pub fn body(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or_default()
    }

    /// Lets go of the body and keeps the front matter (what the checks after loading and the
    /// messages about it need). `path` is where the file is, for [`Document::full_text`].
    pub fn release_body(&mut self, path: PathBuf) {
        self.text.truncate(self.body.start);
        self.text.shrink_to_fit();
        self.released = Some(path);
    }

    /// The whole text of the file: held, or read again when the body was let go. A file that
    /// changed since it was loaded (its bytes no longer have `source_sha256`) is an error: the
    /// page would not be the one the rest of the build saw.
    pub fn full_text(&self) -> Result<Cow<'_, str>, Diagnostic> {
        let Some(path) = &self.released else { return Ok(Cow::Borrowed(&self.text)) };
        let (text, sha256) = super::load::read_text(path, &self.source)?;
        if sha256 != self.source_sha256 {
            return Err(Diagnostic::error(
                &self.source,
                "the file changed while the dossier was being built",
            )
            .help("build again once the file is saved"));
        }
        Ok(Cow::Owned(text))
    }

    /// Byte offset in the whole file of a byte offset in the body.
    pub fn body_offset(&self, offset_in_body: usize) -> usize {
        self.body.start + offset_in_body
    }

    /// The position of `key:`'s value in the front matter (first match, any indentation), for
    /// errors found after parsing; falls back to the top of the file.
    pub fn locate_key(&self, key: &str) -> (usize, usize) {
        yaml::locate_key(&self.text[..self.body.start], key)
    }

    /// The position of the first occurrence of `needle` given under `key:` in the front matter.
    pub fn locate_value(&self, key: &str, needle: &str) -> (usize, usize) {
        yaml::locate_value(&self.text[..self.body.start], key, needle, 0)
    }

    /// A located error about this file.
    pub fn error_at(&self, (line, col): (usize, usize), message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.source, message).at(&self.text, line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct M {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn parses_and_keeps_body_position() {
        let doc = Document::<M>::parse("a.md", "---\ntitle: T\n---\nBody\n".into()).unwrap();
        assert_eq!(doc.meta.title, "T");
        assert_eq!(doc.body(), "Body\n");
        assert_eq!(doc.body_line, 4);
        assert_eq!(doc.slug, "a");
    }

    #[test]
    fn a_released_body_is_read_again_and_a_changed_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "---\ntitle: T\n---\nBody\n";
        std::fs::write(&path, text).unwrap();
        let mut doc = Document::<M>::parse("content/articles/a.md", text.into()).unwrap();
        doc.release_body(path.clone());
        assert_eq!(doc.text, "---\ntitle: T\n---\n", "the front matter is kept");
        assert_eq!(doc.body(), "");
        assert_eq!(doc.full_text().unwrap(), text);

        std::fs::write(&path, "---\ntitle: T\n---\nEdited\n").unwrap();
        let e = doc.full_text().unwrap_err();
        assert_eq!(e.file, "content/articles/a.md");
        assert_eq!(e.message, "the file changed while the dossier was being built");
        std::fs::remove_file(&path).unwrap();
        let e = doc.full_text().unwrap_err();
        assert!(e.message.starts_with("cannot read the file: "), "{}", e.message);
    }

    #[test]
    fn slugs_come_from_file_names() {
        assert_eq!(
            slug_of("content/articles/2019-06-13 Reuters Story.md"),
            "2019-06-13-reuters-story"
        );
        assert_eq!(slug_of("content/outlets/presstv.yaml"), "presstv");
        assert_eq!(slug_of("content/articles/Über.md"), "uber");
    }

    #[test]
    fn yaml_errors_are_positioned_in_the_file() {
        let err =
            Document::<M>::parse("a.md", "---\ntitle: T\ntitle2: x\n---\n".into()).unwrap_err();
        assert_eq!(err.location(), "a.md:3:1");
    }

    #[test]
    fn missing_front_matter_is_explained() {
        let err = Document::<M>::parse("a.md", "Just text\n".into()).unwrap_err();
        assert_eq!(err.location(), "a.md:1:1");
        assert_eq!(err.message, "the file has no front matter");
        let err = Document::<M>::parse("a.md", "---\ntitle: T\n".into()).unwrap_err();
        assert_eq!(err.message, "the front matter opened on line 1 is never closed");
    }

    #[test]
    fn locate_key_and_value() {
        let doc =
            Document::<M>::parse("a.md", "---\ntitle: T\ntags:\n  - alpha\n  - beta\n---\n".into())
                .unwrap();
        assert_eq!(doc.meta.tags, ["alpha", "beta"]);
        assert_eq!(doc.locate_key("title"), (2, 8));
        assert_eq!(doc.locate_value("tags", "beta"), (5, 5));
        assert_eq!(doc.locate_key("nothing"), (1, 1));
    }
}
