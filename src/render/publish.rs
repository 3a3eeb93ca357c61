//! What a static host and the wider web need besides the pages: Atom feeds, the sitemap,
//! `robots.txt`, `_headers` cache hints, and an article's schema.org `NewsArticle` record.
//!
//! Everything here is a pure function of the model and the page list. Absolute URLs come from
//! `base_url` (see [`LinkOptions::absolute`]); pages themselves keep linking relatively. A
//! dossier without `base_url` claims no address: its feeds link relatively (resolved against
//! the feed's own location, as Atom allows) and take `urn:uuid:` ids made from the dossier's
//! title and the entry's site path; its JSON-LD has no `url`; and it has no sitemap or
//! `robots.txt` (the caller leaves them out).
//!
//! Also here: the Wayback Machine searches offered beside every outside address
//! ([`wayback_search`], [`wayback_prefix_search`]) and how an address is shown to readers
//! ([`display_url`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::context::{self, article_path, outlet_path, term_path};
use super::templates::LinkOptions;
use crate::content::{Article, Kind, Site};
use crate::theme::StaticFile;

/// The sitemaps.org limit of URLs in one sitemap file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// One Atom feed to write.
#[derive(Debug)]
pub struct FeedSpec {
    /// Its site path, e.g. `atom.xml` or `outlets/presstv/atom.xml`.
    pub path: String,
    /// The page it is the feed of (its `alternate` link).
    pub page: String,
    /// Its title.
    pub title: String,
    /// What it holds.
    pub subtitle: String,
    /// The articles it holds (indices into [`Site::articles`], newest first), dated ones only:
    /// an Atom entry needs an `updated` date, and the dossier never guesses one.
    pub articles: Vec<usize>,
}

/// A feed as linked from a page's head: `<link rel="alternate" type="application/atom+xml">`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// Its title.
    pub title: String,
    /// Its site path.
    pub path: String,
}

/// The feeds `dossier.yaml` asks for: the dossier's, then each outlet's and each term's when
/// enabled. A feed with no dated article is not written.
pub fn feed_specs(site: &Site) -> Vec<FeedSpec> {
    let limit = match site.config.feeds.limit {
        0 => usize::MAX,
        n => n,
    };
    let dated = |i: &usize| site.articles[*i].meta.published.known().is_some();
    let take = |ids: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        ids.filter(dated).take(limit).collect()
    };
    let title = &site.config.title;
    let mut specs = vec![FeedSpec {
        path: "atom.xml".into(),
        page: String::new(),
        title: title.clone(),
        subtitle: "The newest dated articles in the dossier.".into(),
        articles: take(&mut (0..site.articles.len())),
    }];
    if site.config.feeds.outlets {
        for outlet in site.outlets.values() {
            let mut ids =
                (0..site.articles.len()).filter(|&i| site.articles[i].meta.outlet == outlet.id);
            let page = outlet_path(&outlet.id);
            specs.push(FeedSpec {
                path: format!("{page}atom.xml"),
                page,
                title: format!("{} — {title}", outlet.meta.name),
                subtitle: format!("Articles by {} in the dossier.", outlet.meta.name),
                articles: take(&mut ids),
            });
        }
    }
    for kind in &site.config.feeds.taxonomies {
        let Some(tax) = site.taxonomy(*kind) else { continue };
        for term in &tax.terms {
            let page = term_path(*kind, &term.slug);
            specs.push(FeedSpec {
                path: format!("{page}atom.xml"),
                page,
                title: format!("{} — {} — {title}", term.name, tax.title),
                subtitle: format!("Articles in the dossier filed under {}.", term.name),
                articles: take(&mut term.articles.iter().copied()),
            });
        }
    }
    specs.retain(|s| !s.articles.is_empty());
    specs
}

/// The feeds each page links to in its head, by the page's site path: every page links to the
/// dossier's feed; an outlet or term page also to its own.
pub fn feed_links(specs: &[FeedSpec]) -> (Vec<FeedLink>, BTreeMap<String, FeedLink>) {
    let link = |s: &FeedSpec| FeedLink { title: s.title.clone(), path: s.path.clone() };
    let main = specs.iter().filter(|s| s.page.is_empty()).map(link).collect();
    let own =
        specs.iter().filter(|s| !s.page.is_empty()).map(|s| (s.page.clone(), link(s))).collect();
    (main, own)
}

/// The `feed` variable of the `atom.xml` template.
#[derive(Debug, Serialize)]
pub struct FeedView {
    title: String,
    subtitle: String,
    /// The feed's `<id>`: its own absolute URL, stable while `base_url` is; without a
    /// `base_url`, a `urn:uuid:` made from the dossier's title and the feed's path.
    id: String,
    /// The feed's own address: absolute, or (without `base_url`) relative to the feed itself.
    self_url: String,
    /// The page the feed is of: absolute, or relative to the feed.
    alternate_url: String,
    /// The newest entry's `updated`.
    updated: String,
    author: String,
    entries: Vec<Entry>,
}

/// One `<entry>`.
#[derive(Debug, Serialize)]
struct Entry {
    /// The entry's stable id: the article page's absolute URL, or (without `base_url`) a
    /// `urn:uuid:` made from the dossier's title and the page's path.
    id: String,
    /// The article page: absolute, or relative to the feed. Also the `xml:base` of `content`.
    url: String,
    title: String,
    original: Option<String>,
    published: String,
    updated: String,
    author: String,
    categories: Vec<Category>,
    summary: Option<String>,
    /// The body as HTML, for full-text articles.
    content: Option<String>,
}

#[derive(Debug, Serialize)]
struct Category {
    term: String,
    label: String,
}

/// An entry's title: the headline, or whose report it is, where, and when, saying that the
/// headline is not recorded.
fn entry_title(site: &Site, a: &Article) -> String {
    match &a.meta.title {
        Some(t) => t.clone(),
        None => format!(
            "{}, {} (headline not recorded)",
            context::untitled_label(site, a),
            a.meta.published.known().map_or_else(
                || "date unknown".to_string(),
                |d| d.date().strftime("%-d %B %Y").to_string()
            )
        ),
    }
}

/// The view of one feed; `bodies[i]` is article `i`'s rendered body when it is full text.
pub fn feed_view(
    site: &Site,
    links: &LinkOptions,
    spec: &FeedSpec,
    bodies: &[Option<String>],
) -> FeedView {
    let entries: Vec<Entry> = spec
        .articles
        .iter()
        .filter_map(|&i| {
            let a = &site.articles[i];
            let date = a.meta.published.known()?.rfc3339();
            let outlet = context::outlet_ref(site, &a.meta.outlet).name;
            let categories = site
                .config
                .taxonomies
                .iter()
                .flat_map(|t| a.meta.terms(t.name))
                .map(|name| Category { term: crate::values::slugify(name), label: name.clone() })
                .collect();
            let page = article_path(&a.slug);
            Some(Entry {
                id: feed_id(site, links, &page),
                url: feed_link(links, &spec.path, &page),
                title: entry_title(site, a),
                original: a.meta.url.as_ref().map(|u| u.as_str().to_string()),
                published: date.clone(),
                updated: date,
                author: a.meta.byline.clone().unwrap_or_else(|| outlet.to_string()),
                categories,
                summary: a.meta.summary.clone(),
                content: bodies.get(i).cloned().flatten().filter(|_| a.meta.kind == Kind::FullText),
            })
        })
        .collect();
    // Site order is newest first, so the first entry is the newest.
    let updated = entries.first().map(|e| e.updated.clone()).unwrap_or_default();
    FeedView {
        title: spec.title.clone(),
        subtitle: spec.subtitle.clone(),
        id: feed_id(site, links, &spec.path),
        self_url: feed_link(links, &spec.path, &spec.path),
        alternate_url: feed_link(links, &spec.path, &spec.page),
        updated,
        author: site.config.title.clone(),
        entries,
    }
}

/// The address of site path `to` in the feed at `feed`: absolute under `base_url`, else
/// relative to the feed's own location (Atom resolves relative references against it).
fn feed_link(links: &LinkOptions, feed: &str, to: &str) -> String {
    match links.base_url {
        Some(_) => links.absolute(to),
        None => super::urls::relative(feed, to, links.pretty),
    }
}

/// A stable Atom id for site path `path`: its absolute URL under `base_url`, else a
/// `urn:uuid:` (RFC 9562 version 8, from a SHA-256 of the dossier's title and the path), since
/// an Atom id must be an absolute IRI and the dossier has no address to make one from.
fn feed_id(site: &Site, links: &LinkOptions, path: &str) -> String {
    use sha2::{Digest, Sha256};
    if links.base_url.is_some() {
        return links.absolute(path);
    }
    let mut h = Sha256::new();
    h.update(b"dossier atom id\0");
    h.update(site.config.title.as_bytes());
    h.update(b"\0");
    h.update(path.as_bytes());
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&h.finalize()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8: a custom, name-based UUID
    b[8] = (b[8] & 0x3f) | 0x80; // the RFC 9562 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The start of every address [`wayback_search`] and [`wayback_prefix_search`] make.
pub const WAYBACK_SEARCH: &str = "https://web.archive.org/web/*/";

/// Whether `url` is a Wayback Machine search (as made here), rather than a capture or a source.
pub fn is_wayback_search(url: &str) -> bool {
    url.starts_with(WAYBACK_SEARCH)
}

/// The Wayback Machine's list of its captures of `url` (`https://web.archive.org/web/*/<url>`):
/// a search, which may find nothing, never a guessed capture. The address is written in its
/// serialized form (non-ASCII characters percent-encoded), so the link is a valid URL.
pub fn wayback_search(url: &str) -> String {
    let target = url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string());
    format!("{WAYBACK_SEARCH}{target}")
}

/// The Wayback Machine's list of its captures of every address on `host` that starts with
/// `prefix` (`https://web.archive.org/web/*/presstv.com/Detail/2019/06/13/*`): for an item
/// whose own address is not known, where its outlet's addresses have a known shape.
pub fn wayback_prefix_search(host: &str, prefix: &str) -> String {
    let prefix = super::urls::encode(prefix, true);
    format!("{WAYBACK_SEARCH}{host}/{}*", prefix.trim_start_matches('/'))
}

/// An address as a reader should see it: percent-encoded UTF-8 decoded
/// (`https://negaam.news/%D8%AA…` shows its Persian words), unless decoding would give invalid
/// UTF-8 or a control character, in which case it is shown as written. Links keep the address
/// exactly as recorded; only the text shown changes.
pub fn display_url(url: &str) -> String {
    match percent_encoding::percent_decode_str(url).decode_utf8() {
        Ok(text) if !text.chars().any(char::is_control) => text.into_owned(),
        _ => url.to_string(),
    }
}

/// `sitemap.xml`: the pages' absolute URLs (sorted, as given). Past [`SITEMAP_LIMIT`] URLs
/// (`limit` in tests) it becomes a sitemap index naming `sitemap-1.xml`, `sitemap-2.xml`, ….
pub fn sitemaps(urls: &[String], links: &LinkOptions, limit: usize) -> Vec<(String, Vec<u8>)> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urlset = |urls: &[String]| {
        let mut x = format!("{HEAD}<urlset xmlns=\"{NS}\">\n");
        for u in urls {
            x.push_str("  <url><loc>");
            x.push_str(&xml_escape(u));
            x.push_str("</loc></url>\n");
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if urls.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(urls))];
    }
    let mut files = Vec::new();
    let mut index = format!("{HEAD}<sitemapindex xmlns=\"{NS}\">\n");
    for (n, chunk) in urls.chunks(limit.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str("  <sitemap><loc>");
        index.push_str(&xml_escape(&links.absolute(&name)));
        index.push_str("</loc></sitemap>\n");
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index.into_bytes()));
    files
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is named. (Crawlers read it only at a
/// host's root; under a subpath it documents the sitemap's address for the host's own file.)
pub fn robots(links: &LinkOptions) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", links.absolute("sitemap.xml")).into_bytes()
}

/// `_headers` (Netlify, Cloudflare Pages): fingerprinted assets may be cached for a year.
pub fn headers(links: &LinkOptions, statics: &[StaticFile]) -> Vec<u8> {
    let root = links.root_path();
    let mut out = String::from(
        "# Cache hints written by dossier (`cache_headers: true`): fingerprinted files never\n\
         # change under their name.\n",
    );
    for f in statics.iter().filter(|f| f.path != f.name) {
        out.push_str(&format!(
            "{root}{}\n  Cache-Control: public, max-age=31536000, immutable\n",
            super::urls::encode(&f.path, true)
        ));
    }
    out.into_bytes()
}

/// The schema.org `NewsArticle` record of an article page, as a JSON-LD string safe to put in a
/// `<script type="application/ld+json">` element (`<` is escaped, so `</script>` cannot occur).
pub fn news_article_json_ld(site: &Site, a: &Article, links: &LinkOptions) -> String {
    let meta = &a.meta;
    let outlet = context::outlet_ref(site, &meta.outlet);
    let mut record = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "publisher": { "@type": "Organization", "name": outlet.name },
    });
    if links.base_url.is_some() {
        record["url"] = json!(links.absolute(&article_path(&a.slug)));
    }
    let fields = [
        ("headline", meta.title.clone()),
        ("datePublished", meta.published.known().map(|d| d.to_string())),
        ("isBasedOn", meta.url.as_ref().map(|u| u.as_str().to_string())),
        ("description", meta.summary.clone()),
        ("inLanguage", meta.language.as_ref().map(|l| l.as_str().to_string())),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            record[key] = json!(v);
        }
    }
    if let Some(byline) = &meta.byline {
        record["author"] = json!({ "@type": "Person", "name": byline });
    }
    let text = serde_json::to_string_pretty(&record).unwrap_or_default();
    text.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> LinkOptions {
        LinkOptions {
            pretty: false,
            base_url: Some("https://example.org/sub/".parse().unwrap()),
            assets: BTreeMap::new(),
        }
    }

    #[test]
    fn small_sitemap_is_one_urlset() {
        let files = sitemaps(&["https://example.org/sub/a&b/".into()], &links(), 10);
        assert_eq!(files.len(), 1);
        assert_eq!(
            String::from_utf8(files[0].1.clone()).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
             <url><loc>https://example.org/sub/a&amp;b/</loc></url>\n</urlset>\n"
        );
    }

    #[test]
    fn large_sitemap_becomes_an_index() {
        let urls: Vec<String> = (0..5).map(|i| format!("https://example.org/sub/{i}/")).collect();
        let files = sitemaps(&urls, &links(), 2);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(index.contains("<loc>https://example.org/sub/sitemap-3.xml</loc>"), "{index}");
        let last = String::from_utf8(files[3].1.clone()).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
    }

    #[test]
    fn wayback_searches_and_displayed_addresses() {
        assert_eq!(
            wayback_search("https://news.trust.org/item/20190613105459-3rrr2/"),
            "https://web.archive.org/web/*/https://news.trust.org/item/20190613105459-3rrr2/"
        );
        assert_eq!(
            wayback_search(
                "https://french.presstv.ir/Detail/2017/07/09/527951/Contestation-générale"
            ),
            "https://web.archive.org/web/*/https://french.presstv.ir/Detail/2017/07/09/527951/Contestation-g%C3%A9n%C3%A9rale"
        );
        assert_eq!(
            wayback_prefix_search("presstv.com", "/Detail/2019/06/13/"),
            "https://web.archive.org/web/*/presstv.com/Detail/2019/06/13/*"
        );
        assert_eq!(
            display_url("https://n.example/%D8%AA%D8%B1-x/"),
            "https://n.example/\u{62a}\u{631}-x/"
        );
        assert_eq!(display_url("https://n.example/%FF/"), "https://n.example/%FF/");
        assert_eq!(display_url("https://n.example/%0A/"), "https://n.example/%0A/");
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert_eq!(
            String::from_utf8(robots(&links())).unwrap(),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sub/sitemap.xml\n"
        );
    }
}
