//! Markdown to HTML: pulldown-cmark, with heading anchors, internal links, and sanitizing.
//!
//! - Tables, footnotes, strikethrough and heading attributes (`## Title {#id}`) are on; smart
//!   punctuation is the caller's choice (never for verbatim `full-text` articles).
//! - Every heading gets a stable id: its explicit `{#id}`, or its text slugified, with `-1`,
//!   `-2` … added to repeats.
//! - `@/articles/x.md#part` links to another content file, resolved to a relative URL from the
//!   page being rendered; an unknown target is an error at its line and column.
//! - Links and images with `javascript:`-like schemes are dropped (with a warning); images from
//!   other hosts are errors, because an archived copy must render offline; external links get
//!   `rel="noopener noreferrer"`.
//! - Raw HTML is sanitized with ammonia unless the dossier allows it. Without raw HTML the
//!   output of pulldown-cmark is already safe, so ammonia only runs when there is some.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::urls::relative;
use crate::values::slugify;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Typographic quotes and dashes.
    pub smart_punctuation: bool,
    /// Keep raw HTML as written instead of sanitizing it.
    pub allow_raw_html: bool,
    /// Link to `dir/` rather than `dir/index.html`.
    pub pretty_links: bool,
}

/// Maps an `@/` content path (`articles/x.md`) to the site path of its page (`articles/x/`).
pub type Resolver<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// A heading of the rendered document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its anchor.
    pub id: String,
    /// Its text.
    pub title: String,
}

/// A problem found while rendering, at a byte offset of the Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the source.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Whether it fails the build.
    pub is_error: bool,
}

/// The result of rendering.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The headings, in order.
    pub headings: Vec<Heading>,
    /// Errors and warnings.
    pub problems: Vec<Problem>,
}

/// Renders `source`, a document that will be published at site path `page`.
pub fn render(
    source: &str,
    page: &str,
    resolve: Resolver<'_>,
    options: MarkdownOptions,
) -> Rendered {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if options.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut has_raw_html = false;
    let mut heading: Option<(usize, String)> = None;
    let mut ids: Vec<String> = Vec::new();
    let mut dropped_links: Vec<bool> = Vec::new();

    for (event, range) in Parser::new_ext(source, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, title)) = heading.take() {
                    let id = finish_heading(&mut events[start], &title, &mut ids);
                    out.headings.push(Heading {
                        level: level as u8,
                        id,
                        title: title.trim().to_string(),
                    });
                }
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, title)) = heading.as_mut() {
                    title.push_str(t);
                }
                events.push(event);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                events.push(event);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                match link_target(&dest_url, page, resolve, options.pretty_links) {
                    Ok(Target::External(url)) => {
                        dropped_links.push(false);
                        events.push(Event::Html(external_link_open(&url, &title).into()));
                        // The matching end tag is rendered as `</a>` below.
                        continue;
                    }
                    Ok(Target::Internal(url)) => {
                        dropped_links.push(false);
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        }));
                    }
                    Err(problem) => {
                        dropped_links.push(true);
                        out.problems.push(Problem { offset: range.start, ..problem });
                    }
                }
            }
            Event::End(TagEnd::Link) => match dropped_links.pop() {
                Some(true) => {}
                _ => events.push(event),
            },
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                match image_target(&dest_url, page, resolve, options.pretty_links) {
                    Ok(url) => events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    })),
                    Err(problem) => {
                        out.problems.push(Problem { offset: range.start, ..problem });
                        events.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url: "".into(),
                            title,
                            id,
                        }));
                    }
                }
            }
            other => events.push(other),
        }
    }
    // External links were opened as raw HTML; close them the same way.
    let events = close_external_links(events);
    html::push_html(&mut out.html, events.into_iter());
    if has_raw_html && !options.allow_raw_html {
        let depth = super::nesting::max_depth(&out.html);
        if depth > super::nesting::MAX_HTML_DEPTH {
            out.problems.push(problem(
                format!(
                    "the body's HTML nests {depth} elements deep; at most {} can be sanitized",
                    super::nesting::MAX_HTML_DEPTH
                ),
                "close the raw HTML's elements (`</div>`), or remove the raw HTML",
                true,
            ));
            out.html.clear();
        } else {
            out.html = SANITIZER.clean(&out.html).to_string();
        }
    }
    out
}

fn finish_heading(start: &mut Event<'_>, title: &str, ids: &mut Vec<String>) -> String {
    let Event::Start(Tag::Heading { id, .. }) = start else { return String::new() };
    let base = match id {
        Some(explicit) => explicit.to_string(),
        None => {
            let s = slugify(title);
            if s.is_empty() { "section".to_string() } else { s }
        }
    };
    let mut unique = base.clone();
    let mut n = 1;
    while ids.contains(&unique) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    ids.push(unique.clone());
    *id = Some(CowStr::from(unique.clone()));
    unique
}

enum Target {
    External(String),
    Internal(String),
}

fn problem(message: String, help: &str, is_error: bool) -> Problem {
    Problem { offset: 0, message, help: help.to_string(), is_error }
}

/// The URL scheme of a link, if it has one (`https`, `javascript` …), lowercased.
fn scheme(url: &str) -> Option<String> {
    let end = url.find([':', '/', '?', '#'])?;
    let s = &url[..end];
    let valid = url[end..].starts_with(':')
        && !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| s.to_ascii_lowercase())
}

fn resolve_internal(
    dest: &str,
    page: &str,
    resolve: Resolver<'_>,
    pretty: bool,
) -> Result<String, Problem> {
    let rest = &dest[2..];
    let split = rest.find('#').unwrap_or(rest.len());
    let (path, fragment) = rest.split_at(split);
    match resolve(path) {
        Some(site_path) => Ok(relative(page, &format!("{site_path}{fragment}"), pretty)),
        None => Err(problem(
            format!("link to `{dest}`: there is no content file `content/{path}`"),
            "internal links name the file under content/, e.g. \
                `@/articles/2019-06-13-presstv-turkey-disputes-russia.md`",
            true,
        )),
    }
}

fn link_target(
    dest: &str,
    page: &str,
    resolve: Resolver<'_>,
    pretty: bool,
) -> Result<Target, Problem> {
    if dest.starts_with("@/") {
        return resolve_internal(dest, page, resolve, pretty).map(Target::Internal);
    }
    match scheme(dest).as_deref() {
        None => Ok(Target::Internal(dest.to_string())),
        Some("http" | "https") => Ok(Target::External(dest.to_string())),
        Some("mailto" | "tel") => Ok(Target::Internal(dest.to_string())),
        Some(other) => Err(problem(
            format!("link to `{dest}` removed: the `{other}:` scheme is not allowed"),
            "link to http(s) addresses, mailto: or pages of the dossier",
            false,
        )),
    }
}

fn image_target(
    dest: &str,
    page: &str,
    resolve: Resolver<'_>,
    pretty: bool,
) -> Result<String, Problem> {
    if dest.starts_with("@/") {
        return resolve_internal(dest, page, resolve, pretty);
    }
    match scheme(dest) {
        None if !dest.starts_with("//") => Ok(dest.to_string()),
        _ => Err(problem(
            format!("image `{dest}` is not a file of the dossier"),
            "pages must not load files from other sites (an archived copy has to work offline): \
                save the image under static/ and use a relative path",
            true,
        )),
    }
}

fn external_link_open(url: &str, title: &str) -> String {
    let mut s = String::from("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut s, url);
    s.push('"');
    if !title.is_empty() {
        s.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut s, title);
        s.push('"');
    }
    s.push_str(" rel=\"noopener noreferrer\">");
    s
}

/// Replaces the `End(Link)` of each link opened as raw HTML with a raw `</a>`.
fn close_external_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut stack: Vec<bool> = Vec::new();
    events
        .into_iter()
        .map(|e| match e {
            Event::Html(ref h)
                if h.starts_with("<a href=") && h.ends_with(" rel=\"noopener noreferrer\">") =>
            {
                stack.push(true);
                e
            }
            Event::Start(Tag::Link { .. }) => {
                stack.push(false);
                e
            }
            Event::End(TagEnd::Link) if stack.pop() == Some(true) => Event::Html("</a>".into()),
            other => other,
        })
        .collect()
}

/// The sanitizer for raw HTML: ammonia's safe defaults, plus the attributes our own Markdown
/// output uses (heading ids, footnote classes, `rel` on external links), minus remote images.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir"]);
    b.link_rel(None);
    b.add_tag_attributes("a", ["rel"]);
    b.attribute_filter(|element, attribute, value| {
        let remote = scheme(value).is_some() || value.starts_with("//");
        if element == "img" && attribute == "src" && remote { None } else { Some(value.into()) }
    });
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: MarkdownOptions =
        MarkdownOptions { smart_punctuation: true, allow_raw_html: false, pretty_links: false };

    fn resolver(path: &str) -> Option<String> {
        path.strip_prefix("articles/")
            .and_then(|p| p.strip_suffix(".md"))
            .map(|slug| format!("articles/{slug}/"))
    }

    fn md(source: &str) -> Rendered {
        render(source, "articles/here/", &resolver, OPTS)
    }

    #[test]
    fn headings_get_stable_unique_ids() {
        let r = md("## Who attacked the post?\n\n## Who attacked the post?\n\n## Custom {#mine}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["who-attacked-the-post", "who-attacked-the-post-1", "mine"]);
        assert!(r.html.contains("<h2 id=\"who-attacked-the-post-1\">"), "{}", r.html);
    }

    #[test]
    fn extensions_are_enabled() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\" -- dash[^1]\n\n[^1]: A note.\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted” –"), "{}", r.html);
        assert!(r.html.contains("class=\"footnote-definition\""));
    }

    #[test]
    fn verbatim_mode_keeps_straight_quotes() {
        let r = render(
            "Russia blamed \"terrorists\" -- twice",
            "",
            &resolver,
            MarkdownOptions { smart_punctuation: false, ..OPTS },
        );
        assert!(r.html.contains("blamed \"terrorists\" -- twice"), "{}", r.html);
    }

    #[test]
    fn internal_links_become_relative() {
        let r = md("See [the report](@/articles/other.md#notes).");
        assert!(r.html.contains("href=\"../other/index.html#notes\""), "{}", r.html);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn unknown_internal_link_is_an_error_at_its_offset() {
        let r = md("Intro.\n\nSee [x](@/outlets/nobody.yaml).");
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].is_error);
        assert_eq!(r.problems[0].offset, 12);
        assert_eq!(
            r.problems[0].message,
            "link to `@/outlets/nobody.yaml`: there is no content file \
                `content/outlets/nobody.yaml`"
        );
        assert!(!r.html.contains("href"), "the broken link is dropped: {}", r.html);
    }

    #[test]
    fn external_links_get_rel_and_bad_schemes_are_dropped() {
        let r = md(
            "[Reuters](https://news.trust.org/item/1 \"T\") and [bad](javascript:alert(1)) and \
                [mail](mailto:a@b.org)",
        );
        assert!(
            r.html.contains(
                "<a href=\"https://news.trust.org/item/1\" title=\"T\" \
            rel=\"noopener noreferrer\">Reuters</a>"
            ),
            "{}",
            r.html
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(r.html.contains(" and bad and "), "{}", r.html);
        assert!(r.html.contains("href=\"mailto:a@b.org\""));
        assert_eq!(r.problems.len(), 1);
        assert!(!r.problems[0].is_error);
    }

    #[test]
    fn remote_images_are_errors() {
        let r = md("![x](https://cdn.example/a.jpg)");
        assert!(r.problems[0].is_error);
        assert!(!r.html.contains("cdn.example"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_sanitized_unless_allowed() {
        let src = "<script>alert(1)</script>\n\n<p onclick=\"x()\">Hi <img \
            src=\"https://t.example/p.gif\"></p>\n\n## Kept {#kept}\n";
        let r = md(src);
        assert!(
            !r.html.contains("script")
                && !r.html.contains("onclick")
                && !r.html.contains("t.example"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"kept\">"), "{}", r.html);
        let raw = render(src, "", &resolver, MarkdownOptions { allow_raw_html: true, ..OPTS });
        assert!(raw.html.contains("<script>"));
    }

    #[test]
    fn scheme_detection() {
        assert_eq!(scheme("https://x").as_deref(), Some("https"));
        assert_eq!(scheme("JavaScript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("../a:b"), None);
        assert_eq!(scheme("#x"), None);
        assert_eq!(scheme("a/b:c"), None);
    }

    use proptest::prelude::*;

    /// Markdown-ish text: constructs that have their own code paths (headings with ids,
    /// internal, external and hostile links, images, raw HTML, footnotes, tables) mixed with
    /// any characters.
    fn markdownish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("## ".to_string()),
            Just(" {#x}".to_string()),
            Just("[a](@/articles/other.md#n)".to_string()),
            Just("[a](@/nowhere.md)".to_string()),
            Just("[a](https://e.org/ \"t\")".to_string()),
            Just("[a](javascript:alert(1))".to_string()),
            Just("[a](<java\tscript:x>)".to_string()),
            Just("![i](https://e.org/p.png)".to_string()),
            Just("![i](images/p.png)".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("<a href=\"javascript:x\">".to_string()),
            Just("[^1]".to_string()),
            Just("\n[^1]: n\n".to_string()),
            Just("\n| a | b |\n|---|---|\n".to_string()),
            Just("\n\n".to_string()),
            "[*_`<>()\\[\\]!#:@/\\\\ -]{1,3}",
            "\\PC{1,8}",
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat())
    }

    /// Active content on a rendered fragment: script-like elements, `on…` attributes, and
    /// `javascript:` URLs, as a browser would read them.
    fn active_content(html: &str) -> Vec<String> {
        let doc = scraper::Html::parse_fragment(html);
        let all = scraper::Selector::parse("*").unwrap();
        let mut found = Vec::new();
        for el in doc.select(&all) {
            let name = el.value().name();
            if matches!(name, "script" | "iframe" | "object" | "embed" | "style") {
                found.push(format!("<{name}>"));
            }
            for (attr, value) in el.value().attrs() {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                    .collect();
                if attr.starts_with("on") || v.to_ascii_lowercase().starts_with("javascript:") {
                    found.push(format!("<{name} {attr}={value:?}>"));
                }
            }
        }
        found
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text renders, with any options, without panicking; problems point inside the
        /// source; heading ids are unique; without raw HTML allowed nothing active survives.
        #[test]
        fn any_text_renders_safely(
            text in prop_oneof![markdownish(), "(\\PC|\n){0,60}"],
            smart: bool,
            raw: bool,
            pretty: bool,
        ) {
            let options =
                MarkdownOptions { smart_punctuation: smart, allow_raw_html: raw, pretty_links: pretty };
            let r = render(&text, "articles/here/", &resolver, options);
            for p in &r.problems {
                prop_assert!(p.offset <= text.len(), "{p:?}");
            }
            let ids: std::collections::BTreeSet<&str> =
                r.headings.iter().map(|h| h.id.as_str()).collect();
            prop_assert_eq!(ids.len(), r.headings.len());
            if !raw {
                let active = active_content(&r.html);
                prop_assert!(active.is_empty(), "{active:?} in {}", r.html);
            }
        }

        /// Every `@/` link to a content file, from a page anywhere in the site, becomes an
        /// `href` that lands on the target page (and keeps its fragment), whatever the site's
        /// subpath and the file names' characters.
        #[test]
        fn internal_links_land_on_their_target(
            stems in proptest::collection::vec("[\\p{L}\\p{N}_.-]{1,8}", 1..5),
            page_dirs in proptest::collection::vec("[a-z0-9-]{1,6}", 0..3),
            fragment in "(#[a-z0-9-]{1,5})?",
            pretty: bool,
            mount in "(|x/|x/y/)",
        ) {
            let stems: Vec<String> = stems.into_iter().filter(|s| !slugify(s).is_empty()).collect();
            prop_assume!(!stems.is_empty());
            let index: std::collections::BTreeMap<String, String> = stems
                .iter()
                .map(|s| (format!("articles/{s}.md"), format!("articles/{}/", slugify(s))))
                .collect();
            let resolve = |p: &str| index.get(p).cloned();
            let page: String = page_dirs.iter().map(|d| format!("{d}/")).collect();
            let source: String =
                stems.iter().map(|s| format!("[{s}](@/articles/{s}.md{fragment})\n\n")).collect();
            let options = MarkdownOptions {
                smart_punctuation: true,
                allow_raw_html: false,
                pretty_links: pretty,
            };
            let r = render(&source, &page, &resolve, options);
            prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
            let base = url::Url::parse(&format!("http://host/{mount}")).unwrap();
            let page_url =
                base.join(&format!("./{}", super::super::urls::encode(&page, false))).unwrap();
            let doc = scraper::Html::parse_fragment(&r.html);
            let links = scraper::Selector::parse("a[href]").unwrap();
            let hrefs: Vec<&str> =
                doc.select(&links).filter_map(|a| a.value().attr("href")).collect();
            prop_assert_eq!(hrefs.len(), stems.len(), "{}", r.html);
            for (href, stem) in hrefs.iter().zip(&stems) {
                let target = format!("articles/{}/{fragment}", slugify(stem));
                let encoded = super::super::urls::encode(&target, pretty);
                let expected = base.join(&format!("./{encoded}")).unwrap();
                prop_assert_eq!(page_url.join(href).ok(), Some(expected), "{} on {}", href, page);
            }
        }
    }
}
