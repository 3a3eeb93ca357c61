//! Which words a page's text is indexed under: Pagefind 1.6's rules, word for word, so that the
//! index we write answers the queries Pagefind's own search code (in the browser) makes.
//!
//! A word of the text (a run without whitespace) is indexed as its normalized form (letters
//! and digits, lower-cased, diacritics folded: `Café` → `cafe`, remembering `café` as a
//! variant) stemmed for the language, plus, for a compound (`three-antelopes`,
//! `ThreeAntelopes`, `sysconfig.is_python_build`), each of its parts, and each emoji it holds.
//! This is Pagefind's `fossick::splitting` for the languages it splits on whitespace (its
//! standard build; the "extended" build also segments Chinese, Japanese and Thai).
//!
//! The result depends only on the word, so [`Words`] keeps it for every word it has seen:
//! a page's text costs a lookup per word, and the stemmer runs once per distinct word.

use std::collections::HashSet;
use std::sync::Arc;

use convert_case::{Case, Casing};
use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Characters that count as part of a word besides letters and digits (Unicode's
/// "Punctuation, Connector"), as in Pagefind.
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

const MAX_KATAKANA_SUFFIX_CHARS: usize = 16;
const MAX_DOTTED_TAIL_CHARS: usize = 64;

/// One word to index a text word under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexableWord {
    /// The form in the index: normalized and stemmed.
    pub stemmed: String,
    /// A part of a compound word (it carries part of the word's weight).
    pub is_compound_part: bool,
    /// The form before its diacritics were folded, when that differs.
    pub original: Option<String>,
}

/// The stemmer Pagefind uses for a language tag (`en`, `pt-BR` …), if it has one.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or(language) {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The words of one language, remembered: [`Words::of`] computes a word's
/// [`IndexableWord`]s once. One per thread (it is not shared).
pub struct Words {
    stemmer: Option<Stemmer>,
    include: Vec<char>,
    seen: FxHashMap<String, Arc<[IndexableWord]>>,
}

impl Words {
    /// The words of `language`, with Pagefind's default word characters.
    pub fn new(language: &str) -> Self {
        Words {
            stemmer: stemmer(language),
            include: WORD_SYMBOLS.to_vec(),
            seen: rustc_hash::FxHashMap::default(),
        }
    }

    /// What the text word `raw` is indexed under (Pagefind's `get_indexable_words`, then its
    /// dotted tails).
    pub fn of(&mut self, raw: &str) -> Arc<[IndexableWord]> {
        if let Some(known) = self.seen.get(raw) {
            return Arc::clone(known);
        }
        let stemmer = self.stemmer.as_ref();
        let mut words = indexable_words(raw, stemmer, &self.include);
        let tails = dotted_tails(raw, stemmer, &self.include, &words);
        words.extend(tails);
        let words: Arc<[IndexableWord]> = words.into();
        self.seen.insert(raw.to_string(), Arc::clone(&words));
        words
    }

    /// What a word of a meta field is indexed under (Pagefind indexes meta words without
    /// their dotted tails).
    pub fn of_meta(&self, raw: &str) -> Vec<IndexableWord> {
        indexable_words(raw, self.stemmer.as_ref(), &self.include)
    }
}

/// Pagefind's `get_indexable_words`: the normalized, stemmed word; katakana suffixes; for a
/// compound, its parts of two or more characters; and its emoji.
pub fn indexable_words(
    raw_word: &str,
    stemmer: Option<&Stemmer>,
    include_characters: &[char],
) -> Vec<IndexableWord> {
    let mut results = Vec::new();
    let normalized_word = normalize_word(raw_word, include_characters);
    if !normalized_word.is_empty() {
        results.push(stem_word(&normalized_word, stemmer, false));
    }
    for suffix in katakana_suffixes(raw_word) {
        let suffix_diacritic = normalize_diacritics(suffix);
        results.push(IndexableWord {
            stemmed: suffix_diacritic.clone().unwrap_or_else(|| suffix.to_string()),
            original: suffix_diacritic.map(|_| suffix.to_string()),
            is_compound_part: true,
        });
    }
    let possibly_compound = raw_word.chars().any(|c| !c.is_alphanumeric())
        || raw_word.chars().skip(1).any(|c| c.is_uppercase());
    if !possibly_compound {
        return results;
    }
    let (word_parts, extras) = discrete_words(raw_word);
    if !normalized_word.is_empty()
        && (word_parts.contains(|c: char| c.is_whitespace())
            || !normalized_word.starts_with(&word_parts))
    {
        for part_word in word_parts.split_whitespace().filter(|w| w.len() > 1) {
            let part_diacritic = normalize_diacritics(part_word);
            let folded = part_diacritic.as_deref().unwrap_or(part_word);
            let stemmed_part = match stemmer {
                Some(stemmer) => stemmer.stem(folded).into_owned(),
                None => folded.to_string(),
            };
            results.push(IndexableWord {
                stemmed: stemmed_part,
                original: part_diacritic.map(|_| part_word.to_string()),
                is_compound_part: true,
            });
        }
    }
    for extra in extras.into_iter().flatten() {
        results.push(IndexableWord { stemmed: extra, original: None, is_compound_part: false });
    }
    results
}

/// Pagefind's `get_dotted_tails`: the compound tails after each `.` of a dotted word
/// (`is_python_build` in `sysconfig.is_python_build`), unless already indexed.
pub fn dotted_tails(
    raw_word: &str,
    stemmer: Option<&Stemmer>,
    include_characters: &[char],
    existing: &[IndexableWord],
) -> Vec<IndexableWord> {
    let mut tails = Vec::new();
    if !raw_word.contains('.') {
        return tails;
    }
    let seen: HashSet<&str> = existing.iter().map(|w| w.stemmed.as_str()).collect();
    let mut seen_tails: HashSet<String> = HashSet::new();
    for (i, _) in raw_word.match_indices('.') {
        let rest = &raw_word[i + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let tail_is_compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(|c| c.is_uppercase());
        if !tail_is_compound {
            continue;
        }
        let tail_normalized = normalize_word(tail, include_characters);
        if tail_normalized.chars().count() < 2 {
            continue;
        }
        let tail_word = stem_word(&tail_normalized, stemmer, true);
        if !seen.contains(tail_word.stemmed.as_str())
            && seen_tails.insert(tail_word.stemmed.clone())
        {
            tails.push(tail_word);
        }
    }
    tails
}

/// Letters, digits and the included characters, lower-cased.
fn normalize_word(raw_word: &str, include_characters: &[char]) -> String {
    let mut normalized_word = String::with_capacity(raw_word.len());
    for mut c in raw_word.chars() {
        if c.is_alphanumeric() || include_characters.contains(&c) {
            c.make_ascii_lowercase();
            if c.is_uppercase() {
                normalized_word.extend(c.to_lowercase());
            } else {
                normalized_word.push(c);
            }
        }
    }
    normalized_word
}

fn stem_word(
    normalized_word: &str,
    stemmer: Option<&Stemmer>,
    is_compound_part: bool,
) -> IndexableWord {
    let diacritic_normalized = normalize_diacritics(normalized_word);
    let folded = diacritic_normalized.as_deref().unwrap_or(normalized_word);
    let stemmed = match stemmer {
        Some(stemmer) => stemmer.stem(folded).into_owned(),
        None => folded.to_string(),
    };
    IndexableWord {
        stemmed,
        original: diacritic_normalized.map(|_| normalized_word.to_string()),
        is_compound_part,
    }
}

/// Katakana, the prolonged sound mark, and their halfwidth forms.
fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix of an all-katakana word of three or more characters (at most 16 characters
/// each), so that prefix matching finds substrings.
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut suffixes = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && seen.insert(suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes
}

/// The word with its diacritics folded (`café` → `cafe`; kana sound marks kept and
/// recomposed; Hangul left decomposed), when that differs from the word.
fn normalize_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !has_decomposition(word) {
        return None;
    }
    let stripped: String = word
        .nfd()
        .filter(|c| {
            !unicode_normalization::char::is_combining_mark(*c)
                || matches!(*c, '\u{3099}' | '\u{309A}')
        })
        .collect();
    let normalized = if stripped.chars().any(|c| matches!(c, '\u{3099}' | '\u{309A}')) {
        stripped.nfc().collect::<String>()
    } else {
        stripped
    };
    (normalized != word).then_some(normalized)
}

fn has_decomposition(word: &str) -> bool {
    word.chars().any(|c| {
        unicode_normalization::char::is_combining_mark(c) || {
            let mut decomposes = false;
            unicode_normalization::char::decompose_canonical(c, |part| {
                decomposes = decomposes || part != c;
            });
            decomposes
        }
    })
}

/// A compound's parts, lower-cased and space-separated (ASCII punctuation and case changes
/// split it), and its emoji, if it has any.
fn discrete_words(s: &str) -> (String, Option<Vec<String>>) {
    let words = s
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let extras = has_emoji(s).then(|| {
        s.graphemes(true).filter(|x| emojis::get(x).is_some()).map(str::to_string).collect()
    });
    (words, extras)
}

/// Whether `s` has a character with Unicode's `Emoji` property (the regex `\p{Emoji}`, which
/// includes the digits, `#` and `*`).
fn has_emoji(s: &str) -> bool {
    static EMOJI: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("\\p{Emoji}").expect("a valid constant pattern")
    });
    EMOJI.is_match(s)
}
