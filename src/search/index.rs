//! The index files: Pagefind 1.6's `build_indexes` and its output, on pages packed small as
//! they are read.
//!
//! A page is packed as soon as it is read ([`pack`]): its fragment is encoded, hashed and
//! gzipped, and each of its words keeps only an interned number and its locations already
//! encoded as CBOR (a few bytes), so that holding every page of a large dossier until the end
//! costs a few bytes per word and page. [`build`] then groups the words, cuts them into
//! chunks and writes the files, encoding in parallel. The files are the bytes Pagefind writes
//! for the same pages once decompressed: the same CBOR, the same SHA-1 names (gzip at a faster
//! level, see [`compress`]).
//!
//! Why one file of some 700 lines: it is one format, written top to bottom in the order the
//! files are made (pages packed, words grouped, chunks cut, files encoded), and every piece
//! of it must match Pagefind's bytes; split, a reader would have to hold several files
//! against Pagefind's one `build_indexes`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;

use flate2::Compression;
use minicbor::Encoder;
use rayon::prelude::*;
use sha1::{Digest, Sha1};

use super::fossick::{MetaPosition, Page, Position};

/// Pagefind's version: written into the index, and the runtime that reads it.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// The marker Pagefind puts before the contents of every compressed file.
const MARKER: &[u8] = b"pagefind_dcd";

pub use crate::intern::Interner;

/// Marks an entry of the word itself (not of a diacritic variant).
const NORMAL: u32 = u32::MAX;

/// One word (or variant) on one page.
#[derive(Debug, Clone, Copy)]
struct Entry {
    word: u32,
    /// [`NORMAL`], or the variant's form.
    variant: u32,
    /// Where in [`Packed::arena`] its `locs` start, as CBOR, followed by its `meta_locs` (as
    /// CBOR, with the page's own field numbers): both arrays say their own length.
    at: u32,
}

/// One page, packed for the index.
#[derive(Debug)]
pub struct Packed {
    url: String,
    /// `{language}_{sha1 of the fragment JSON}`.
    full_hash: String,
    /// The fragment file's bytes.
    fragment: bytes::Bytes,
    word_count: usize,
    entries: Vec<Entry>,
    arena: Vec<u8>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
    meta_fields: Vec<String>,
    has_words: bool,
    has_custom_body: bool,
    force_inclusion: bool,
}

/// Pagefind's `full_hash`: SHA-1 as hex, each byte without a leading zero (`{:x}`).
fn full_hash(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha1::digest(bytes).iter().fold(String::with_capacity(40), |mut s, b| {
        let _ = write!(s, "{b:x}");
        s
    })
}

/// `pagefind_dcd` and `data`, gzipped: what Pagefind decompresses, in the gzip stream flate2's
/// `GzEncoder` writes (header, deflate, CRC and length), but from a compressor kept by each
/// thread and reset for each file (a new one allocates and zeroes ~160 KB of tables, more work
/// than compressing a page's fragment).
///
/// Pagefind compresses at the best level (9) with miniz_oxide; this uses zlib-rs at the default
/// level (6), which took the 10,000-article index step from 929 ms to 353 ms and wrote 0.2 %
/// fewer bytes (BENCHMARKS.md, "Speed, round two"). The files decompress to Pagefind's bytes and
/// keep its names, which are hashes of the uncompressed data.
pub fn compress(data: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Crc, FlushCompress};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::default(), false));
    }
    let mut input = Vec::with_capacity(MARKER.len() + data.len());
    input.extend_from_slice(MARKER);
    input.extend_from_slice(data);
    // The gzip header flate2 writes at the default level: no name, time 0, no level flag,
    // unknown system.
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        d.reset();
        loop {
            let consumed = d.total_in() as usize;
            out.reserve(input.len().saturating_sub(consumed) / 2 + 1024);
            let status = d.compress_vec(&input[consumed..], &mut out, FlushCompress::Finish);
            if matches!(status, Ok(flate2::Status::StreamEnd) | Err(_)) {
                break;
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(&input);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    out
}

/// Packs a page read by [`super::fossick`].
pub fn pack(page: Page, language: &str, interner: &Interner) -> Packed {
    let Page { fragment, words, meta_words, sort, has_custom_body, force_inclusion } = page;
    let json = serde_json::to_string(&fragment).unwrap_or_default();
    let full_hash = format!("{language}_{}", full_hash(json.as_bytes()));
    let meta_fields: Vec<String> = fragment.meta.keys().cloned().collect();

    // Per word: the normal positions, and each variant's (text, then meta only).
    let mut by_word: BTreeMap<&str, WordOnPage<'_>> = BTreeMap::new();
    for (word, positions) in &words {
        let w = by_word.entry(word).or_default();
        for p in positions {
            match &p.original {
                None => w.normal.0.push(p),
                Some(form) => w.variants.entry(form).or_default().0.push(p),
            }
        }
    }
    for (word, positions) in &meta_words {
        let w = by_word.entry(word).or_default();
        for p in positions {
            match &p.original {
                None => w.normal.1.push(p),
                Some(form) => {
                    if !w.variants.contains_key(form.as_str()) {
                        w.meta_only.insert(form);
                    }
                    w.variants.entry(form).or_default().1.push(p)
                }
            }
        }
    }
    let mut strings: Vec<&str> = by_word.keys().copied().collect();
    for w in by_word.values() {
        strings.extend(w.variants.keys().copied());
    }
    let ids = interner.intern_all(strings.iter().copied());
    let id: rustc_hash::FxHashMap<&str, u32> = strings.iter().copied().zip(ids).collect();

    let mut entries = Vec::new();
    let mut arena = Vec::new();
    for (word, w) in &by_word {
        let word = id[word];
        let mut put = |variant: u32, (text, meta): &(Vec<&Position>, Vec<&MetaPosition>)| {
            if text.is_empty() && meta.is_empty() {
                return;
            }
            let at = arena.len() as u32;
            encode_locs(&mut arena, text);
            encode_meta_locs(&mut arena, meta);
            entries.push(Entry { word, variant, at });
        };
        put(NORMAL, &w.normal);
        // Text variants in form order, then those only in meta fields, in form order.
        for (form, positions) in &w.variants {
            if !w.meta_only.contains(form) {
                put(id[form], positions);
            }
        }
        for form in &w.meta_only {
            put(id[form], &w.variants[form]);
        }
    }
    // Held until the index is built: no spare capacity (a compressed fragment's buffer is
    // sized for the worst case, twice what it holds).
    entries.shrink_to_fit();
    arena.shrink_to_fit();
    let mut compressed = compress(json.as_bytes());
    compressed.shrink_to_fit();
    Packed {
        url: fragment.url.clone(),
        full_hash,
        fragment: compressed.into(),
        word_count: fragment.word_count,
        has_words: !words.is_empty(),
        entries,
        arena,
        filters: fragment.filters,
        sort,
        meta_fields,
        has_custom_body,
        force_inclusion,
    }
}

/// A word's positions on one page: its own, and each diacritic variant's.
#[derive(Default)]
struct WordOnPage<'a> {
    normal: (Vec<&'a Position>, Vec<&'a MetaPosition>),
    variants: BTreeMap<&'a str, (Vec<&'a Position>, Vec<&'a MetaPosition>)>,
    /// Variants seen only in meta fields (they follow the others).
    meta_only: BTreeSet<&'a str>,
}

/// Writes a page's `locs` of a word as CBOR (Pagefind's `positions_to_packed_page`):
/// positions as deltas, a change of weight as `-(weight + 1)` then the absolute position.
fn encode_locs(out: &mut Vec<u8>, text: &[&Position]) {
    // Pagefind puts weight 25 first (a weight nothing has: 24 is normal), then by weight; by
    // position within a weight.
    let mut text: Vec<&Position> = text.to_vec();
    text.sort_by_key(|p| (if p.weight == 25 { 0 } else { p.weight }, p.position));
    let mut locs: Vec<i32> = Vec::with_capacity(text.len() + 2);
    let (mut weight, mut last) = (25u8, 0u32);
    for p in text {
        if p.weight != weight {
            locs.push(-i32::from(p.weight) - 1);
            locs.push(p.position as i32);
            weight = p.weight;
        } else {
            locs.push(p.position.wrapping_sub(last) as i32);
        }
        last = p.position;
    }
    write_locs(out, &locs);
}

/// Writes `locs` as a CBOR array of integers (writing into a `Vec` cannot fail).
fn write_locs(out: &mut Vec<u8>, locs: &[i32]) {
    let mut e = Encoder::new(out);
    let _ = e.array(locs.len() as u64);
    for l in locs {
        let _ = e.i32(*l);
    }
}

/// Writes a page's `meta_locs` of a word as CBOR (Pagefind's `meta_positions_to_packed`): a
/// change of field as `-(field + 1)`, positions as deltas within a field. The field numbers are
/// the page's own; [`encode_chunk`] maps them to the index's.
fn encode_meta_locs(out: &mut Vec<u8>, meta: &[&MetaPosition]) {
    let mut meta: Vec<&MetaPosition> = meta.to_vec();
    meta.sort_by_key(|p| (p.field, p.position));
    let mut locs: Vec<i32> = Vec::with_capacity(meta.len() + 2);
    let (mut field, mut last) = (None, 0u32);
    for p in meta {
        if Some(p.field) != field {
            locs.push(-i32::from(p.field) - 1);
            field = Some(p.field);
            last = 0;
        }
        locs.push(p.position.wrapping_sub(last) as i32);
        last = p.position;
    }
    write_locs(out, &locs);
}

/// An entry's two arrays, read back: the bytes of its `locs` array, and its `meta_locs`.
fn read_entry(arena: &[u8], at: u32) -> (&[u8], Vec<i32>) {
    let bytes = &arena[at as usize..];
    let mut d = minicbor::Decoder::new(bytes);
    let skipped = d.skip().map(|()| d.position()).unwrap_or(0);
    let meta = d
        .array()
        .ok()
        .flatten()
        .map(|n| (0..n).filter_map(|_| d.i32().ok()).collect())
        .unwrap_or_default();
    (&bytes[..skipped], meta)
}

/// How many numbers an entry holds (its locations, text and meta), as Pagefind counts them to
/// cut chunks: the lengths of its two arrays.
fn entry_count(arena: &[u8], at: u32) -> usize {
    let mut d = minicbor::Decoder::new(&arena[at as usize..]);
    let locs = d.array().ok().flatten().unwrap_or(0);
    for _ in 0..locs {
        let _ = d.skip();
    }
    let meta = d.array().ok().flatten().unwrap_or(0);
    (locs + meta) as usize
}

/// How the index is built.
#[derive(Debug, Clone)]
pub struct Options {
    /// The language of every page (`en`).
    pub language: String,
    /// Cut a word chunk when it holds this many locations (Pagefind's 20,000, or
    /// `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`).
    pub chunk_size: usize,
    /// Whether Pagefind ships a WebAssembly module of its own for the language (it does for
    /// the languages it stems).
    pub language_wasm: bool,
    /// The characters that count as part of a word besides letters and digits.
    pub include_characters: Vec<char>,
}

impl Options {
    /// Pagefind's defaults for `language` (`en`).
    pub fn new(language: &str) -> Options {
        Options {
            language: language.to_string(),
            chunk_size: std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(20000),
            language_wasm: super::words::stemmer(language).is_some(),
            include_characters: super::words::WORD_SYMBOLS.to_vec(),
        }
    }
}

/// The index files of `pages` (in result order), relative to the index directory, sorted by
/// path: `pagefind-entry.json`, `pagefind.<hash>.pf_meta`, `index/…`, `fragment/…`, `filter/…`
/// (the runtime's scripts and WebAssembly are not among them).
pub fn build(
    pages: &[&Packed],
    interner: &Interner,
    options: &Options,
) -> crate::Result<Vec<(String, bytes::Bytes)>> {
    interner.with_names(|names| build_with(pages, names, options))
}

fn build_with(
    pages: &[&Packed],
    names: &[std::sync::Arc<str>],
    options: &Options,
) -> crate::Result<Vec<(String, bytes::Bytes)>> {
    let language = options.language.as_str();
    let used_custom_body = pages.iter().any(|p| p.has_custom_body);
    let pages: Vec<&Packed> = pages
        .iter()
        .copied()
        .filter(|p| !(used_custom_body && !p.has_custom_body && !p.force_inclusion))
        .filter(|p| p.has_words)
        .collect();

    // Pages, by number: fragments' short hashes (a collision takes a longer one).
    let mut fragment_hashes: HashMap<String, usize> = HashMap::new();
    let mut short_hashes = Vec::with_capacity(pages.len());
    for (number, page) in pages.iter().enumerate() {
        let mut len = language.len() + 8;
        loop {
            let short = page.full_hash.get(..len).unwrap_or(&page.full_hash);
            match fragment_hashes.get(short) {
                Some(&other) if pages[other].full_hash == page.full_hash => anyhow::bail!(
                    "search: `{}` and `{}` would be the same search result",
                    pages[other].url,
                    page.url
                ),
                Some(_) if len < page.full_hash.len() => len += 1,
                Some(_) => anyhow::bail!("search: no name is left for `{}`", page.url),
                None => {
                    fragment_hashes.insert(short.to_string(), number);
                    short_hashes.push(short.to_string());
                    break;
                }
            }
        }
    }

    let meta_fields: Vec<String> = pages
        .iter()
        .flat_map(|p| p.meta_fields.iter().cloned())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let sorts = sorts(&pages);
    let filters = filter_indexes(&pages, language);

    // Each word's pages (and its variants'), grouped and ordered.
    let mut slots = Vec::new();
    let words = group_words(&pages, names, &mut slots);
    let chunks = chunk(&words, options.chunk_size);
    let mut index_chunks = chunk_meta(&chunks);
    // Each page's meta fields by the index's numbering.
    let fields: Vec<Vec<i32>> = pages
        .iter()
        .map(|p| {
            p.meta_fields
                .iter()
                .map(|f| meta_fields.binary_search(f).map_or(0, |i| i as i32))
                .collect()
        })
        .collect();
    let encoded: Vec<(Vec<u8>, String)> = chunks
        .par_iter()
        .map(|chunk| {
            let bytes = encode_chunk(chunk, &pages, names, &fields);
            let hash = format!("{language}_{}", full_hash(&bytes));
            (bytes, hash)
        })
        .collect();
    let mut files: BTreeMap<String, bytes::Bytes> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut chunk_files = Vec::with_capacity(encoded.len());
    for (i, (bytes, hash)) in encoded.into_iter().enumerate() {
        let short = unique_short_hash(&hash, language, &taken);
        taken.insert(short.clone());
        index_chunks[i].2 = short.clone();
        chunk_files.push((format!("index/{short}.pf_index"), bytes));
    }

    let mut filter_meta = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut filter_files = Vec::new();
    for (filter, bytes) in filters {
        let hash = format!("{language}_{}", full_hash(&bytes));
        let short = unique_short_hash(&hash, language, &taken);
        taken.insert(short.clone());
        filter_meta.push((filter, short.clone()));
        filter_files.push((format!("filter/{short}.pf_filter"), bytes));
    }

    let meta =
        encode_meta(&pages, &short_hashes, &index_chunks, &filter_meta, &sorts, &meta_fields);
    let meta_hash = format!("{language}_{}", &full_hash(&meta)[..=language.len() + 7]);

    let compressed: Vec<(String, bytes::Bytes)> = chunk_files
        .into_par_iter()
        .chain(filter_files)
        .chain(rayon::iter::once((format!("pagefind.{meta_hash}.pf_meta"), meta)))
        .map(|(path, bytes)| (path, compress(&bytes).into()))
        .collect();
    files.extend(compressed);
    for (page, short) in pages.iter().zip(&short_hashes) {
        files.insert(format!("fragment/{short}.pf_fragment"), page.fragment.clone());
    }
    files.insert(
        "pagefind-entry.json".into(),
        entry_json(options, &meta_hash, short_hashes.len()).into(),
    );
    Ok(files.into_iter().collect())
}

/// `pagefind-entry.json`: the version, the language's meta file and page count, the word
/// characters.
fn entry_json(options: &Options, meta_hash: &str, page_count: usize) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        version: &'a str,
        languages: BTreeMap<&'a str, Language<'a>>,
        include_characters: &'a [char],
    }
    #[derive(serde::Serialize)]
    struct Language<'a> {
        hash: &'a str,
        wasm: Option<&'a str>,
        page_count: usize,
    }
    let language = Language {
        hash: meta_hash,
        wasm: options.language_wasm.then_some(options.language.as_str()),
        page_count,
    };
    let entry = Entry {
        version: PAGEFIND_VERSION,
        languages: [(options.language.as_str(), language)].into(),
        include_characters: &options.include_characters,
    };
    serde_json::to_vec(&entry).unwrap_or_default()
}

/// A hash's short form, `{language}_` and 7 hex digits, made longer (two digits at a time, as
/// Pagefind does) while it is taken.
fn unique_short_hash(hash: &str, language: &str, taken: &BTreeSet<String>) -> String {
    let mut end = language.len() + 8;
    let mut short = &hash[..end.min(hash.len())];
    while taken.contains(short) {
        end += 2;
        short = &hash[..end.min(hash.len())];
        if short.len() == hash.len() {
            break;
        }
    }
    short.to_string()
}

/// One word in the index: every entry of it, in page order.
struct Word<'a> {
    name: &'a str,
    /// (page number, entry number in the page) of each entry.
    entries: &'a [(u32, u32)],
    /// How many numbers it holds, as Pagefind counts them for chunking.
    size: usize,
}

/// The words of every page, sorted by word, each with its entries in page order. `slots` is
/// where the entries are listed: one (page, entry) pair per entry of every page, grouped by
/// word (a counting sort over the interned word numbers, rather than a sort of the entries).
fn group_words<'a>(
    pages: &[&Packed],
    names: &'a [std::sync::Arc<str>],
    slots: &'a mut Vec<(u32, u32)>,
) -> Vec<Word<'a>> {
    let mut starts = vec![0usize; names.len() + 1];
    for page in pages {
        for e in &page.entries {
            starts[e.word as usize + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    slots.clear();
    slots.resize(starts[names.len()], (0, 0));
    let mut next = starts.clone();
    let mut sizes = vec![0usize; names.len()];
    for (number, page) in pages.iter().enumerate() {
        for (i, e) in page.entries.iter().enumerate() {
            let w = e.word as usize;
            slots[next[w]] = (number as u32, i as u32);
            next[w] += 1;
            sizes[w] += entry_count(&page.arena, e.at) + 1;
        }
    }
    let slots: &'a [(u32, u32)] = slots;
    let mut words: Vec<Word<'a>> = (0..names.len())
        .filter(|&w| starts[w + 1] > starts[w])
        .map(|w| {
            let entries = &slots[starts[w]..starts[w + 1]];
            // Each variant adds one more to the count (Pagefind counts its entry).
            let variants: BTreeSet<u32> = entries
                .iter()
                .map(|&(p, e)| pages[p as usize].entries[e as usize].variant)
                .filter(|v| *v != NORMAL)
                .collect();
            Word { name: &names[w], entries, size: sizes[w] + variants.len() }
        })
        .collect();
    words.par_sort_by(|a, b| a.name.cmp(b.name));
    words
}

/// Words cut into chunks of about `size` locations each.
fn chunk<'w, 'a>(words: &'w [Word<'a>], size: usize) -> Vec<&'w [Word<'a>]> {
    let mut chunks = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, word) in words.iter().enumerate() {
        count += word.size;
        if count >= size {
            chunks.push(&words[start..=i]);
            start = i + 1;
            count = 0;
        }
    }
    if start < words.len() {
        chunks.push(&words[start..]);
    }
    chunks
}

/// Each chunk's first and last word, cut to the shortest prefixes that tell neighbours apart.
fn chunk_meta(chunks: &[&[Word<'_>]]) -> Vec<(String, String, String)> {
    let mut named: Vec<(String, String, String)> = chunks
        .iter()
        .map(|c| {
            let from = c.first().map_or(String::new(), |w| w.name.to_string());
            let to = c.last().map_or(String::new(), |w| w.name.to_string());
            (from, to, String::new())
        })
        .collect();
    for i in 1..named.len() {
        let (a, b) = prefixes(&named[i - 1].1, &named[i].0);
        if a >= named[i - 1].0 {
            named[i - 1].1 = a;
        }
        named[i].0 = b;
    }
    named
}

fn prefixes(a: &str, b: &str) -> (String, String) {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (a.chars().take(common + 1).collect(), b.chars().take(common + 1).collect())
}

/// One chunk as Pagefind's `WordIndex` CBOR, page numbers delta-encoded: each word with its
/// own pages, then each diacritic variant (in order of first appearance) with its pages.
fn encode_chunk(
    words: &[Word<'_>],
    pages: &[&Packed],
    names: &[std::sync::Arc<str>],
    fields: &[Vec<i32>],
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out);
    let _ = e.array(1).and_then(|e| e.array(words.len() as u64));
    let put_pages = |e: &mut Encoder<&mut Vec<u8>>, list: &[(u32, u32)]| {
        let _ = e.array(list.len() as u64);
        let mut last = 0;
        for &(page, entry) in list {
            let _ = e.array(3).and_then(|e| e.u64(u64::from(page - last)));
            last = page;
            let p = pages[page as usize];
            let (locs, meta) = read_entry(&p.arena, p.entries[entry as usize].at);
            let _ = e.writer_mut().write_all(locs);
            let _ = e.array(meta.len() as u64);
            for m in meta {
                // A field marker names the page's field: it becomes the index's.
                let m = if m < 0 { -fields[page as usize][(-m - 1) as usize] - 1 } else { m };
                let _ = e.i32(m);
            }
        }
    };
    for word in words {
        let variant = |&(p, i): &(u32, u32)| pages[p as usize].entries[i as usize].variant;
        let normal: Vec<(u32, u32)> =
            word.entries.iter().copied().filter(|s| variant(s) == NORMAL).collect();
        let _ = e.array(3).and_then(|e| e.str(word.name));
        put_pages(&mut e, &normal);
        let mut forms: Vec<u32> = Vec::new();
        for s in word.entries {
            let v = variant(s);
            if v != NORMAL && !forms.contains(&v) {
                forms.push(v);
            }
        }
        let _ = e.array(forms.len() as u64);
        for form in forms {
            let list: Vec<(u32, u32)> =
                word.entries.iter().copied().filter(|s| variant(s) == form).collect();
            let _ = e.array(2).and_then(|e| e.str(&names[form as usize]));
            put_pages(&mut e, &list);
        }
    }
    out
}

/// `data-pagefind-sort` keys: each key's pages in order of their values (as numbers when all
/// are numbers).
fn sorts(pages: &[&Packed]) -> Vec<(String, Vec<usize>)> {
    let keys: BTreeSet<&String> = pages.iter().flat_map(|p| p.sort.keys()).collect();
    keys.into_iter()
        .map(|key| {
            let mut values: Vec<(&String, usize)> = pages
                .iter()
                .enumerate()
                .filter_map(|(n, p)| p.sort.get(key).map(|v| (v, n)))
                .collect();
            let numeric =
                values.iter().all(|(v, _)| parse_int(v).is_some() || parse_float(v).is_some());
            if numeric {
                let num = |v: &str| {
                    parse_int(v)
                        .map(|i| i as f32)
                        .unwrap_or_else(|| parse_float(v).unwrap_or_default())
                };
                values.sort_by(|a, b| num(a.0).total_cmp(&num(b.0)));
            } else {
                values.sort_by_key(|p| p.0);
            }
            (key.clone(), values.into_iter().map(|(_, n)| n).collect())
        })
        .collect()
}

fn parse_int(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Each filter's CBOR (`FilterIndex`: its values, each with its pages), by filter name.
fn filter_indexes(pages: &[&Packed], _language: &str) -> Vec<(String, Vec<u8>)> {
    let mut map: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (n, page) in pages.iter().enumerate() {
        for (filter, values) in &page.filters {
            for value in values {
                map.entry(filter).or_default().entry(value).or_default().push(n);
            }
        }
    }
    map.into_iter()
        .map(|(filter, values)| {
            let mut out = Vec::new();
            let mut e = Encoder::new(&mut out);
            let _ =
                e.array(2).and_then(|e| e.str(filter)).and_then(|e| e.array(values.len() as u64));
            for (value, pages) in values {
                let _ =
                    e.array(2).and_then(|e| e.str(value)).and_then(|e| e.array(pages.len() as u64));
                for p in pages {
                    let _ = e.u64(p as u64);
                }
            }
            (filter.to_string(), out)
        })
        .collect()
}

/// Pagefind's `MetaIndex` CBOR: version, pages (hash, word count, group), word chunks,
/// filters, sorts, meta fields.
fn encode_meta(
    pages: &[&Packed],
    short_hashes: &[String],
    chunks: &[(String, String, String)],
    filters: &[(String, String)],
    sorts: &[(String, Vec<usize>)],
    meta_fields: &[String],
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out);
    let _ =
        e.array(6).and_then(|e| e.str(PAGEFIND_VERSION)).and_then(|e| e.array(pages.len() as u64));
    for (page, hash) in pages.iter().zip(short_hashes) {
        let _ = e
            .array(3)
            .and_then(|e| e.str(hash))
            .and_then(|e| e.u32(page.word_count as u32))
            .and_then(|e| e.str(""));
    }
    let _ = e.array(chunks.len() as u64);
    for (from, to, hash) in chunks {
        let _ =
            e.array(3).and_then(|e| e.str(from)).and_then(|e| e.str(to)).and_then(|e| e.str(hash));
    }
    let _ = e.array(filters.len() as u64);
    for (filter, hash) in filters {
        let _ = e.array(2).and_then(|e| e.str(filter)).and_then(|e| e.str(hash));
    }
    let _ = e.array(sorts.len() as u64);
    for (sort, pages) in sorts {
        let _ = e.array(2).and_then(|e| e.str(sort)).and_then(|e| e.array(pages.len() as u64));
        for p in pages {
            let _ = e.u64(*p as u64);
        }
    }
    let _ = e.array(meta_fields.len() as u64);
    for f in meta_fields {
        let _ = e.str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compress_writes_what_gz_encoder_writes() {
        let gz = |data: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
            gz.write_all(MARKER).unwrap();
            gz.write_all(data).unwrap();
            gz.finish().unwrap()
        };
        let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let text = "The accounts differ; ".repeat(5000);
        for data in [&b""[..], b"x", b"{\"url\":\"a/\"}", text.as_bytes(), &big] {
            // Twice: the second from the reset compressor.
            assert_eq!(compress(data), gz(data));
            assert_eq!(compress(data), gz(data));
        }
    }
}
