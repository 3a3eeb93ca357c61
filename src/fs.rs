//! Reading source files, with errors that name the file.
//!
//! Reads only: build output is written by [`crate::output`] alone. Text is required to be UTF-8;
//! a leading byte-order mark is dropped (editors on Windows add one), and the position of the
//! first invalid byte is reported as a line and column.

use std::path::{Component, Path};

use crate::diagnostics::{Diagnostic, line_col};

/// Reads a UTF-8 text file. `shown` is the path used in messages (relative to the root).
pub fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(shown, format!("cannot read the file: {e}")))?;
    decode_text(bytes, shown)
}

/// Decodes file bytes as UTF-8 text, dropping a byte-order mark.
pub fn decode_text(bytes: Vec<u8>, shown: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, col) = line_col(&prefix, prefix.len());
            Err(Diagnostic::error(
                shown,
                format!(
                    "the file is not valid UTF-8 (byte {valid} is not part of a UTF-8 character)"
                ),
            )
            .at(&prefix, line, col)
            .help("re-save the file with UTF-8 encoding"))
        }
    }
}

/// `path` relative to `root`, with `/` separators, for messages and ids.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Files editors and tools leave beside real ones: hidden files, backups, swap and lock files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped() {
        let text = decode_text(b"\xEF\xBB\xBF---\n".to_vec(), "a.md").unwrap();
        assert_eq!(text, "---\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode_text(b"ok\nab\xFFc".to_vec(), "a.md").unwrap_err();
        assert_eq!(d.location(), "a.md:2:3");
        assert!(d.message.contains("not valid UTF-8"));
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".x.md.swp", "x.md~", "#x.md#", ".DS_Store", "x.tmp"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }

    #[test]
    fn display_paths_use_slashes() {
        assert_eq!(display_path(Path::new("/r"), Path::new("/r/content/a/b.md")), "content/a/b.md");
    }
}
