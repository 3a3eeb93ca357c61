//! What an HTML page says about itself, and its article text as Markdown.
//!
//! Pure: the page's bytes (and what the HTTP head said of their charset) in, an [`Extracted`]
//! out. Metadata is read, never inferred:
//!
//! - schema.org JSON-LD (`NewsArticle`, `Article` and their kin, also inside `@graph`):
//!   `headline`, `datePublished`, `author`, `publisher`, `articleSection`, `inLanguage`;
//! - OpenGraph and `article:*` meta tags (`og:title`, `og:url`, `og:locale`,
//!   `article:published_time`, `article:author`, `article:section`), `<meta name=author>`;
//! - `<title>`, `<html lang>`, `<link rel=canonical>`;
//! - for saved pages, SingleFile's `url:` / `saved date:` comment and the browser's
//!   `<!-- saved from url=(…)… -->` mark.
//!
//! The body goes through readability (the `dom_smoothie` crate, a port of Mozilla's
//! readability.js, the algorithm behind Firefox's Reader View) and its Markdown serializer, after
//! a cleaning pass of our own: site chrome (navigation, share buttons, "related" and "most read"
//! blocks, newsletter boxes, cookie banners, forms) is removed, each `<figure>` becomes its
//! caption as an italic paragraph (the dossier cannot show another site's images), and links
//! that lead nowhere (`#`, `javascript:`, `mailto:`) become their text.
//!
//! One file of some 600 lines, about 110 of them unit tests: the rest is one pipeline over one
//! page (decode, metadata, cleaning, readability, tidying) whose steps make sense only together.

use dom_query::{Document, Selection};

/// What was found on a page; every field is what the page says, or `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The headline and where it came from.
    pub title: Option<(String, Source)>,
    /// The publication date as written, and where it came from.
    pub published: Option<(String, Source)>,
    /// The author line (names joined with `, `) and where it came from.
    pub byline: Option<(String, Source)>,
    /// The publisher's name (JSON-LD).
    pub publisher: Option<String>,
    /// The outlet's section.
    pub section: Option<String>,
    /// The page's language tag as written (`en-GB`, `fr`).
    pub language: Option<String>,
    /// `<link rel=canonical>`.
    pub canonical: Option<String>,
    /// `og:url`.
    pub og_url: Option<String>,
    /// A saved page's own record of its address: SingleFile's `url:` or the browser's
    /// `saved from url=` mark.
    pub saved_from: Option<String>,
    /// SingleFile's `saved date:`, as an RFC 3339 date-time.
    pub saved_date: Option<String>,
    /// The article text, as Markdown (empty when none was found).
    pub markdown: String,
}

/// Where a piece of metadata was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The schema.org JSON-LD record.
    JsonLd,
    /// An OpenGraph or `article:*` meta tag.
    OpenGraph,
    /// `<meta name=author>`.
    MetaAuthor,
    /// The `<title>` element.
    TitleElement,
    /// The page's first `<h1>`.
    Heading,
    /// The byline element readability found in the page.
    BylineElement,
}

impl Source {
    /// How a front-matter note names it.
    pub fn describe(self) -> &'static str {
        match self {
            Source::JsonLd => "the page's schema.org JSON-LD",
            Source::OpenGraph => "the page's OpenGraph meta tags",
            Source::MetaAuthor => "the page's `author` meta tag",
            Source::TitleElement => "the page's `<title>` element",
            Source::Heading => "the page's first `<h1>` heading",
            Source::BylineElement => "the byline printed on the page",
        }
    }
}

/// Decodes a page's bytes: a byte-order mark, else the charset the HTTP head gave, else the
/// `<meta charset>` in its first 1024 bytes, else UTF-8 (windows-1252 when the bytes are not
/// UTF-8, as browsers do).
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let declared = http_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(1024)]));
    let enc = match declared {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    // A page that says it is in an ASCII-compatible legacy encoding but is valid UTF-8 is
    // still decoded as declared: that is what a browser shows.
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv=Content-Type content=…charset=…>`
/// names in `head`.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = text.find("charset=")? + "charset=".len();
    let rest = text[at..].trim_start_matches(['"', '\'', ' ']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())?;
    // A page cannot be UTF-16 once it has been read as ASCII: the spec says UTF-8 then.
    Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        enc
    })
}

/// Reads a page's metadata and article text. `url` is the page's address (for relative links).
pub fn extract(html: &str, url: &url::Url) -> Extracted {
    let mut out = Extracted::default();
    saved_page_marks(html, &mut out);
    let doc = Document::from(html);
    metadata(&doc, &mut out);
    out.markdown = body(doc, url, out.title.as_ref().map(|(t, _)| t.as_str()), &mut out.byline);
    out
}

/// SingleFile's comment (`url: …`, `saved date: …`) and the browser's `saved from url=` mark,
/// both near the top of a saved page.
fn saved_page_marks(html: &str, out: &mut Extracted) {
    let top = &html[..floor_char_boundary(html, 4096)];
    if let Some(at) = top.find("Page saved with SingleFile") {
        let comment = &top[at..top[at..].find("-->").map_or(top.len(), |e| at + e)];
        for line in comment.lines().map(str::trim) {
            if let Some(u) = line.strip_prefix("url:") {
                out.saved_from = Some(u.trim().to_string());
            } else if let Some(d) = line.strip_prefix("saved date:") {
                out.saved_date = js_date(d.trim());
            }
        }
    } else if let Some(at) = top.find("saved from url=(") {
        let rest = &top[at + "saved from url=(".len()..];
        if let Some(close) = rest.find(')') {
            let addr: String =
                rest[close + 1..].chars().take_while(|c| !c.is_whitespace() && *c != '-').collect();
            if !addr.is_empty() {
                out.saved_from = Some(addr);
            }
        }
    }
}

/// The largest index ≤ `i` on a character boundary of `s`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A JavaScript `Date.toString()` (`Sat Jun 15 2019 18:22:05 GMT+0300 (Eastern European Summer
/// Time)`) as RFC 3339 (`2019-06-15T18:22:05+03:00`).
pub fn js_date(text: &str) -> Option<String> {
    let text = text.split(" (").next().unwrap_or(text).trim();
    let parsed = jiff::fmt::strtime::parse("%a %b %d %Y %H:%M:%S GMT%z", text).ok()?;
    let zoned = parsed.to_zoned().ok()?;
    let offset = zoned.offset();
    let date: crate::values::DateOrTime =
        format!("{}{}", zoned.datetime().strftime("%Y-%m-%dT%H:%M:%S"), offset_text(offset))
            .parse()
            .ok()?;
    Some(date.to_string())
}

fn offset_text(offset: jiff::tz::Offset) -> String {
    let secs = offset.seconds();
    let (sign, abs) = if secs < 0 { ('-', -secs) } else { ('+', secs) };
    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
}

/// Whitespace collapsed to single spaces, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// The `content` of the first `<meta>` whose `property` or `name` is one of `keys`.
fn meta(doc: &Document, keys: &[&str]) -> Option<String> {
    for key in keys {
        for node in doc.select("meta").nodes().iter() {
            let matches = ["property", "name"]
                .iter()
                .any(|a| node.attr(a).is_some_and(|v| v.trim().eq_ignore_ascii_case(key)));
            if matches && let Some(c) = node.attr("content").and_then(|c| non_empty(squash(&c))) {
                return Some(c);
            }
        }
    }
    None
}

fn metadata(doc: &Document, out: &mut Extracted) {
    let ld = json_ld_article(doc);
    let ld_str = |key: &str| ld.as_ref().and_then(|v| text_of(v.get(key)?));
    if let Some(h) = ld_str("headline").or_else(|| ld_str("name")) {
        out.title = Some((h, Source::JsonLd));
    } else if let Some(t) = meta(doc, &["og:title"]) {
        out.title = Some((t, Source::OpenGraph));
    } else if let Some(t) = non_empty(squash(&doc.select("head title").text())) {
        out.title = Some((t, Source::TitleElement));
    } else if let Some(t) = non_empty(squash(&doc.select("h1").first().text())) {
        out.title = Some((t, Source::Heading));
    }
    if let Some(d) = ld_str("datePublished") {
        out.published = Some((d, Source::JsonLd));
    } else if let Some(d) = meta(doc, &["article:published_time"]) {
        out.published = Some((d, Source::OpenGraph));
    }
    let ld_authors = ld.as_ref().and_then(|v| v.get("author")).map(names).unwrap_or_default();
    if !ld_authors.is_empty() {
        out.byline = Some((ld_authors.join(", "), Source::JsonLd));
    } else if let Some(a) = meta(doc, &["article:author"]).filter(|a| !a.contains("://")) {
        out.byline = Some((a, Source::OpenGraph));
    } else if let Some(a) = meta(doc, &["author"]).filter(|a| !a.contains("://")) {
        out.byline = Some((a, Source::MetaAuthor));
    }
    out.publisher =
        ld.as_ref().and_then(|v| v.get("publisher")).and_then(|p| names(p).into_iter().next());
    out.section = ld_str("articleSection").or_else(|| meta(doc, &["article:section"]));
    out.language = doc
        .select("html")
        .first()
        .attr("lang")
        .and_then(|l| non_empty(l.trim().to_string()))
        .or_else(|| ld_str("inLanguage"))
        .or_else(|| meta(doc, &["og:locale"]).map(|l| l.replace('_', "-")));
    out.canonical = doc
        .select("link[rel]")
        .iter()
        .find(|l| {
            l.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")))
        })
        .and_then(|l| l.attr("href"))
        .and_then(|h| non_empty(h.trim().to_string()));
    out.og_url = meta(doc, &["og:url"]);
}

/// The page's first JSON-LD object typed as an article (`NewsArticle`, `Article`,
/// `ReportageNewsArticle`, `BlogPosting`, …), looking inside arrays and `@graph`.
fn json_ld_article(doc: &Document) -> Option<serde_json::Value> {
    for script in doc.select("script").nodes().iter() {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(script.text().trim()) else {
            continue;
        };
        if let Some(found) = find_article(&value, 0) {
            return Some(found.clone());
        }
    }
    None
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article") || t == "BlogPosting" || t == "Report"
}

fn find_article(v: &serde_json::Value, depth: usize) -> Option<&serde_json::Value> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Array(items) => items.iter().find_map(|i| find_article(i, depth + 1)),
        serde_json::Value::Object(map) => {
            let typed = match map.get("@type") {
                Some(serde_json::Value::String(t)) => is_article_type(t),
                Some(serde_json::Value::Array(ts)) => {
                    ts.iter().filter_map(|t| t.as_str()).any(is_article_type)
                }
                _ => false,
            };
            if typed {
                return Some(v);
            }
            map.get("@graph").and_then(|g| find_article(g, depth + 1))
        }
        _ => None,
    }
}

/// A JSON-LD value as text: a string, or an object's `name`.
fn text_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => non_empty(squash(s)),
        serde_json::Value::Array(items) => items.iter().find_map(text_of),
        serde_json::Value::Object(map) => map.get("name").and_then(text_of),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The names in a JSON-LD `author` or `publisher`: a string, an object with `name`, or a list of
/// these. Addresses (profile pages given instead of a name) are left out.
fn names(v: &serde_json::Value) -> Vec<String> {
    let list: Vec<&serde_json::Value> = match v {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out: Vec<String> = Vec::new();
    for item in list {
        if let Some(n) = text_of(item).filter(|n| !n.contains("://"))
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// Elements that are never article text.
const CHROME_ELEMENTS: &str = "script, style, noscript, template, iframe, form, button, input, select, textarea, \
     label, nav, svg, canvas, video, audio, object, embed, aside, footer, dialog, menu, \
     amp-analytics, amp-ad, amp-sidebar, amp-social-share, amp-consent, [hidden], [aria-hidden=true], \
     [role=navigation], [role=banner], [role=contentinfo], [role=complementary]";

/// Words in a class or id that mark site chrome.
const CHROME_WORDS: &[&str] = &[
    "share",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "signup",
    "sign-up",
    "promo",
    "advert",
    "sponsor",
    "cookie",
    "consent",
    "breadcrumb",
    "most-read",
    "mostread",
    "popular",
    "sidebar",
    "comment",
    "paywall",
    "outbrain",
    "taboola",
    "recirc",
    "read-more",
    "readmore",
    "more-on",
    "jp-relatedposts",
    "sharedaddy",
    "skip",
];

/// Whether a class or id value marks chrome: one of [`CHROME_WORDS`], or an ad slot (`ad`,
/// `ads`, `ad-…`, `…-ad`).
fn is_chrome_name(value: &str) -> bool {
    value.split_whitespace().any(|token| {
        let t = token.to_ascii_lowercase();
        CHROME_WORDS.iter().any(|w| t.contains(w))
            || t == "ad"
            || t == "ads"
            || t.starts_with("ad-")
            || t.starts_with("ads-")
            || t.ends_with("-ad")
            || t.ends_with("-ads")
            || t == "tags"
    })
}

/// Removes site chrome, turns figures into their captions, and unwraps links that lead nowhere.
fn clean(doc: &Document, url: &url::Url) {
    doc.select(CHROME_ELEMENTS).remove();
    // A site header (logo, menu) holds no headline; an article's own header does.
    for header in doc.select("header").nodes().iter() {
        if Selection::from(*header).select("h1").is_empty() {
            header.remove_from_parent();
        }
    }
    for el in doc.select("[class], [id]").nodes().iter() {
        let tag = el.node_name().map(|n| n.to_string()).unwrap_or_default();
        if matches!(tag.as_str(), "html" | "body" | "article" | "main") {
            continue;
        }
        let marked = el.attr("class").is_some_and(|c| is_chrome_name(&c))
            || el.attr("id").is_some_and(|i| is_chrome_name(&i));
        if marked {
            el.remove_from_parent();
        }
    }
    for figure in doc.select("figure").nodes().iter() {
        let caption = squash(&Selection::from(*figure).select("figcaption").text());
        if caption.is_empty() {
            figure.remove_from_parent();
        } else {
            figure.replace_with_html(format!(
                "<p><em>{}</em></p>",
                html_escape::encode_text(&caption)
            ));
        }
    }
    doc.select("img, picture, amp-img, source, amp-video, amp-iframe").remove();
    for a in doc.select("a").nodes().iter() {
        let href = a.attr("href").map(|h| h.trim().to_string()).unwrap_or_default();
        match url.join(&href) {
            Ok(abs)
                if !href.is_empty()
                    && !href.starts_with('#')
                    && matches!(abs.scheme(), "http" | "https") =>
            {
                a.set_attr("href", abs.as_str());
            }
            _ => {
                let inner = a.inner_html();
                a.replace_with_html(inner);
            }
        }
    }
}

/// The article text as Markdown: the cleaned page through readability; its first heading is
/// dropped when it repeats the headline. Fills `byline` from the page's byline element when the
/// metadata gave none.
fn body(
    doc: Document,
    url: &url::Url,
    title: Option<&str>,
    byline: &mut Option<(String, Source)>,
) -> String {
    clean(&doc, url);
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Markdown,
        max_elements_to_parse: 500_000,
        ..Default::default()
    };
    let fallback = doc.select("article").first();
    let fallback_md = if fallback.exists() {
        fallback.nodes().first().map(|n| n.md(None).to_string())
    } else {
        doc.select("body").nodes().first().map(|n| n.md(None).to_string())
    }
    .unwrap_or_default();
    let markdown =
        match dom_smoothie::Readability::with_document(doc, Some(url.as_str()), Some(config))
            .and_then(|mut r| r.parse())
        {
            Ok(article) => {
                if byline.is_none()
                    && let Some(b) = article.byline.map(|b| squash(&b)).and_then(non_empty)
                {
                    *byline = Some((b, Source::BylineElement));
                }
                article.text_content.to_string()
            }
            Err(_) => fallback_md,
        };
    tidy_markdown(&markdown, title)
}

/// Trims the Markdown, collapses runs of blank lines, and drops a first heading that repeats the
/// headline (the page shows it above the text; the dossier shows the title).
pub fn tidy_markdown(markdown: &str, title: Option<&str>) -> String {
    let mut lines: Vec<&str> = Vec::new();
    let mut blank = 0;
    for line in markdown.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !lines.is_empty() && blank > 0 {
            lines.push("");
        }
        blank = 0;
        lines.push(line);
    }
    if let (Some(first), Some(title)) = (lines.first(), title) {
        let heading = first.trim_start_matches('#').trim();
        if first.starts_with('#') && squash(heading) == squash(title) {
            lines.remove(0);
            while lines.first() == Some(&"") {
                lines.remove(0);
            }
        }
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> url::Url {
        url::Url::parse("https://www.example.org/news/a").unwrap()
    }

    #[test]
    fn json_ld_in_a_graph_wins_over_opengraph() {
        let html = r#"<html lang="en-GB"><head><title>T | Site</title>
            <meta property="og:title" content="OG title">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
              {"@type":["NewsArticle"],"headline":"The  headline","datePublished":"2019-06-13T09:41:00+01:00",
               "author":[{"@type":"Person","name":"A. Writer"},{"name":"B. Writer"},"https://e.org/profile"],
               "publisher":{"name":"The Site"},"articleSection":["World","Middle East"]}]}</script>
            </head><body><p>x</p></body></html>"#;
        let e = extract(html, &url());
        assert_eq!(e.title, Some(("The headline".into(), Source::JsonLd)));
        assert_eq!(e.published, Some(("2019-06-13T09:41:00+01:00".into(), Source::JsonLd)));
        assert_eq!(e.byline, Some(("A. Writer, B. Writer".into(), Source::JsonLd)));
        assert_eq!(e.publisher.as_deref(), Some("The Site"));
        assert_eq!(e.section.as_deref(), Some("World"));
        assert_eq!(e.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn opengraph_then_title_then_nothing() {
        let og = r#"<head><meta property="og:title" content="OG"><meta property="article:published_time" content="2019-06-14"><meta property="og:locale" content="fr_FR"><meta property="article:author" content="https://e.org/me"></head>"#;
        let e = extract(og, &url());
        assert_eq!(e.title, Some(("OG".into(), Source::OpenGraph)));
        assert_eq!(e.published, Some(("2019-06-14".into(), Source::OpenGraph)));
        assert_eq!(e.language.as_deref(), Some("fr-FR"));
        assert_eq!(e.byline, None, "an address is not a name");
        let bare = extract("<title> Just \n a title </title><p>text</p>", &url());
        assert_eq!(bare.title, Some(("Just a title".into(), Source::TitleElement)));
        assert_eq!(bare.published, None);
        assert_eq!(extract("<p>nothing</p>", &url()).title, None);
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"x",}</script><title>Fallback</title>"#;
        assert_eq!(extract(html, &url()).title, Some(("Fallback".into(), Source::TitleElement)));
    }

    #[test]
    fn saved_page_marks() {
        let sf = "<!DOCTYPE html> <html><!--\n Page saved with SingleFile \n url: https://e.org/a \
            \n saved date: Sat Jun 15 2019 18:22:05 GMT+0300 (Eastern European Summer \
            Time)\n--><head>";
        let e = extract(sf, &url());
        assert_eq!(e.saved_from.as_deref(), Some("https://e.org/a"));
        assert_eq!(e.saved_date.as_deref(), Some("2019-06-15T18:22:05+03:00"));
        let ie = "<!DOCTYPE html>\n<!-- saved from url=(0020)https://e.org/b?x=1 -->\n<html>";
        assert_eq!(extract(ie, &url()).saved_from.as_deref(), Some("https://e.org/b?x=1"));
    }

    #[test]
    fn charsets() {
        assert_eq!(decode(b"caf\xe9", Some("iso-8859-1")), "café");
        assert_eq!(
            decode(b"<meta charset=\"windows-1252\">caf\xe9", None),
            "<meta charset=\"windows-1252\">café"
        );
        assert_eq!(decode("café".as_bytes(), None), "café");
        assert_eq!(decode(b"caf\xe9", None), "café", "not UTF-8: windows-1252");
        assert_eq!(decode(b"\xef\xbb\xbfok", Some("iso-8859-1")), "ok");
    }

    #[test]
    fn chrome_goes_captions_stay_links_resolve() {
        let html = r##"<html><body><nav><a href="/">Home</a></nav><div class="share-tools"><a href="x">Share on Facebook</a></div>
            <article><h1>Headline here</h1>
            <figure><img src="/i.jpg" alt="x"><figcaption>A caption, with <b>words</b>.</figcaption></figure>
            <p>First paragraph of the story, long enough to count as text, with a <a href="/other">relative link</a> and a <a href="#top">dead one</a>, and commas, many of them.</p>
            <div class="related-links"><a href="/r">Related story</a></div>
            <p>Second paragraph of the story, which also has enough words in it to be kept by readability, and commas.</p>
            </article><footer>© Site</footer></body></html>"##;
        let e = extract(html, &url());
        let md = &e.markdown;
        assert!(
            !md.contains("Share on Facebook")
                && !md.contains("Related story")
                && !md.contains("Home")
                && !md.contains("©"),
            "{md}"
        );
        assert!(md.contains("*A caption, with words.*"), "{md}");
        assert!(md.contains("[relative link](https://www.example.org/other)"), "{md}");
        assert!(md.contains("and a dead one,"), "{md}");
        assert!(!md.contains("i.jpg"), "{md}");
        assert!(!md.starts_with("# Headline"), "{md}");
    }

    #[test]
    fn tidy_drops_a_repeated_headline() {
        assert_eq!(tidy_markdown("## The title\n\n\n\nText.\n", Some("The  title")), "Text.\n");
        assert_eq!(tidy_markdown("## Other\nText.", Some("The title")), "## Other\nText.\n");
        assert_eq!(tidy_markdown("  \n", None), "");
    }

    #[test]
    fn js_dates() {
        assert_eq!(
            js_date("Mon Jan 01 2024 12:00:00 GMT+0100 (CET)").as_deref(),
            Some("2024-01-01T12:00:00+01:00")
        );
        assert_eq!(js_date("yesterday"), None);
    }
}
