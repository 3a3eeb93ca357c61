//! One page as the index needs it: its words with their positions and weights, the words of
//! its meta fields, and its fragment (the JSON a search result shows). Pagefind 1.6's
//! `Fossicker::parse_digest` and `parse_meta_words`, rule for rule.

use std::collections::BTreeMap;

use serde::Serialize;

use super::parse::{Parsed, normalize_content};
use super::words::Words;

/// A position of a word in a page's text, with its weight (24 = normal; headings more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The word's number in the text.
    pub position: u32,
    /// 0–240: Pagefind's weight × 24.
    pub weight: u8,
    /// The form before its diacritics were folded, when that differs.
    pub original: Option<String>,
}

/// A position of a word in a meta field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaPosition {
    /// The field's number among the page's meta fields, in name order.
    pub field: u16,
    /// The word's number in the field.
    pub position: u32,
    /// The form before its diacritics were folded, when that differs.
    pub original: Option<String>,
}

/// A heading or other element with an `id` in the searchable text: a sub-result.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Its element name.
    pub element: String,
    /// Its `id`.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its `data-pagefind-title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The number of the first word after it.
    pub location: u32,
}

/// What a search result shows of a page (Pagefind's fragment).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The result's address.
    pub url: String,
    /// The page's text, for excerpts.
    pub content: String,
    /// Its number of words.
    pub word_count: usize,
    /// Its filter values.
    pub filters: BTreeMap<String, Vec<String>>,
    /// Its meta fields.
    pub meta: BTreeMap<String, String>,
    /// Its sub-results.
    pub anchors: Vec<Anchor>,
}

/// One page, ready for the index.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its fragment.
    pub fragment: Fragment,
    /// Each indexed word and where it is, in the order the words first occur.
    pub words: Vec<(String, Vec<Position>)>,
    /// Each word of the meta fields and where it is.
    pub meta_words: Vec<(String, Vec<MetaPosition>)>,
    /// Its sort values.
    pub sort: BTreeMap<String, String>,
    /// Whether it has a `data-pagefind-body` (pages without are left out when others have one).
    pub has_custom_body: bool,
    /// Included even without a body (custom records).
    pub force_inclusion: bool,
}

impl Page {
    /// A page from what [`super::parse::parse`] read of it, published at `url`.
    pub fn from_parsed(url: String, data: Parsed, words: &mut Words) -> Page {
        let (content, word_data, anchors, word_count) = digest(&data, words);
        let mut filters = data.filters;
        for values in filters.values_mut() {
            for v in values.iter_mut() {
                if let Some(clean) = strip_private(v) {
                    *v = clean;
                }
            }
        }
        let mut meta = data.meta;
        for v in meta.values_mut() {
            if let Some(clean) = strip_private(v) {
                *v = clean;
            }
        }
        let meta_words = meta_words(&meta, words);
        Page {
            fragment: Fragment { url, content, word_count, filters, meta, anchors },
            words: word_data,
            meta_words,
            sort: data.sort,
            has_custom_body: data.has_custom_body,
            force_inclusion: data.force_inclusion,
        }
    }

    /// A record that is not an HTML page (a claim, an event): its text and meta given.
    pub fn custom(
        url: String,
        content: String,
        meta: BTreeMap<String, String>,
        words: &mut Words,
    ) -> Page {
        let parsed = Parsed {
            digest: content,
            meta,
            force_inclusion: true,
            language: String::new(),
            ..Parsed::default()
        };
        Page::from_parsed(url, parsed, words)
    }
}

/// `___PAGEFIND_…` markers removed from a meta or filter value (`None`: there were none).
fn strip_private(value: &str) -> Option<String> {
    static PRIVATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("___PAGEFIND_[\\S]+\\s?").expect("a valid constant pattern")
    });
    match PRIVATE.replace_all(value, "") {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(s) => Some(s),
    }
}

const WEIGHT_MULTIPLIER: f32 = 24.0;
const WEIGHT_MAX: f32 = 10.0;

/// The page's text without markers, its words, its anchors and its word count.
#[allow(clippy::type_complexity)]
fn digest(
    data: &Parsed,
    words: &mut Words,
) -> (String, Vec<(String, Vec<Position>)>, Vec<Anchor>, usize) {
    let mut map: Vec<(String, Vec<Position>)> = Vec::new();
    let mut slots: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    let mut anchors = Vec::new();
    let mut content = String::with_capacity(data.digest.len());
    let mut total: usize = 0;
    let mut max_word_index = 0;
    let mut weight_stack: Vec<u8> = vec![WEIGHT_MULTIPLIER as u8];

    for word in data.digest.split_whitespace() {
        if word.starts_with('_') {
            if word.starts_with("___PAGEFIND_ANCHOR___") {
                let rest = word.replace("___PAGEFIND_ANCHOR___", "");
                if let Some((element, anchor_id)) = rest.split_once(':') {
                    let text = data
                        .anchor_content
                        .get(anchor_id)
                        .map(|t| normalize_content(t))
                        .unwrap_or_default();
                    let title = data.anchor_titles.get(anchor_id).cloned();
                    if let Some((_, id)) = anchor_id.split_once(':') {
                        anchors.push(Anchor {
                            element: element.to_string(),
                            id: id.to_string(),
                            text: normalize_content(&text),
                            location: total as u32,
                            title,
                        });
                    }
                }
                continue;
            }
            if word.starts_with("___PAGEFIND_WEIGHT___") {
                let weight =
                    word.replace("___PAGEFIND_WEIGHT___", "").parse::<f32>().unwrap_or(1.0);
                weight_stack.push(if weight <= 0.0 {
                    0
                } else {
                    ((weight.clamp(0.0, WEIGHT_MAX) * WEIGHT_MULTIPLIER) as u8).max(1)
                });
                continue;
            }
            if word.starts_with("___PAGEFIND_AUTO_WEIGHT___") {
                if weight_stack.len() == 1 {
                    let weight = word
                        .replace("___PAGEFIND_AUTO_WEIGHT___", "")
                        .parse::<f32>()
                        .unwrap_or(1.0);
                    weight_stack.push((weight.clamp(0.0, WEIGHT_MAX) * WEIGHT_MULTIPLIER) as u8);
                } else {
                    weight_stack.push(weight_stack.last().copied().unwrap_or_default());
                }
                continue;
            }
            if word.starts_with("___END_PAGEFIND_WEIGHT___") {
                weight_stack.pop();
                continue;
            }
        }
        let base: std::borrow::Cow<'_, str> = if word.contains('\u{200B}') {
            word.replace('\u{200B}', "").into()
        } else {
            word.into()
        };
        if base.is_empty() {
            continue;
        }
        content.push_str(&base);
        content.push(' ');
        let word_weight = weight_stack.last().copied().unwrap_or(1);
        let indexable = words.of(&base);
        let compound_count = indexable.iter().filter(|w| w.is_compound_part).count();
        let partial_weight = if compound_count > 0 && word_weight > 0 {
            (word_weight / u8::try_from(compound_count).unwrap_or(u8::MAX)).max(1)
        } else {
            0
        };
        for w in indexable.iter() {
            let entry = Position {
                position: total as u32,
                weight: if w.is_compound_part { partial_weight } else { word_weight },
                original: w.original.clone(),
            };
            match slots.get(&w.stemmed) {
                Some(&i) => map[i].1.push(entry),
                None => {
                    slots.insert(w.stemmed.clone(), map.len());
                    map.push((w.stemmed.clone(), vec![entry]));
                }
            }
        }
        max_word_index = total;
        total += 1;
    }
    if content.ends_with(' ') {
        content.pop();
    }
    (content, map, anchors, max_word_index + 1)
}

/// The words of the meta fields, numbered by field in name order.
fn meta_words(meta: &BTreeMap<String, String>, words: &Words) -> Vec<(String, Vec<MetaPosition>)> {
    let mut map: Vec<(String, Vec<MetaPosition>)> = Vec::new();
    let mut slots: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for (field, value) in meta.values().enumerate() {
        for (position, word) in value.split_whitespace().enumerate() {
            for w in words.of_meta(word) {
                let entry = MetaPosition {
                    field: field as u16,
                    position: position as u32,
                    original: w.original,
                };
                match slots.get(&w.stemmed) {
                    Some(&i) => map[i].1.push(entry),
                    None => {
                        slots.insert(w.stemmed.clone(), map.len());
                        map.push((w.stemmed, vec![entry]));
                    }
                }
            }
        }
    }
    map
}
