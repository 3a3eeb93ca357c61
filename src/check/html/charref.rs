//! HTML character references, decoded as the HTML tokenizer decodes them: `lol_html` hands
//! attribute values and text over as written, so [`decode`] does what a browser's tokenizer
//! would (the full named table from `html_escape`, the legacy names that need no `;`, the
//! attribute rule that leaves `&name=` and `&nameX` alone, numeric references with the C1
//! remapping), and normalises newlines and NUL as the tokenizer and tree builder do.

use std::borrow::Cow;

/// `raw` (an attribute value or a text node, as written) as a browser reads it: character
/// references decoded (HTML's tokenizer rules, including the attribute rule that leaves
/// `&name=`/`&nameX` alone when `&name` lacks its `;`), CR LF and CR as LF, and NUL as U+FFFD in
/// an attribute (dropped from text, as the tree builder drops it).
pub(super) fn decode(raw: &str, in_attribute: bool) -> Cow<'_, str> {
    let special = |s: &str| memchr::memchr3(b'&', b'\r', b'\0', s.as_bytes());
    if special(raw).is_none() {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = special(rest) {
        out.push_str(&rest[..at]);
        let special = rest.as_bytes()[at];
        rest = &rest[at + 1..];
        match special {
            b'\r' => {
                out.push('\n');
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            b'\0' if in_attribute => out.push('\u{FFFD}'),
            b'\0' => {}
            _ => match char_ref(rest, in_attribute) {
                Some((decoded, used)) => {
                    out.push_str(&decoded);
                    rest = &rest[used..];
                }
                None => out.push('&'),
            },
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference at the start of `after` (what follows an `&`): what it stands for and
/// how many bytes of `after` it takes; `None` when the `&` is literal.
fn char_ref(after: &str, in_attribute: bool) -> Option<(Cow<'static, str>, usize)> {
    let bytes = after.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let radix = if hex { 16 } else { 10 };
        let digits = bytes[start..].iter().take_while(|b| (**b as char).is_digit(radix)).count();
        if digits == 0 {
            return None;
        }
        let value = bytes[start..start + digits].iter().fold(0u32, |n, b| {
            let d = (*b as char).to_digit(radix).unwrap_or(0);
            n.saturating_mul(radix).saturating_add(d).min(0x11_0000)
        });
        let end = start + digits;
        let used = if bytes.get(end) == Some(&b';') { end + 1 } else { end };
        return Some((Cow::Owned(numeric_char(value).to_string()), used));
    }
    let run = bytes.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if run == 0 {
        return None;
    }
    if bytes.get(run) == Some(&b';')
        && let Some(value) = named(&bytes[..run])
    {
        return Some((Cow::Borrowed(value), run + 1));
    }
    // Without its `;`, only a legacy name counts, the longest that prefixes the run.
    let len =
        (2..=run.min(6)).rev().find(|len| LEGACY_NAMES.binary_search(&&after[..*len]).is_ok())?;
    let next = bytes.get(len);
    if in_attribute && next.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'=') {
        return None;
    }
    Some((Cow::Borrowed(named(&bytes[..len])?), len))
}

/// The text of the named character reference `name;`.
fn named(name: &[u8]) -> Option<&'static str> {
    let table = &html_escape::NAMED_ENTITIES;
    table.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| table[i].1)
}

/// The character a numeric reference stands for (zero, surrogates and values past Unicode are
/// U+FFFD; 0x80–0x9F are read as windows-1252, as the HTML standard says).
fn numeric_char(value: u32) -> char {
    match value {
        0x80..=0x9F => C1_AS_WINDOWS_1252[(value - 0x80) as usize],
        0 => '\u{FFFD}',
        _ => char::from_u32(value).unwrap_or('\u{FFFD}'),
    }
}

/// What a numeric reference to 0x80 + i stands for (the HTML standard's table; unlisted codes
/// stand for themselves).
const C1_AS_WINDOWS_1252: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// The names a reference may use without its `;` (the HTML standard's legacy names), sorted.
const LEGACY_NAMES: [&str; 106] = [
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil",
    "ETH", "Eacute", "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT",
    "Ntilde", "Oacute", "Ocirc", "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN",
    "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig", "agrave",
    "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil", "cent", "copy", "curren", "deg",
    "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14", "frac34", "gt",
    "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
    "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash",
    "otilde", "ouml", "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1",
    "sup2", "sup3", "szlig", "thorn", "times", "uacute", "ucirc", "ugrave", "uml", "uuml",
    "yacute", "yen", "yuml",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_without_semicolons_follow_the_attribute_rule() {
        // In an attribute, `&copy=` and `&ampx` stay as written; `&amp` before `/` is decoded.
        assert_eq!(decode("?a=1&copy=2&ampx&amp/&notin;&not", true), "?a=1&copy=2&ampx&/∉¬");
        // In text, the longest legacy name is decoded whatever follows it.
        assert_eq!(
            decode("&copy2026 &notit; &ampx &bogus; & &#", false),
            "©2026 ¬it; &x &bogus; & &#"
        );
    }

    #[test]
    fn numeric_references_follow_the_html_standard() {
        assert_eq!(
            decode("&#65;&#x42&#X43;&#0;&#x80;&#x9D;&#xD800;&#x110000;&#99999999999;", true),
            "ABC\u{FFFD}€\u{9D}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode("&#;&#x;&#xg", true), "&#;&#x;&#xg");
    }

    #[test]
    fn newlines_and_nul_are_normalised_as_a_browser_does() {
        assert_eq!(decode("a\r\nb\rc\0d", true), "a\nb\nc\u{FFFD}d");
        assert_eq!(decode("a\r\nb\0c", false), "a\nbc");
        assert!(matches!(decode("plain text", true), Cow::Borrowed("plain text")));
    }

    #[test]
    fn legacy_names_are_sorted_and_all_named_in_the_table() {
        assert!(LEGACY_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(LEGACY_NAMES.iter().all(|n| named(n.as_bytes()).is_some()));
        assert_eq!(named(b"amp"), Some("&"));
        assert_eq!(named(b"notin"), Some("∉"));
        assert_eq!(named(b"nosuch"), None);
    }
}
