//! What Pagefind reads from an HTML page: its searchable text (the `data-pagefind-body`
//! elements, or else the whole `<body>`), with markers for heading weights and anchors, and its
//! `data-pagefind-meta`, `-filter`, `-sort` values and `<html lang>`.
//!
//! This is Pagefind 1.6's `fossick::parser::DomParser`, rule for rule, on the same tokenizer
//! (`lol_html`) with the same selectors: the index we build from it is the one Pagefind builds
//! (`tests` compare the two). Pagefind keeps the elements it is inside as a tree of
//! reference-counted nodes that collapse into their parents as they end; here they are an
//! arena of nodes with parent indices, freed with the page.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::{Element, EndTag, TextChunk};
use lol_html::{ElementContentHandlers, Selector};

/// Elements whose end separates sentences: a space before, and a full stop after unless the
/// text already ends in punctuation.
const SENTENCE_SELECTORS: &[&str] =
    &["h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section"];
/// Inline elements, which share the anchors of the element they are in.
const INLINE_SELECTORS: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var",
];

/// What Pagefind took from one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The searchable text, normalized, with `___PAGEFIND_…` markers.
    pub digest: String,
    /// `data-pagefind-filter` values.
    pub filters: BTreeMap<String, Vec<String>>,
    /// `data-pagefind-sort` values.
    pub sort: BTreeMap<String, String>,
    /// `data-pagefind-meta` values (and the automatic `title` and `image`).
    pub meta: BTreeMap<String, String>,
    /// The raw text under each anchor (`<counter>:<id>`).
    pub anchor_content: BTreeMap<String, String>,
    /// `data-pagefind-title` of each anchor.
    pub anchor_titles: BTreeMap<String, String>,
    /// Whether the page has a `data-pagefind-body` element.
    pub has_custom_body: bool,
    /// Included even without a body (custom records).
    pub force_inclusion: bool,
    /// `<html lang>`, lower-cased, or `unknown`.
    pub language: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Status {
    #[default]
    Indexing,
    /// The content and children are not indexed.
    Ignored,
    /// The content and children are left out entirely (meta and filters too).
    Excluded,
    Body,
    /// A body is below: this node's own content is dropped.
    ParentOfBody,
}

#[derive(Default, Debug)]
struct Node {
    value: String,
    parent: Option<usize>,
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    weight: Option<String>,
    anchor_ids: Option<Vec<String>>,
    status: Status,
}

#[derive(Default)]
struct State {
    nodes: Vec<Node>,
    current: usize,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
    meta: BTreeMap<String, String>,
    default_meta: BTreeMap<String, String>,
    anchor_content: BTreeMap<String, String>,
    anchor_titles: BTreeMap<String, String>,
    language: Option<String>,
    anchor_counter: usize,
}

/// The selectors, parsed once: `html`, every element inside it, and what Pagefind leaves out.
static SELECTORS: LazyLock<[Selector; 3]> = LazyLock::new(|| {
    let parse = |s: &str| s.parse::<Selector>().expect("a valid constant selector");
    let excluded = [
        "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
        "template",
    ]
    .map(|e| format!("html {e}"))
    .join(", ");
    [parse("html"), parse("html, html *"), parse(&excluded)]
});

/// Reads `html` as Pagefind's `DomParser` does.
pub fn parse(html: &str) -> Parsed {
    let parser = Parser::new();
    crate::check::html::scan(html, parser.handlers());
    parser.finish()
}

/// Reads a page as Pagefind does during a [`crate::check::html::scan`] (which other readers may
/// share: the page is tokenized once).
pub struct Parser {
    state: Rc<RefCell<State>>,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with nothing read yet.
    pub fn new() -> Parser {
        let state = State { nodes: vec![Node::default()], ..State::default() };
        Parser { state: Rc::new(RefCell::new(state)) }
    }

    /// Its handlers, in Pagefind's order.
    pub fn handlers(&self) -> crate::check::html::Handlers {
        let [html_sel, root_sel, excluded_sel] = &*SELECTORS;
        let state = &self.state;
        let on_html = {
            let state = Rc::clone(state);
            move |el: &mut Element<'_, '_>| {
                if let Some(lang) = el.get_attribute("lang") {
                    state.borrow_mut().language = Some(lang.to_lowercase());
                }
                Ok(())
            }
        };
        let on_element = {
            let state = Rc::clone(state);
            move |el: &mut Element<'_, '_>| {
                element(&state, el);
                Ok(())
            }
        };
        let on_excluded = {
            let state = Rc::clone(state);
            move |_: &mut Element<'_, '_>| {
                let mut st = state.borrow_mut();
                let current = st.current;
                st.nodes[current].status = Status::Ignored;
                Ok(())
            }
        };
        let on_text = {
            let state = Rc::clone(state);
            move |chunk: &mut TextChunk<'_>| {
                text(&mut state.borrow_mut(), chunk.as_str());
                Ok(())
            }
        };
        vec![
            (Cow::Borrowed(html_sel), ElementContentHandlers::default().element(on_html)),
            (Cow::Borrowed(root_sel), ElementContentHandlers::default().element(on_element)),
            (Cow::Borrowed(excluded_sel), ElementContentHandlers::default().element(on_excluded)),
            (Cow::Borrowed(html_sel), ElementContentHandlers::default().text(on_text)),
        ]
    }

    /// What was read, once the scan is over.
    pub fn finish(self) -> Parsed {
        wrap(self.state.take())
    }
}

/// A start tag inside `<html>`: a node for it, its anchor, its indexed attributes.
fn element(state: &Rc<RefCell<State>>, el: &mut Element<'_, '_>) {
    // Most elements have none of the attributes Pagefind reads: look them up only when one is
    // there.
    let wanted = el.attributes().iter().any(|a| {
        let name = a.name();
        name == "id" || name.starts_with("data-pagefind-")
    });
    let attr = |name: &str| if wanted { el.get_attribute(name) } else { None };
    let explicit_ignore =
        attr("data-pagefind-ignore").map(|attr| match attr.to_ascii_lowercase().as_str() {
            "" | "index" | "true" => Status::Ignored,
            _ => Status::Excluded,
        });
    let treat_as_body = wanted && el.has_attribute("data-pagefind-body");
    let weight = attr("data-pagefind-weight");
    let filter = attr("data-pagefind-filter").map(|a| parse_attr_string(&a, el));
    let element_id: Option<String> =
        attr("id").map(|e| e.chars().filter(|c| !c.is_whitespace()).collect());
    let pagefind_title =
        attr("data-pagefind-title").map(|t| normalize_content(&t)).filter(|t| !t.is_empty());
    let meta = attr("data-pagefind-meta").map(|a| parse_attr_string(&a, el));
    let default_meta = attr("data-pagefind-default-meta").map(|a| parse_attr_string(&a, el));
    let sort = attr("data-pagefind-sort").map(|a| parse_attr_string(&a, el));
    let index_attrs: Option<Vec<String>> = attr("data-pagefind-index-attrs")
        .map(|a| a.split(',').map(|a| a.trim().to_string()).collect());
    let tag_name = el.tag_name();
    let status =
        if treat_as_body { Status::Body } else { explicit_ignore.unwrap_or(Status::Indexing) };

    let mut st = state.borrow_mut();
    let parent = st.current;
    let mut anchor_id = None;
    if status != Status::Excluded
        && status != Status::Ignored
        && let Some(element_id) = element_id
    {
        {
            let outside_body = st.nodes[parent].status == Status::ParentOfBody
                && status != Status::Body
                && status != Status::ParentOfBody;
            if !outside_body {
                let counter = st.anchor_counter;
                let marker = format!(" ___PAGEFIND_ANCHOR___{tag_name}:{counter}:{element_id} ");
                st.nodes[parent].value.push_str(&marker);
                anchor_id = Some(format!("{counter}:{element_id}"));
                st.anchor_counter += 1;
            }
        }
    }
    if let (Some(anchor_id), Some(title)) = (&anchor_id, pagefind_title) {
        st.anchor_titles.insert(anchor_id.clone(), title);
    }
    if status != Status::Excluded {
        if let Some(attrs) = index_attrs {
            for attr in attrs {
                let mut value = el.get_attribute(attr.trim()).unwrap_or_default();
                if value.chars().last().is_some_and(is_sentence_char) {
                    value.push('.');
                }
                let node = &mut st.nodes[parent].value;
                node.push(' ');
                node.push_str(&value);
                node.push(' ');
            }
        }
        if tag_name == "br" {
            st.nodes[parent].value.push(' ');
        }
    }
    let parent_node = &st.nodes[parent];
    let mut node_anchors =
        if parent_node.anchor_ids.is_some() && INLINE_SELECTORS.contains(&tag_name.as_str()) {
            parent_node.anchor_ids.clone()
        } else {
            None
        };
    if let Some(own) = anchor_id {
        node_anchors.get_or_insert_with(Vec::new).push(own);
    }
    let status = if parent_node.status == Status::Excluded { parent_node.status } else { status };
    st.nodes.push(Node {
        value: String::new(),
        parent: Some(parent),
        filter,
        sort,
        meta,
        default_meta,
        weight,
        anchor_ids: node_anchors,
        status,
    });
    let node = st.nodes.len() - 1;
    st.current = node;
    drop(st);

    if let Some(handlers) = el.end_tag_handlers() {
        let state = Rc::clone(state);
        handlers.push(Box::new(move |end: &mut EndTag<'_>| {
            end_tag(&mut state.borrow_mut(), node, &tag_name, &end.name());
            Ok(())
        }));
    } else {
        // An element without an end tag (`<img>`): it ends here.
        let mut st = state.borrow_mut();
        st.current = parent;
        if st.nodes[node].status == Status::Excluded {
            return;
        }
        collect_attributes(&mut st, node);
        if tag_name == "img"
            && !st.meta.contains_key("auto_image")
            && (st.meta.contains_key("auto_title") || st.meta.contains_key("title"))
            && let Some(src) = el.get_attribute("src")
        {
            st.meta.insert("auto_image".into(), normalize_content(&src));
            if let Some(alt) = el.get_attribute("alt") {
                st.meta.insert("auto_image_alt".into(), normalize_content(&alt));
            }
        }
    }
}

/// Text inside `<html>`, raw: to the current node, and to its anchors' text.
fn text(st: &mut State, text: &str) {
    let current = st.current;
    let node = &mut st.nodes[current];
    node.value.push_str(text);
    let ignored = matches!(node.status, Status::Ignored | Status::Excluded);
    if !ignored && let Some(ids) = node.anchor_ids.clone() {
        for id in ids {
            st.anchor_content.entry(id).or_default().push_str(text);
        }
    }
}

/// The filters, sort keys and meta a node's attributes ask for.
fn collect_attributes(st: &mut State, node: usize) {
    let n = &st.nodes[node];
    let mut filters = Vec::new();
    for f in n.filter.iter().flatten() {
        filters.extend(attribute_pair(n, f));
    }
    let sorts: Vec<_> = n.sort.iter().flatten().filter_map(|s| attribute_pair(n, s)).collect();
    let metas: Vec<_> = n.meta.iter().flatten().filter_map(|m| attribute_pair(n, m)).collect();
    let defaults: Vec<_> =
        n.default_meta.iter().flatten().filter_map(|m| attribute_pair(n, m)).collect();
    for (filter, value) in filters {
        st.filters.entry(filter).or_default().push(value);
    }
    st.sort.extend(sorts);
    st.meta.extend(metas);
    st.default_meta.extend(defaults);
}

/// The end of the element of `node`: its attributes counted, its text weighted and handed to
/// its parent.
fn end_tag(st: &mut State, node: usize, tag_name: &str, end_name: &str) {
    if let Some(parent) = st.nodes[node].parent {
        st.current = parent;
    }
    if st.nodes[node].status == Status::Excluded {
        return;
    }
    collect_attributes(st, node);
    let blank = st.nodes[node].value.trim().is_empty();
    if tag_name == "h1" && !st.meta.contains_key("auto_title") && !blank {
        let title = normalize_content(&st.nodes[node].value);
        st.meta.insert("auto_title".into(), title);
    }
    if tag_name == "title" && !st.meta.contains_key("auto_page_title") {
        let title = normalize_content(&st.nodes[node].value);
        st.meta.insert("auto_page_title".into(), title);
    }
    if st.nodes[node].status == Status::Ignored {
        return;
    }
    // The node's text as its parent receives it (Pagefind's order of wrappers: a space and a
    // full stop around a block, then its weight markers), written straight into the parent.
    let n = &mut st.nodes[node];
    let value = std::mem::take(&mut n.value);
    let status = n.status;
    let weight = n.weight.take();
    let Some(parent) = n.parent else { return };
    let sentence = SENTENCE_SELECTORS.contains(&end_name);
    let stop = sentence && value.chars().last().is_some_and(is_sentence_char);
    let auto_weight = match end_name {
        "h1" => Some("7"),
        "h2" => Some("6"),
        "h3" => Some("5"),
        "h4" => Some("4"),
        "h5" => Some("3"),
        "h6" => Some("2"),
        _ => None,
    };
    let marker = match (&weight, auto_weight) {
        (Some(w), _) => Some(("___PAGEFIND_WEIGHT___", w.as_str())),
        (None, Some(a)) => Some(("___PAGEFIND_AUTO_WEIGHT___", a)),
        (None, None) => None,
    };
    let parent = &mut st.nodes[parent];
    if parent.status == Status::ParentOfBody
        && status != Status::Body
        && status != Status::ParentOfBody
    {
        return;
    }
    let out = match status {
        Status::Ignored | Status::Excluded => return,
        Status::Indexing => &mut parent.value,
        Status::Body | Status::ParentOfBody => {
            if parent.status != Status::ParentOfBody {
                parent.value.clear();
            }
            parent.status = Status::ParentOfBody;
            &mut parent.value
        }
    };
    if let Some((kind, w)) = marker {
        out.push(' ');
        out.push_str(kind);
        out.push_str(w);
        out.push(' ');
    }
    if sentence {
        out.push(' ');
    }
    out.push_str(&value);
    if stop {
        out.push('.');
    }
    if sentence {
        out.push(' ');
    }
    if marker.is_some() {
        out.push_str(" ___END_PAGEFIND_WEIGHT___ ");
    }
}

/// Adds a child's text to its parent, by the child's status.
fn hand_up(parent: &mut Node, status: Status, value: &str, keep_earlier_bodies: bool) {
    match status {
        Status::Ignored | Status::Excluded => {}
        Status::Indexing => parent.value.push_str(value),
        Status::Body | Status::ParentOfBody => {
            if !keep_earlier_bodies || parent.status != Status::ParentOfBody {
                parent.value.clear();
            }
            parent.value.push_str(value);
            parent.status = Status::ParentOfBody;
        }
    }
}

/// The end of the page: the nodes still open collapse into the root; the automatic title and
/// image fill in what the page did not name.
fn wrap(mut st: State) -> Parsed {
    let mut node = st.current;
    while let Some(parent) = st.nodes[node].parent {
        if st.nodes[parent].status != Status::ParentOfBody {
            let value = std::mem::take(&mut st.nodes[node].value);
            let status = st.nodes[node].status;
            hand_up(&mut st.nodes[parent], status, &value, false);
        }
        node = parent;
    }
    if let Some(image) = st.meta.remove("auto_image") {
        let alt = st.meta.remove("auto_image_alt").unwrap_or_default();
        if !st.meta.contains_key("image") {
            st.meta.insert("image".into(), image);
            st.meta.insert("image_alt".into(), alt);
        }
    }
    for auto in ["auto_title", "auto_page_title"] {
        if let Some(title) = st.meta.remove(auto)
            && !st.meta.contains_key("title")
        {
            st.meta.insert("title".into(), title);
        }
    }
    let mut meta = std::mem::take(&mut st.default_meta);
    meta.extend(std::mem::take(&mut st.meta));
    let root = &st.nodes[node];
    Parsed {
        digest: normalize_content(&root.value),
        filters: st.filters,
        sort: st.sort,
        meta,
        anchor_content: st.anchor_content,
        anchor_titles: st.anchor_titles,
        has_custom_body: root.status == Status::ParentOfBody,
        force_inclusion: false,
        language: st.language.filter(|l| !l.is_empty()).unwrap_or_else(|| "unknown".into()),
    }
}

/// `data-pagefind-meta="title, image[src], kind:Article"`: each part either names itself
/// (its value is the element's text), reads another attribute (`image[src]`), or is a literal
/// after the first `:`.
fn parse_attr_string(input: &str, el: &Element<'_, '_>) -> Vec<String> {
    static ATTRIBUTE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new("^\\s*(?P<name>[^:\\[\\]]+)\\[(?P<attribute>.+)\\]\\s*$")
            .expect("a valid constant pattern")
    });
    if let Some((attrs, literal)) = input.split_once(':') {
        let mut attrs = parse_attr_string(attrs, el);
        if let Some(last) = attrs.last_mut() {
            last.push(':');
            last.push_str(literal);
        }
        return attrs;
    }
    input
        .split(',')
        .map(|chunk| {
            let chunk = chunk.trim();
            match ATTRIBUTE.captures(chunk) {
                Some(c) => {
                    let name = c.name("name").map_or("", |m| m.as_str());
                    let attr = c.name("attribute").map_or("", |m| m.as_str());
                    format!("{name}:{}", el.get_attribute(attr).unwrap_or_default())
                }
                None => chunk.to_owned(),
            }
        })
        .collect()
}

/// A `name:value` pair, or `name` with the node's text as its value (if it has text).
fn attribute_pair(node: &Node, input: &str) -> Option<(String, String)> {
    match input.split_once(':') {
        Some((name, value)) => Some((name.to_owned(), normalize_content(value))),
        None if node.value.is_empty() => None,
        None => Some((input.to_owned(), normalize_content(&node.value))),
    }
}

/// Whether a text ending in `c` takes a full stop at a block's end (Pagefind's regex
/// `[\w'"\)\$\*]`).
fn is_sentence_char(c: char) -> bool {
    static SENTENCE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new("^[\\w'\"\\)\\$\\*]$").expect("a valid constant pattern")
    });
    SENTENCE.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Character references decoded, whitespace trimmed, line breaks and runs of whitespace made
/// single spaces (Pagefind's `normalize_content`).
pub fn normalize_content(content: &str) -> String {
    let decoded = html_escape::decode_html_entities(content);
    let trimmed = decoded.trim();
    // `(\n|\r\n)+` → one space.
    let mut lines = String::with_capacity(trimmed.len());
    let mut rest = trimmed;
    while let Some(i) = rest.find('\n') {
        let (before, after) = rest.split_at(i);
        let before = before.strip_suffix('\r').unwrap_or(before);
        lines.push_str(before);
        lines.push(' ');
        rest = &after[1..];
        loop {
            if let Some(r) = rest.strip_prefix('\n') {
                rest = r;
            } else if let Some(r) = rest.strip_prefix("\r\n") {
                rest = r;
            } else {
                break;
            }
        }
    }
    lines.push_str(rest);
    // `\s{2,}` → one space.
    let mut out = String::with_capacity(lines.len());
    let mut run = String::new();
    for c in lines.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        flush_run(&mut out, &mut run);
        out.push(c);
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut String) {
    if run.chars().nth(1).is_some() {
        out.push(' ');
    } else {
        out.push_str(run);
    }
    run.clear();
}
