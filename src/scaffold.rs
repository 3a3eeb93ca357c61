//! The text of new files: `dossier new article`, `dossier new outlet` and `dossier init`.
//!
//! Everything here is pure: names and values in, file names and file texts out. The commands in
//! `src/cmd/` do the checks that need the disk (does the outlet exist, is the directory empty)
//! and the writing. A skeleton holds only what the user gave; every other key is a commented
//! hint, never a guessed value, and each skeleton parses and validates as it is (unit tests
//! below), so a dossier builds the moment the file is written.
//!
//! Articles are named `<date>-<outlet>-<slug>.md`, the repository's own convention. An article
//! with no recorded date says `published: unknown` and its name starts with [`UNDATED`] instead
//! of a date.
//!
//! Over 600 lines only because of its tests: the code is under 400 lines; the rest is unit
//! tests, among them those that parse and validate each skeleton.

use crate::content::article::Kind;
use crate::diagnostics::did_you_mean;
use crate::values::{DomainName, HttpUrl, Published, slugify};

/// What a file name starts with when the article's date was not recorded.
pub const UNDATED: &str = "undated";

/// The longest slug taken from a title, in characters (cut at a word boundary).
pub const MAX_TITLE_SLUG: usize = 60;

/// Where articles live, relative to the dossier root.
pub const ARTICLES_DIR: &str = "content/articles";

/// Where outlets live, relative to the dossier root.
pub const OUTLETS_DIR: &str = "content/outlets";

/// What the user gave `dossier new article`.
#[derive(Debug, Clone)]
pub struct ArticleSpec {
    /// The outlet id (already known to exist).
    pub outlet: String,
    /// The headline as published.
    pub title: String,
    /// The original address, if known.
    pub url: Option<HttpUrl>,
    /// When the outlet published it, or [`Published::Unknown`].
    pub published: Published,
    /// How the dossier holds it.
    pub kind: Kind,
    /// For a `full-text` article: where the text was taken from.
    pub source_note: Option<String>,
    /// The slug part of the file name; derived from the title when `None`.
    pub slug: Option<String>,
}

/// Checks that `id` can name a file the build will find under the same id: lowercase letters,
/// digits and single hyphens (what [`slugify`] leaves unchanged).
pub fn check_id(id: &str, what: &str) -> Result<(), String> {
    let slug = slugify(id);
    if !id.is_empty() && slug == id {
        return Ok(());
    }
    let example = if slug.is_empty() { "press-tv".to_string() } else { slug };
    Err(format!(
        "`{id}` is not a valid {what}: use lowercase letters, digits and hyphens, e.g. `{example}`"
    ))
}

/// Checks that `outlet` is one of the `known` outlet ids; the error says which is closest.
pub fn check_outlet(outlet: &str, known: &[String]) -> Result<(), String> {
    if known.iter().any(|k| k == outlet) {
        return Ok(());
    }
    let list = if known.is_empty() {
        "there are no outlets yet".to_string()
    } else {
        let ids: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        format!("the known outlets are {}", ids.join(", "))
    };
    let help = match did_you_mean(outlet, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? ({list})"),
        None => format!("add it with `dossier new outlet {outlet}` ({list})"),
    };
    Err(format!("unknown outlet `{outlet}` (--outlet)\n  help: {help}"))
}

/// Checks the combination of kind, address and source note before anything is written, so the
/// skeleton validates (see [`crate::content::article::validate`]).
pub fn check_article(spec: &ArticleSpec) -> Result<(), String> {
    if spec.title.trim().is_empty() {
        return Err("the title is empty: give the headline as published with --title".into());
    }
    if spec.title.contains(['\n', '\r']) {
        return Err("the title has a line break: give the headline on one line".into());
    }
    match spec.kind {
        Kind::Report if spec.url.is_none() => {
            Err("a `report` needs the original's address: pass --url URL, or --kind full-text \
             --source-note TEXT for a text held without an address"
                .into())
        }
        Kind::FullText if spec.source_note.as_deref().is_none_or(|n| n.trim().is_empty()) => Err(
            "a `full-text` article needs --source-note TEXT: say where the text was taken from \
             (the page, an archived copy, a file)"
                .into(),
        ),
        _ => Ok(()),
    }
    .and_then(|()| match &spec.slug {
        Some(slug) => check_id(slug, "slug (--slug)"),
        None if slugify(&spec.title).is_empty() => Err(format!(
            "the title `{}` has no letters or digits to name the file with: pass --slug",
            spec.title
        )),
        None => Ok(()),
    })
}

/// The slug of a title, cut at a hyphen to at most [`MAX_TITLE_SLUG`] characters.
pub fn title_slug(title: &str) -> String {
    let slug = slugify(title);
    if slug.len() <= MAX_TITLE_SLUG {
        return slug;
    }
    let cut = &slug[..=MAX_TITLE_SLUG];
    match cut.rfind('-') {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => slug[..MAX_TITLE_SLUG].trim_end_matches('-').to_string(),
    }
}

/// The article's file name: `2019-06-13-presstv-turkey-says-no-truce.md`, or
/// `undated-presstv-….md` when the date is unknown. The date is the calendar date as written
/// (in the offset given, for a date-time).
pub fn article_file_name(spec: &ArticleSpec) -> String {
    let date = match spec.published {
        Published::Known(d) => d.date().to_string(),
        Published::Unknown => UNDATED.to_string(),
    };
    let slug = spec.slug.clone().unwrap_or_else(|| title_slug(&spec.title));
    format!("{date}-{}-{slug}.md", spec.outlet)
}

/// `value` as one YAML scalar: plain when that reads back as the same string, quoted otherwise.
pub fn yaml_scalar(value: &str) -> String {
    match serde_yaml::to_string(value) {
        Ok(text) if !text.trim_end().contains('\n') => text.trim_end().to_string(),
        // A multi-line or unusual string: JSON's double-quoted strings are valid YAML.
        _ => serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}")),
    }
}

const ARTICLE_HINTS: &str = "\
# Optional. Fill in what is known and leave out the rest: nothing is ever guessed.
# summary: One or two sentences in our own words, for listings.
# byline: The author line as published.
# section: The outlet's section, e.g. News / Syria.
# agency: the id of the wire agency (or outlet) whose story it carries
# republishes: the slug of the dossier's article this copies
# date_status: verified | partly-verified | unverified
# date_note: Why the date is approximate, or how it was established.
# language: the article's language, when it differs from the dossier's (e.g. fr)
# topics: [Ceasefire claims]
# places: [Idlib]
# actors: [an-actor-id]
# leads_with: [an-actor-id]
# retrieved: YYYY-MM-DD (when our copy was taken)
# archived:
#   - https://web.archive.org/web/…
# notes: Editor's notes (Markdown): sourcing, omissions, framing.
# draft: true
";

/// The front matter and an empty body (a comment saying what goes there) of a new article.
pub fn article_text(spec: &ArticleSpec) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_scalar(spec.title.trim())));
    out.push_str(&format!("outlet: {}\n", spec.outlet));
    out.push_str(&format!("published: {}\n", spec.published));
    match spec.kind {
        Kind::Report => out.push_str("kind: report\n"),
        Kind::FullText => out.push_str("kind: full-text\n"),
    }
    match &spec.url {
        Some(url) => out.push_str(&format!("url: {}\n", yaml_scalar(url.as_str()))),
        None => out.push_str("# url: https://… (the original address, when it is known)\n"),
    }
    if let Some(note) = spec.source_note.as_deref().filter(|n| !n.trim().is_empty()) {
        out.push_str(&format!("source_note: {}\n", yaml_scalar(note.trim())));
    }
    out.push_str(ARTICLE_HINTS);
    out.push_str("---\n\n");
    out.push_str(match spec.kind {
        Kind::Report => "<!-- Our summary of the report, in our own words (Markdown). -->\n",
        Kind::FullText => {
            "<!-- The article exactly as the outlet published it (Markdown), from the source \
                above. -->\n"
        }
    });
    out
}

/// What the user gave `dossier new outlet`.
#[derive(Debug, Clone)]
pub struct OutletSpec {
    /// The id (the file name), already checked with [`check_id`].
    pub id: String,
    /// The outlet's name; the id when not given.
    pub name: Option<String>,
    /// The domains it publishes under, the primary one first.
    pub domains: Vec<DomainName>,
}

/// The file name of an outlet: `<id>.yaml`.
pub fn outlet_file_name(id: &str) -> String {
    format!("{id}.yaml")
}

const OUTLET_HINTS: &str = "\
# Optional. Give each fact with its evidence, and leave out what is not known.
# homepage: https://…
# more domains, each with its role and, when it changed, its period:
#   - {host: …, role: mirror}   # primary | mirror | edition | former; from/until: YYYY-MM-DD
# country: …                  # a text, or {value, status, note, sources}
# owner: …
# affiliation: …              # e.g. state broadcaster
# facts:
#   - text: A fact about the outlet, in our words (Markdown).
#     sources: [https://…]
#     status: partly-verified # optional: computed from the sources; only ever stricter
# notes: Editor's notes (Markdown).
# sources: [https://…]
";

/// The text of a new outlet file.
pub fn outlet_text(spec: &OutletSpec) -> String {
    let mut out = format!("# Articles name this outlet with `outlet: {}`.\n", spec.id);
    let name = spec.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&spec.id);
    out.push_str(&format!("name: {}\n", yaml_scalar(name)));
    if spec.domains.is_empty() {
        out.push_str(
            "# domains: [example.org]     # the domains it publishes under: the first \
            primary, the others mirrors\n",
        );
    } else {
        out.push_str(
            "domains:                      # the first primary, the others mirrors (or \
            give a `role`)\n",
        );
        for d in &spec.domains {
            out.push_str(&format!("  - {d}\n"));
        }
    }
    out.push_str(OUTLET_HINTS);
    out
}

/// The title `dossier init` gives a dossier from its directory's name: `idlib-truce` →
/// `Idlib truce`.
pub fn title_from_dir_name(name: &str) -> String {
    let words: Vec<&str> = name.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Dossier".to_string(),
    }
}

/// The id of the example outlet `dossier init` writes. Its domain is `example.com`, not a
/// `base_url` a curator might try out such as `example.org`: links to the dossier's own address
/// are checked as internal links, so an example article there would be a broken link.
pub const EXAMPLE_OUTLET: &str = "example-wire";

fn config_text(title: &str) -> String {
    format!(
        "\
# The dossier's configuration. Every key is described in dossier's docs/dossier-yaml.md;
# the commented ones show their defaults.

# Shown in every page header and in the browser tab.
title: {title}
# One or two sentences saying what the dossier covers.
# description: …
# The language of the dossier's own text (a BCP 47 tag: en, fr, pt-BR …).
language: en
# Where the dossier will be published, once it has an address. Until then leave it out: pages
# then claim no address (no canonical links, feeds with relative links, no sitemap), and
# `dossier build --base-url URL` publishes under URL. Pages link to each other relatively.
# base_url: https://dossier.example/
# The editor line and the licence line in every page's footer.
# curator: Compiled by …
# licence: …
# Which taxonomies get pages: topics and/or places.
taxonomies: [topics, places]
# Atom feeds: atom.xml for the whole dossier, and optionally one per outlet and per topic.
# feeds:
#   limit: 50
#   outlets: false
#   taxonomies: [topics]
# Link to `dir/` instead of `dir/index.html` (links then no longer work from file://).
# pretty_links: false
# Keep raw HTML in Markdown as written (off: it is sanitized).
# allow_raw_html: false
# Typographic quotes and dashes in our own text (never in full-text articles).
# smart_punctuation: true
# Name stylesheets and scripts after a hash of their contents (style.<hash>.css).
# fingerprint_assets: true
# Also write _headers (cache hints for Netlify and Cloudflare Pages).
# cache_headers: false
",
        title = yaml_scalar(title)
    )
}

fn index_text(title: &str) -> String {
    format!(
        "\
---
title: {title}
# lede: One paragraph summarising the story, shown under the heading (Markdown).
---

This is a new dossier, created by `dossier init`. Replace this text with an overview of the
story: what happened, who said what, and what is still unsettled.

Articles go in `content/articles/` (add one with `dossier new article`), outlets in
`content/outlets/` (`dossier new outlet`). The example outlet and article are there to show the
format: delete them when you add your own.
",
        title = yaml_scalar(title)
    )
}

/// The example article `dossier init` writes: undated, so it also shows how an unknown date is
/// recorded and named.
pub fn example_article() -> ArticleSpec {
    ArticleSpec {
        outlet: EXAMPLE_OUTLET.into(),
        title: "An example report: replace or delete this file".into(),
        url: "https://example.com/news/example-report".parse().ok(),
        published: Published::Unknown,
        kind: Kind::Report,
        source_note: None,
        slug: Some("example-report".into()),
    }
}

fn example_article_text() -> String {
    let text = article_text(&example_article());
    let body = "\
This is an example created by `dossier init`, not a real report. In a `report`, the body is the
dossier's own summary of the original, in our words; the front matter above records the
outlet, the date (`unknown` here, since none is recorded) and the original's address.

Replace this file with a real article, or delete it.
";
    let (front, _) = text.split_at(text.rfind("---\n").map_or(text.len(), |i| i + 4));
    format!("{front}\n{body}")
}

fn example_outlet_text() -> String {
    let spec = OutletSpec {
        id: EXAMPLE_OUTLET.into(),
        name: Some("Example Wire".into()),
        domains: "example.com".parse().into_iter().collect(),
    };
    let mut text = outlet_text(&spec);
    let note =
        "An example outlet created by `dossier init`, not a real one: replace or delete this file.";
    text.push_str(&format!("notes: {}\n", yaml_scalar(note)));
    text
}

/// Every file of a new dossier titled `title`, by path relative to its root, sorted: the
/// configuration, the front page, an example outlet and article, and the built-in theme's
/// templates and static files (so they can be edited).
pub fn init_files(title: &str) -> Vec<(String, Vec<u8>)> {
    let example = example_article();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (crate::config::CONFIG_FILE.into(), config_text(title).into_bytes()),
        ("content/_index.md".into(), index_text(title).into_bytes()),
        (
            format!("{OUTLETS_DIR}/{}", outlet_file_name(EXAMPLE_OUTLET)),
            example_outlet_text().into_bytes(),
        ),
        (
            format!("{ARTICLES_DIR}/{}", article_file_name(&example)),
            example_article_text().into_bytes(),
        ),
    ];
    for (name, text) in crate::theme::BUILTIN_TEMPLATES {
        files.push((format!("{}/{name}", crate::theme::TEMPLATES_DIR), text.as_bytes().to_vec()));
    }
    for (name, bytes) in crate::theme::BUILTIN_STATIC {
        files.push((format!("{}/{name}", crate::theme::STATIC_DIR), bytes.to_vec()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::article::{self, Article};
    use crate::content::outlet::Outlet;

    fn spec() -> ArticleSpec {
        ArticleSpec {
            outlet: "presstv".into(),
            title: "Turkey says: no truce in Idlib".into(),
            url: "https://www.presstv.com/Detail/2019/06/13/x".parse().ok(),
            published: "2019-06-13".parse().unwrap(),
            kind: Kind::Report,
            source_note: None,
            slug: None,
        }
    }

    fn parses_and_validates(name: &str, text: &str) -> Article {
        let a = Article::parse(&format!("{ARTICLES_DIR}/{name}"), text.to_string())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(article::validate(&a).is_empty(), "{:?}", article::validate(&a));
        a
    }

    #[test]
    fn report_skeleton_holds_only_what_was_given() {
        let s = spec();
        assert_eq!(article_file_name(&s), "2019-06-13-presstv-turkey-says-no-truce-in-idlib.md");
        let text = article_text(&s);
        let a = parses_and_validates(&article_file_name(&s), &text);
        assert_eq!(a.meta.title.as_deref(), Some("Turkey says: no truce in Idlib"));
        assert_eq!(a.meta.url.as_ref().map(HttpUrl::as_str), s.url.as_ref().map(HttpUrl::as_str));
        assert!(a.meta.summary.is_none() && a.meta.byline.is_none() && a.meta.topics.is_empty());
        assert!(
            text.starts_with("---\ntitle: 'Turkey says: no truce in Idlib'\noutlet: presstv\n")
        );
    }

    #[test]
    fn undated_full_text_without_address() {
        let s = ArticleSpec {
            url: None,
            published: Published::Unknown,
            kind: Kind::FullText,
            source_note: Some("Transcribed from the archived copy.".into()),
            ..spec()
        };
        assert_eq!(check_article(&s), Ok(()));
        assert_eq!(article_file_name(&s), "undated-presstv-turkey-says-no-truce-in-idlib.md");
        let a = parses_and_validates("x.md", &article_text(&s));
        assert_eq!(a.meta.published, Published::Unknown);
        assert_eq!(a.meta.kind, Kind::FullText);
        assert!(article_text(&s).contains("# url: https://…"));
    }

    #[test]
    fn a_date_time_names_the_file_by_its_date_as_written() {
        let s = ArticleSpec { published: "2019-06-13T23:30:00-05:00".parse().unwrap(), ..spec() };
        assert!(article_file_name(&s).starts_with("2019-06-13-presstv-"));
        let a = parses_and_validates("x.md", &article_text(&s));
        assert_eq!(a.meta.published.to_string(), "2019-06-13T23:30:00-05:00");
    }

    #[test]
    fn titles_that_need_quoting_round_trip() {
        for title in ["yes", "2019", "#1 story", "\"Quoted\" — and 'single'", "a: b", "[x]", "~"]
        {
            let s = ArticleSpec { title: title.into(), slug: Some("x".into()), ..spec() };
            let a = parses_and_validates("x.md", &article_text(&s));
            assert_eq!(a.meta.title.as_deref(), Some(title), "{}", article_text(&s));
        }
    }

    #[test]
    fn inconsistent_specs_are_refused_before_writing() {
        let no_url = ArticleSpec { url: None, ..spec() };
        assert!(check_article(&no_url).unwrap_err().contains("pass --url URL"));
        let no_note = ArticleSpec { kind: Kind::FullText, ..spec() };
        assert!(check_article(&no_note).unwrap_err().contains("needs --source-note"));
        let empty = ArticleSpec { title: " ".into(), ..spec() };
        assert!(check_article(&empty).unwrap_err().contains("title is empty"));
        let symbols = ArticleSpec { title: "!!!".into(), ..spec() };
        assert!(check_article(&symbols).unwrap_err().contains("pass --slug"));
        let bad_slug = ArticleSpec { slug: Some("Bad Slug".into()), ..spec() };
        assert_eq!(
            check_article(&bad_slug).unwrap_err(),
            "`Bad Slug` is not a valid slug (--slug): use lowercase letters, digits and hyphens, \
                e.g. `bad-slug`"
        );
        assert_eq!(check_article(&spec()), Ok(()));
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let slug = title_slug(
            "Turkey says Syrian government forces deliberately attacked its observation post \
                in Idlib",
        );
        assert_eq!(slug, "turkey-says-syrian-government-forces-deliberately-attacked");
        assert!(slug.len() <= MAX_TITLE_SLUG);
        assert_eq!(title_slug(&"a".repeat(80)), "a".repeat(MAX_TITLE_SLUG));
    }

    #[test]
    fn outlet_ids_and_suggestions() {
        assert_eq!(check_id("press-tv", "outlet id"), Ok(()));
        assert!(check_id("Press TV", "outlet id").unwrap_err().contains("e.g. `press-tv`"));
        assert!(check_id("", "outlet id").is_err());
        let known = vec!["presstv".to_string(), "trt-world".to_string()];
        assert_eq!(check_outlet("presstv", &known), Ok(()));
        assert_eq!(
            check_outlet("prestv", &known).unwrap_err(),
            "unknown outlet `prestv` (--outlet)\n  help: did you mean `presstv`? (the known \
                outlets are `presstv`, `trt-world`)"
        );
        assert!(check_outlet("zzz", &[]).unwrap_err().contains("`dossier new outlet zzz`"));
    }

    #[test]
    fn outlet_skeletons_parse() {
        let bare = OutletSpec { id: "presstv".into(), name: None, domains: vec![] };
        let o = Outlet::parse("presstv".into(), "o.yaml", &outlet_text(&bare)).unwrap();
        assert_eq!(o.meta.name, "presstv");
        assert!(o.meta.domains.is_empty());
        let full = OutletSpec {
            id: "presstv".into(),
            name: Some("Press TV: Iran".into()),
            domains: vec!["presstv.ir".parse().unwrap(), "presstv.com".parse().unwrap()],
        };
        let o = Outlet::parse("presstv".into(), "o.yaml", &outlet_text(&full)).unwrap();
        assert_eq!(o.meta.name, "Press TV: Iran");
        assert_eq!(o.meta.domains[1].host.as_str(), "presstv.com");
    }

    #[test]
    fn init_files_parse_and_include_the_theme() {
        let files = init_files("Idlib: the truce");
        let text = |path: &str| {
            let (_, bytes) = files.iter().find(|(p, _)| p == path).expect(path);
            String::from_utf8(bytes.clone()).unwrap()
        };
        let config = Config::parse(&text("dossier.yaml")).unwrap();
        assert_eq!(config.title, "Idlib: the truce");
        assert!(config.base_url.is_none(), "a new dossier claims no address");
        let name = "content/articles/undated-example-wire-example-report.md";
        let article = parses_and_validates("undated-example-wire-example-report.md", &text(name));
        assert!(article.body().contains("not a real report"));
        Outlet::parse(EXAMPLE_OUTLET.into(), "o.yaml", &text("content/outlets/example-wire.yaml"))
            .unwrap();
        assert!(files.iter().any(|(p, _)| p == "templates/base.html"));
        assert!(files.iter().any(|(p, _)| p == "static/style.css"));
        assert_eq!(
            files.len(),
            4 + crate::theme::BUILTIN_TEMPLATES.len() + crate::theme::BUILTIN_STATIC.len()
        );
        assert!(files.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn titles_from_directory_names() {
        assert_eq!(title_from_dir_name("idlib-truce"), "Idlib truce");
        assert_eq!(title_from_dir_name("my_dossier"), "My dossier");
        assert_eq!(title_from_dir_name("ÉTÉ"), "ÉTÉ");
        assert_eq!(title_from_dir_name("--"), "Dossier");
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A slug is lowercase letters, digits and single inner hyphens, and slugifying it
        /// again leaves it as it is (so `check_id` accepts every slug the tool makes).
        #[test]
        fn slugs_are_clean_and_stable(text in "\\PC{0,40}") {
            let slug = slugify(&text);
            let clean = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
            prop_assert!(slug.bytes().all(clean), "{slug}");
            let hyphens = slug.starts_with('-') || slug.ends_with('-') || slug.contains("--");
            prop_assert!(!hyphens, "{slug}");
            prop_assert_eq!(slugify(&slug), slug.clone());
            if !slug.is_empty() {
                prop_assert!(check_id(&slug, "id").is_ok());
            }
            let short = title_slug(&text);
            prop_assert!(
                short.len() <= MAX_TITLE_SLUG && slug.starts_with(&short),
                "{short} of {slug}"
            );
            prop_assert_eq!(slugify(&short), short.clone());
            prop_assert_eq!(short.is_empty(), slug.is_empty());
        }

        /// For any title (and source note) the checks accept, the new article's file parses
        /// and validates, reads back the exact title, and its slug is the file's name: the page
        /// is published where `dossier new` said.
        #[test]
        fn any_accepted_title_makes_a_valid_article(
            title in "\\PC{1,50}",
            note in "\\PC{1,30}",
            full_text: bool,
            undated: bool,
        ) {
            let s = ArticleSpec {
                title: title.clone(),
                published: if undated { Published::Unknown } else { spec().published },
                kind: if full_text { Kind::FullText } else { Kind::Report },
                source_note: full_text.then(|| note.clone()),
                ..spec()
            };
            prop_assume!(check_article(&s).is_ok());
            let name = article_file_name(&s);
            let a = parses_and_validates(&name, &article_text(&s));
            prop_assert_eq!(a.meta.title.as_deref(), Some(title.trim()));
            if full_text {
                prop_assert_eq!(a.meta.source_note.as_deref(), Some(note.trim()));
            }
            prop_assert_eq!(format!("{}.md", a.slug), name);
        }
    }
}
