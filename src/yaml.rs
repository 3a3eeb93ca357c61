//! YAML parsing with errors a person can act on.
//!
//! [`parse`] deserializes a YAML fragment of a file (a whole `dossier.yaml`, or the front matter
//! of a Markdown file) and turns `yaml_serde`'s errors into [`Diagnostic`]s positioned in the
//! *file*: the fragment's first line is added to every line number, the message loses its
//! trailing "at line N column M", and unknown keys or values get a "did you mean" suggestion.
//!
//! [`shorthand_list`] lets a list item be written either as a bare string or as a full mapping
//! (`- presstv.ir` or `- {domain: presstv.ir, status: verified}`) without losing serde's precise
//! errors, which `#[serde(untagged)]` would.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::diagnostics::{Diagnostic, did_you_mean};

/// Where a YAML fragment sits in its file.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Path shown in messages, relative to the dossier root.
    pub file: &'a str,
    /// The whole file, for the snippet under the message.
    pub text: &'a str,
    /// 1-based line of the file on which the fragment starts.
    pub first_line: usize,
}

/// Deserializes `yaml` (a fragment of `source`) into `T`.
///
/// A fragment with no content at all (blank or only comments) is read as an empty mapping, so the
/// error names the first missing key instead of "EOF while parsing a value".
pub fn parse<T: DeserializeOwned>(yaml: &str, source: Source<'_>) -> Result<T, Diagnostic> {
    let blank = yaml.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    });
    if let Some((line, col)) = too_deep(yaml) {
        let line = line + source.first_line - 1;
        return Err(Diagnostic::error(
            source.file,
            format!("the YAML nests more than {MAX_FLOW_DEPTH} levels of `[` or `{{`"),
        )
        .at(source.text, line, col)
        .help(
            "a list or mapping is missing its closing bracket; dossier files never nest more \
            than a few levels",
        ));
    }
    let result = if blank { serde_yaml::from_str("{}") } else { serde_yaml::from_str(yaml) };
    result.map_err(|e| to_diagnostic(&e, source))
}

/// The deepest nesting of flow collections (`[…]`, `{…}`) a file may have. No dossier file
/// needs more than three; the YAML scanner's time grows with the square of the depth, so a
/// runaway `[[[[…` is refused before it is parsed.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where (1-based line and column, in characters) `yaml` first opens its flow collection number
/// [`MAX_FLOW_DEPTH`] + 1, if it does. Brackets in quoted scalars and comments are skipped; a
/// quote opens a scalar only where a token can start, as in YAML, so `don't` opens nothing.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    #[derive(PartialEq)]
    enum In {
        Code,
        Single,
        Double,
        Comment,
    }
    let mut state = In::Code;
    let mut depth = 0usize;
    let (mut line, mut col) = (1, 0);
    // The previous character outside quotes, for the token-start rule (`\n` at a line start).
    let mut prev = '\n';
    let mut escaped = false;
    for c in yaml.chars() {
        col += 1;
        if c == '\n' {
            (line, col) = (line + 1, 0);
        }
        match state {
            In::Comment if c == '\n' => (state, prev) = (In::Code, c),
            In::Comment => {}
            In::Double if escaped => escaped = false,
            In::Double if c == '\\' => escaped = true,
            In::Double if c == '"' => (state, prev) = (In::Code, c),
            In::Single if c == '\'' => (state, prev) = (In::Code, c),
            In::Double | In::Single => {}
            In::Code => {
                let token_start =
                    prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':' | '-' | '?');
                match c {
                    '#' if prev.is_whitespace() => state = In::Comment,
                    '"' if token_start => state = In::Double,
                    '\'' if token_start => state = In::Single,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((line, col));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                prev = c;
            }
        }
    }
    None
}

fn to_diagnostic(err: &serde_yaml::Error, source: Source<'_>) -> Diagnostic {
    let offset = source.first_line - 1;
    let mut message = err.to_string();
    let mut diag_pos = None;
    if let Some(loc) = err.location() {
        let own = format!(" at line {} column {}", loc.line(), loc.column());
        if let Some(i) = message.find(&own) {
            message.replace_range(i..i + own.len(), "");
        }
        diag_pos = Some((loc.line() + offset, loc.column()));
    }
    // An unterminated quote is reported where the file ends; its opening quote is more useful.
    if message.starts_with("found unexpected end of stream")
        && let Some(at) = context_mark(&message)
    {
        diag_pos = Some((at.0 + offset, at.1));
    }
    let message = shift_line_numbers(&message, offset);
    let help = help_for(&message);
    let mut diag = Diagnostic::error(source.file, message);
    if let Some((line, col)) = diag_pos {
        diag = diag.at(source.text, line, col);
    }
    match help {
        Some(h) => diag.help(h),
        None => diag,
    }
}

/// The last "at line N column M" of a libyaml message (its context mark).
fn context_mark(message: &str) -> Option<(usize, usize)> {
    let i = message.rfind(" at line ")?;
    let rest = &message[i + 9..];
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// Rewrites every "line N column M" in a libyaml message so N counts from the top of the file.
fn shift_line_numbers(message: &str, offset: usize) -> String {
    if offset == 0 {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" column ") {
            let n: usize = rest[..digits].parse().unwrap_or(0);
            out.push_str(&(n + offset).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Backtick-quoted names in a serde message: "unknown field `titel`, expected one of `title`…".
fn quoted_names(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

fn help_for(message: &str) -> Option<String> {
    let names = quoted_names(message);
    if message.contains("unknown field") || message.contains("unknown variant") {
        let what = if message.contains("unknown field") { "key" } else { "value" };
        let (unknown, known) = names.split_first()?;
        return Some(match did_you_mean(unknown, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => {
                format!("remove `{unknown}`: this mapping takes no {what}s")
            }
            None => format!(
                "`{unknown}` is not a known {what}; use one of {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    if message.contains("missing field") {
        let field = names.first()?;
        return Some(format!(
            "add a line `{field}: …` (see the content format in docs/content.md)"
        ));
    }
    if message.contains("found character that cannot start any token") {
        return Some(
            "YAML does not allow tabs for indentation, and a value starting with `@` or a \
            backtick must be quoted"
                .into(),
        );
    }
    if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
    {
        return Some("check the indentation, and quote values that contain `: `".into());
    }
    if message.contains("found unexpected end of stream")
        || message.contains("while scanning a quoted scalar")
    {
        return Some("a quoted value is missing its closing quote".into());
    }
    None
}

/// A value that may also be written as a bare string.
pub trait Shorthand: DeserializeOwned {
    /// What the string form means, validated.
    fn from_shorthand(s: &str) -> Result<Self, String>;
    /// For "invalid type" messages: "a domain name or a mapping with `domain`".
    const EXPECTING: &'static str;
}

struct ShorthandVisitor<T>(PhantomData<T>);

impl<'de, T: Shorthand> Visitor<'de> for ShorthandVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_shorthand(v).map_err(E::custom)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

struct ShorthandItem<T>(T);

impl<'de, T: Shorthand> Deserialize<'de> for ShorthandItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShorthandVisitor(PhantomData)).map(ShorthandItem)
    }
}

/// `deserialize_with` for a list whose items are [`Shorthand`] values.
pub fn shorthand_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Shorthand,
{
    struct ListVisitor<T>(PhantomData<T>);
    impl<'de, T: Shorthand> Visitor<'de> for ListVisitor<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of {}s", T::EXPECTING)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(ShorthandItem(item)) = seq.next_element::<ShorthandItem<T>>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(ListVisitor(PhantomData))
}

/// `deserialize_with` for an optional [`Shorthand`] value (`key: text` or `key: {…}`).
pub fn shorthand_option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Shorthand,
{
    struct OptVisitor<T>(PhantomData<T>);
    impl<'de, T: Shorthand> Visitor<'de> for OptVisitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
            ShorthandVisitor(PhantomData).visit_str(v).map(Some)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            ShorthandVisitor(PhantomData).visit_map(map).map(Some)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(OptVisitor(PhantomData))
}

/// The position (1-based line and column) of the value of the first `key:` in `text`, at any
/// indentation or after a list dash; `(1, 1)` when there is none. For errors found after
/// parsing, when serde's own positions are gone.
pub fn locate_key(text: &str, key: &str) -> (usize, usize) {
    let prefix = format!("{key}:");
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches([' ', '-']);
        if let Some(rest) = trimmed.strip_prefix(&prefix)
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
        {
            let value_at = line.len() - rest.trim_start().len();
            return (i + 1, line[..value_at].chars().count() + 1);
        }
    }
    (1, 1)
}

/// The position of the `nth` (0-based) occurrence of `value` given under `key`: in `key: value`,
/// in a flow list `key: [a, value]`, or as an item `- value` of a block list under `key:`.
/// Falls back to [`locate_key`].
pub fn locate_value(text: &str, key: &str, value: &str, nth: usize) -> (usize, usize) {
    let prefix = format!("{key}:");
    let mut seen = 0;
    // Indentation of the `key:` whose block list we are in.
    let mut inside: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let dashless = line.trim_start_matches([' ', '-']);
        let (search_from, is_key_line) = match dashless.strip_prefix(&prefix) {
            Some(_) => {
                inside = Some(line.len() - dashless.len());
                (line.len() - dashless.len() + prefix.len(), true)
            }
            None => (indent, false),
        };
        if !is_key_line {
            let Some(key_indent) = inside else { continue };
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let is_item = t.starts_with("- ") && indent >= key_indent;
            if !is_item {
                if indent <= key_indent {
                    inside = None;
                }
                continue;
            }
        }
        for (at, _) in line[search_from..].match_indices(value) {
            let start = search_from + at;
            let end = start + value.len();
            let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
            let before = line[..start].chars().next_back().is_some_and(is_word);
            let after = line[end..].chars().next().is_some_and(is_word);
            if before || after {
                continue;
            }
            if seen == nth {
                return (i + 1, line[..start].chars().count() + 1);
            }
            seen += 1;
        }
    }
    locate_key(text, key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn runaway_flow_nesting_is_found_before_parsing() {
        let deep = |n: usize| format!("title: T\nnotes: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(super::too_deep(&deep(MAX_FLOW_DEPTH)), None);
        assert_eq!(super::too_deep(&deep(MAX_FLOW_DEPTH + 1)), Some((2, 8 + MAX_FLOW_DEPTH)));
        // Brackets in quoted scalars and comments do not count; a quote opens only at a token
        // start, so `don't` hides nothing, and quoted closing brackets do not hide openings.
        let quoted = format!(
            "title: \"{}\"\nnote: '{}' # {}\n",
            "[".repeat(99),
            "{".repeat(99),
            "[".repeat(99)
        );
        assert_eq!(super::too_deep(&quoted), None);
        let evasive = format!("a: don't\nb: {}\n", "[ \"]\", ".repeat(MAX_FLOW_DEPTH + 1));
        assert_eq!(super::too_deep(&evasive), Some((2, 4 + 7 * MAX_FLOW_DEPTH)));
        let escaped =
            format!("a: \"x\\\" {}\"\nb: {}", "[".repeat(99), "[".repeat(MAX_FLOW_DEPTH + 1));
        assert_eq!(super::too_deep(&escaped).map(|p| p.0), Some(2));
    }

    #[test]
    fn a_runaway_nesting_is_an_error_at_its_place_in_the_file() {
        let text = format!("---\ntitle: T\nnotes: {}\n---\n", "[".repeat(100_000));
        let fm = &text[4..text.len() - 4];
        let src = Source { file: "content/articles/x.md", text: &text, first_line: 2 };
        let err =
            parse::<std::collections::BTreeMap<String, String>>(fm, src).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "content/articles/x.md:3:72: the YAML nests more than 64 levels of `[` or `{`"
            ),
            "{err}"
        );
    }

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        #[serde(default, deserialize_with = "shorthand_list")]
        tags: Vec<Tag>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Tag {
        name: String,
        #[serde(default)]
        weight: u32,
    }

    impl Shorthand for Tag {
        fn from_shorthand(s: &str) -> Result<Self, String> {
            if s.is_empty() {
                Err("empty tag".into())
            } else {
                Ok(Tag { name: s.into(), weight: 0 })
            }
        }
        const EXPECTING: &'static str = "a tag name or a mapping with `name`";
    }

    fn src(text: &str, first_line: usize) -> Source<'_> {
        Source { file: "a.md", text, first_line }
    }

    #[test]
    fn unknown_key_is_located_in_the_file_with_a_suggestion() {
        let file = "---\ntitle: x\ntitel: y\n---\n";
        let yaml = "title: x\ntitel: y\n";
        let d = parse::<Meta>(yaml, src(file, 2)).unwrap_err();
        assert_eq!(d.position, Some((3, 1)));
        assert_eq!(d.message, "unknown field `titel`, expected `title` or `tags`");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn locating_keys_and_values_after_parsing() {
        let text = "name: X\nactors: [a, ab, b]\npositions:\n  - actor: ab\n    articles:\n      - \
            one\n      - ab\n  - actor: c\n    articles:\n    - ab\nother: ab\n";
        assert_eq!(locate_key(text, "actors"), (2, 9));
        assert_eq!(locate_key(text, "actor"), (4, 12));
        assert_eq!(locate_key(text, "missing"), (1, 1));
        assert_eq!(locate_value(text, "actors", "ab", 0), (2, 13));
        assert_eq!(locate_value(text, "actor", "ab", 0), (4, 12));
        assert_eq!(locate_value(text, "actor", "c", 0), (8, 12));
        assert_eq!(locate_value(text, "articles", "ab", 0), (7, 9));
        assert_eq!(locate_value(text, "articles", "ab", 1), (10, 7));
        // Not found: the key's own position.
        assert_eq!(locate_value(text, "articles", "zz", 0), (5, 14));
    }

    #[test]
    fn shorthand_items_accept_strings_and_mappings() {
        let m: Meta = parse("title: t\ntags: [a, {name: b, weight: 2}]", src("", 1)).unwrap();
        assert_eq!(
            m.tags,
            vec![Tag { name: "a".into(), weight: 0 }, Tag { name: "b".into(), weight: 2 }]
        );
    }

    #[test]
    fn shorthand_errors_keep_their_position() {
        let yaml = "title: t\ntags:\n  - {name: b, wieght: 2}\n";
        let d = parse::<Meta>(yaml, src(yaml, 1)).unwrap_err();
        assert_eq!(d.position.map(|p| p.0), Some(3));
        assert!(d.message.contains("unknown field `wieght`"), "{}", d.message);
        let d = parse::<Meta>("title: t\ntags: ['']\n", src("", 1)).unwrap_err();
        assert!(d.message.contains("empty tag"), "{}", d.message);
    }

    #[test]
    fn blank_front_matter_reports_the_missing_key() {
        let d = parse::<Meta>("# nothing\n", src("", 2)).unwrap_err();
        assert!(d.message.starts_with("missing field `title`"), "{}", d.message);
    }

    #[test]
    fn libyaml_context_lines_are_shifted_too() {
        assert_eq!(
            shift_line_numbers("x at line 2 column 3, while scanning at line 1 column 5", 10),
            "x at line 12 column 3, while scanning at line 11 column 5"
        );
    }
}
