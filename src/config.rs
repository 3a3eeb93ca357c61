//! `dossier.yaml`: the dossier's typed configuration, parsed and validated once.
//!
//! [`Config::parse`] is pure (text in, config or located errors out); [`Config::load`] is the thin
//! I/O wrapper. Unknown keys are errors (`deny_unknown_fields`), and every value is checked while
//! it is read, so a mistake is reported as `dossier.yaml:LINE:COL: …` with the fix.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::values::{HttpUrl, LanguageTag};
use crate::yaml::{self, Shorthand, shorthand_list, shorthand_option};

/// The configuration file's name, at the dossier root.
pub const CONFIG_FILE: &str = "dossier.yaml";

/// The whole `dossier.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The dossier's title, shown in every page header and in the browser tab.
    pub title: String,
    /// One or two sentences saying what the dossier covers.
    #[serde(default)]
    pub description: String,
    /// The language of the dossier's own text (a BCP 47 tag); articles may set their own.
    #[serde(default = "default_language")]
    pub language: LanguageTag,
    /// Where the dossier is published, e.g. `https://dossier.example/idlib/`, when it has an
    /// address. Pages link to each other relatively; only what needs absolute URLs uses it (the
    /// canonical link and `og:url` of each page, the JSON-LD `url`, feed ids, the sitemap and
    /// `robots.txt`). Without it none of those claim an address: feeds link relatively and no
    /// sitemap or `robots.txt` is written.
    #[serde(default)]
    pub base_url: Option<BaseUrl>,
    /// Who curates the dossier (the editor line in the footer).
    #[serde(default)]
    pub curator: Option<String>,
    /// The licence of the dossier's own text (the footer's licence line): a name, or
    /// `{name, url, note}`.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub licence: Option<Licence>,
    /// Which taxonomies get pages: `topics` and/or `places`. (Actors are not a taxonomy: they
    /// are described in `content/actors/*.yaml` and always get pages.)
    #[serde(default = "default_taxonomies", deserialize_with = "shorthand_list")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Link to pages as `dir/` instead of `dir/index.html` (for hosts that serve directory
    /// indexes; links then no longer work from `file://`).
    #[serde(default)]
    pub pretty_links: bool,
    /// Keep raw HTML in Markdown as written. Off by default: raw HTML is sanitized.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Turn straight quotes and `--` into typographic ones in our own text. Never applied to
    /// `full-text` articles, whose wording must stay exactly as published.
    #[serde(default = "default_true")]
    pub smart_punctuation: bool,
    /// Which Atom feeds to write, and how long they are.
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// Copy stylesheets and scripts as `name.<hash>.css` and link to them by that name, so a
    /// cache can keep them forever. On by default.
    #[serde(default = "default_true")]
    pub fingerprint_assets: bool,
    /// Also write `_headers` (the cache-hint file of Netlify and Cloudflare Pages): fingerprinted
    /// assets cached for a year, everything else revalidated. Off by default.
    #[serde(default)]
    pub cache_headers: bool,
    /// Build the full-text search index (Pagefind) and the search page. On by default; off, the
    /// build skips its slowest step and pages have no search box.
    #[serde(default = "default_true")]
    pub search: bool,
    /// How many articles a listing page holds (the articles list, each outlet, actor and term
    /// page, the coverage table); longer lists continue on `<list>/page/2/` and so on. A positive
    /// whole number; 100 by default.
    #[serde(default)]
    pub paginate_by: PaginateBy,
}

/// `licence:` in `dossier.yaml`: the licence of the dossier's own text (its summaries, notes,
/// timeline and claims; reproduced articles stay their publishers'). `licence: CC BY 4.0`, or
/// with a link to the licence: `{name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// The licence's name, e.g. `CC BY 4.0`; with no `url`, the whole footer line as written.
    pub name: String,
    /// The licence's text, linked from the footer with `rel="license"`.
    #[serde(default)]
    pub url: Option<HttpUrl>,
    /// What the licence does not cover, or how to credit (plain text, after the name).
    #[serde(default)]
    pub note: Option<String>,
}

impl Shorthand for Licence {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(Licence { name: s.to_string(), url: None, note: None })
    }
    const EXPECTING: &'static str = "a licence name, or a mapping with `name`, `url` and `note`";
}

/// `paginate_by` in `dossier.yaml`: a positive whole number of articles per listing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PaginateBy(NonZeroUsize);

impl PaginateBy {
    /// The value when the key is absent.
    pub const DEFAULT: PaginateBy = PaginateBy(NonZeroUsize::new(100).unwrap());

    /// A page size of `n` (at least 1).
    pub fn new(n: NonZeroUsize) -> Self {
        PaginateBy(n)
    }

    /// The number of items per page.
    pub fn get(self) -> usize {
        self.0.get()
    }
}

impl Default for PaginateBy {
    fn default() -> Self {
        PaginateBy::DEFAULT
    }
}

/// What `paginate_by` must be, for messages.
const PAGINATE_BY_EXPECTING: &str = "a positive whole number";
/// How to fix a bad `paginate_by`.
const PAGINATE_BY_HELP: &str = "set `paginate_by` to how many articles a listing page holds, \
     e.g. `paginate_by: 100` (the default when the key is absent)";

impl<'de> Deserialize<'de> for PaginateBy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PaginateBy;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(PAGINATE_BY_EXPECTING)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PaginateBy, E> {
                let n = usize::try_from(v).ok().and_then(NonZeroUsize::new).ok_or_else(|| {
                    E::custom(format!(
                        "{v} is not allowed: a listing page must hold at least one article"
                    ))
                })?;
                Ok(PaginateBy(n))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PaginateBy, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!(
                        "{v} is not allowed: the number of articles per page must be positive"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `feeds:` in `dossier.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// The most entries a feed holds, newest first (0: no limit).
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    /// Also write one feed per outlet, `outlets/<id>/atom.xml`.
    #[serde(default)]
    pub outlets: bool,
    /// Also write one feed per term of these taxonomies, e.g. `topics/<slug>/atom.xml`.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub taxonomies: Vec<TaxonomyKind>,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { limit: default_feed_limit(), outlets: false, taxonomies: Vec::new() }
    }
}

fn default_feed_limit() -> usize {
    50
}

impl Shorthand for TaxonomyKind {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        TaxonomyConfig::from_shorthand(s).map(|t| t.name)
    }
    const EXPECTING: &'static str = "a taxonomy name: `topics` or `places`";
}

fn default_language() -> LanguageTag {
    LanguageTag::from_str("en").unwrap_or_else(|_| unreachable!("`en` is a valid tag"))
}

fn default_true() -> bool {
    true
}

fn default_taxonomies() -> Vec<TaxonomyConfig> {
    TaxonomyKind::ALL.iter().map(|&name| TaxonomyConfig { name, title: String::new() }).collect()
}

/// The taxonomies an article can be filed under (its `topics` and `places` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyKind {
    /// What the article is about.
    Topics,
    /// Where it happens.
    Places,
}

impl TaxonomyKind {
    /// Every taxonomy, in display order.
    pub const ALL: [TaxonomyKind; 2] = [TaxonomyKind::Topics, TaxonomyKind::Places];

    /// The front-matter key and URL segment: `topics`.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Topics => "topics",
            TaxonomyKind::Places => "places",
        }
    }

    fn default_title(self) -> &'static str {
        match self {
            TaxonomyKind::Topics => "Topics",
            TaxonomyKind::Places => "Places",
        }
    }
}

/// One taxonomy to build: `- topics` or `- {name: topics, title: Themes}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Which taxonomy.
    pub name: TaxonomyKind,
    /// Its heading on pages; defaults to the capitalised name.
    #[serde(default)]
    pub title: String,
}

impl Shorthand for TaxonomyConfig {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        let name = TaxonomyKind::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| {
            if s == "actors" {
                "`actors` is not a taxonomy: actors are described in content/actors/*.yaml \
                 and always get pages; remove it from `taxonomies`"
                    .to_string()
            } else {
                format!("unknown taxonomy `{s}`; the taxonomies are `topics` and `places`")
            }
        })?;
        Ok(TaxonomyConfig { name, title: String::new() })
    }
    const EXPECTING: &'static str = "a taxonomy name or a mapping with `name` and `title`";
}

/// The published address: an absolute http(s) URL, always ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// The URL, with its trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path part, with leading and trailing slashes: `/idlib-dossier/`, or `/`.
    pub fn path(&self) -> &str {
        url_path(&self.0)
    }

    /// The absolute URL of a site path (already percent-encoded as [`crate::render::urls`]
    /// encodes links).
    pub fn join(&self, encoded_path: &str) -> String {
        format!("{}{}", self.0, encoded_path.trim_start_matches('/'))
    }
}

/// The path part of an absolute URL (`https://h/x/` → `/x/`, `https://h` → `/`); a string
/// without a scheme is taken to be a path already.
pub fn url_path(url: &str) -> &str {
    match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
        None => url,
    }
}

impl FromStr for BaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        // `HttpUrl` refuses spaces and control characters: the base URL is written as it is
        // into pages, feeds and WARC headers.
        let url = HttpUrl::from_str(s)?;
        let parsed = url::Url::parse(url.as_str()).map_err(|e| e.to_string())?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!("base URL `{s}` must not have a query or a fragment"));
        }
        let mut text = url.as_str().to_string();
        if !text.ends_with('/') {
            text.push('/');
        }
        Ok(BaseUrl(text))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::values::string_value!(BaseUrl, "an absolute http(s) URL");

impl Config {
    /// What links to the site's own address are resolved against (`dossier check`, the 404
    /// page's root-relative links): `base_url`, or `/` when none is set, in which case the site
    /// is taken to be served from a host's root.
    pub fn site_root(&self) -> &str {
        self.base_url.as_ref().map_or("/", BaseUrl::as_str)
    }

    /// Parses and validates the text of `dossier.yaml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let source = yaml::Source { file: CONFIG_FILE, text, first_line: 1 };
        let mut config: Config = yaml::parse(text, source).map_err(|d| {
            // The message of a bad value starts with its key's path; the fix is ours to give.
            let d =
                if d.message.starts_with("paginate_by: ") { d.help(PAGINATE_BY_HELP) } else { d };
            Diagnostics(vec![d])
        })?;
        let mut errors = Vec::new();
        if config.title.trim().is_empty() {
            errors.push(at_key(text, "title", "`title` is empty").help("give the dossier a title"));
        }
        let mut seen = Vec::new();
        for tax in &mut config.taxonomies {
            if seen.contains(&tax.name) {
                errors.push(
                    at_key(
                        text,
                        "taxonomies",
                        format!("taxonomy `{}` is listed twice", tax.name.key()),
                    )
                    .help("list each taxonomy once"),
                );
            }
            seen.push(tax.name);
            if tax.title.trim().is_empty() {
                tax.title = tax.name.default_title().to_string();
            }
        }
        for kind in &config.feeds.taxonomies {
            if !config.taxonomies.iter().any(|t| t.name == *kind) {
                errors.push(
                    at_key(
                        text,
                        "feeds",
                        format!("`feeds.taxonomies` names `{}`, which is not built", kind.key()),
                    )
                    .help(format!(
                        "add `{}` to `taxonomies`, or remove it from `feeds`",
                        kind.key()
                    )),
                );
            }
        }
        if errors.is_empty() { Ok(config) } else { Err(Diagnostics(errors)) }
    }

    /// Reads and parses `<root>/dossier.yaml`.
    pub fn load(root: &Path) -> crate::Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            anyhow::bail!(
                "no {CONFIG_FILE} in `{}`: run dossier in a dossier's directory, or pass \
                    --root DIR",
                root.display()
            );
        }
        let text = crate::fs::read_text(&path, CONFIG_FILE).map_err(|d| Diagnostics(vec![d]))?;
        Ok(Config::parse(&text)?)
    }
}

/// An error positioned at the start of a top-level `key:` line (for checks made after parsing).
fn at_key(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let d = Diagnostic::error(CONFIG_FILE, message);
    let prefix = format!("{key}:");
    match text.lines().position(|l| l.starts_with(&prefix)) {
        Some(i) => d.at(text, i + 1, 1),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: Idlib\nbase_url: https://example.org/x\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.base_url.as_ref().map(BaseUrl::as_str), Some("https://example.org/x/"));
        assert_eq!(c.site_root(), "https://example.org/x/");
        assert_eq!(c.language.as_str(), "en");
        assert_eq!(c.taxonomies.len(), 2);
        assert_eq!(c.taxonomies[1].title, "Places");
        assert!(c.smart_punctuation && !c.pretty_links && !c.allow_raw_html);
        assert!(c.fingerprint_assets && !c.cache_headers);
        assert_eq!(c.feeds.limit, 50);
        assert!(!c.feeds.outlets && c.feeds.taxonomies.is_empty());
        assert_eq!(c.base_url.as_ref().map(BaseUrl::path), Some("/x/"));
        assert!(c.licence.is_none());
    }

    #[test]
    fn base_url_is_optional() {
        let c = Config::parse("title: Idlib\n").unwrap();
        assert!(c.base_url.is_none());
        assert_eq!(c.site_root(), "/");
    }

    #[test]
    fn licence_as_a_name_or_with_its_link() {
        let c = Config::parse(&format!("{MINIMAL}licence: All rights reserved\n")).unwrap();
        let l = c.licence.unwrap();
        assert_eq!((l.name.as_str(), l.url.is_none()), ("All rights reserved", true));
        let c = Config::parse(&format!(
            "{MINIMAL}licence:\n  name: CC BY 4.0\n  url: \
                https://creativecommons.org/licenses/by/4.0/\n  note: Articles stay their \
                publishers'.\n"
        ))
        .unwrap();
        let l = c.licence.unwrap();
        assert_eq!(l.url.unwrap().as_str(), "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(l.note.as_deref(), Some("Articles stay their publishers'."));
        let err =
            Config::parse(&format!("{MINIMAL}licence:\n  name: x\n  url: creativecommons.org\n"))
                .unwrap_err();
        assert_eq!(err.0[0].location(), "dossier.yaml:5:8");
    }

    #[test]
    fn base_url_path_and_join() {
        let u: BaseUrl = "https://example.org".parse().unwrap();
        assert_eq!((u.as_str(), u.path()), ("https://example.org/", "/"));
        let u: BaseUrl = "http://h:8080/a/b".parse().unwrap();
        assert_eq!(u.path(), "/a/b/");
        assert_eq!(u.join("articles/x/"), "http://h:8080/a/b/articles/x/");
        assert_eq!(u.join(""), "http://h:8080/a/b/");
    }

    #[test]
    fn base_urls_with_spaces_or_control_characters_are_refused() {
        // Found by fuzz/warc_writer: `https://example.org/\u{4}/` was accepted and written
        // as it is into WARC-Target-URI headers (and pages and feeds).
        for bad in
            ["https://example.org/a b/", "https://example.org/\u{4}/", "https://e.org/\u{85}x/"]
        {
            let err = bad.parse::<BaseUrl>().unwrap_err();
            assert!(err.contains("percent-encode it"), "{bad:?}: {err}");
        }
        let err =
            Config::parse("title: x\nbase_url: \"https://example.org/a\\tb/\"\n").unwrap_err();
        assert!(err.to_string().contains("has the character '\\t'"), "{err}");
        assert!("https://example.org/a%20b/".parse::<BaseUrl>().is_ok());
    }

    #[test]
    fn feeds_are_configured_and_checked() {
        let c = Config::parse(&format!(
            "{MINIMAL}feeds:\n  limit: 5\n  outlets: true\n  taxonomies: [topics]\n"
        ))
        .unwrap();
        assert_eq!((c.feeds.limit, c.feeds.outlets), (5, true));
        assert_eq!(c.feeds.taxonomies, vec![TaxonomyKind::Topics]);
        let err = Config::parse(&format!(
            "{MINIMAL}taxonomies: [places]\nfeeds:\n  taxonomies: [topics]\n"
        ))
        .unwrap_err();
        assert_eq!(
            err.0[0].to_string().lines().next(),
            Some("dossier.yaml:4:1: `feeds.taxonomies` names `topics`, which is not built")
        );
    }

    #[test]
    fn unknown_key_names_line_column_and_fix() {
        let err =
            Config::parse("title: Idlib\nbase_url: https://e.org/\nlangauge: en\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.location(), "dossier.yaml:3:1");
        assert!(
            d.message.starts_with("unknown field `langauge`, expected one of"),
            "{}",
            d.message
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn bad_values_are_located() {
        let err = Config::parse("title: x\nbase_url: example.org\n").unwrap_err();
        assert_eq!(err.0[0].location(), "dossier.yaml:2:11");
        assert!(err.0[0].message.contains("not an absolute URL"), "{}", err.0[0].message);

        let err = Config::parse(&format!("{MINIMAL}taxonomies: [topics, tags]\n")).unwrap_err();
        assert!(err.0[0].message.contains("unknown taxonomy `tags`"), "{}", err.0[0].message);
        assert_eq!(err.0[0].position.map(|p| p.0), Some(3));

        let err = Config::parse(&format!("{MINIMAL}taxonomies: [actors]\n")).unwrap_err();
        assert!(err.0[0].message.contains("content/actors/*.yaml"), "{}", err.0[0].message);

        let err = Config::parse(&format!("{MINIMAL}taxonomies: [topics, topics]\n")).unwrap_err();
        assert_eq!(
            err.0[0].to_string().lines().next(),
            Some("dossier.yaml:3:1: taxonomy `topics` is listed twice")
        );
    }

    #[test]
    fn paginate_by_defaults_to_100_and_takes_a_positive_number() {
        assert_eq!(Config::parse(MINIMAL).unwrap().paginate_by.get(), 100);
        let c = Config::parse(&format!("{MINIMAL}paginate_by: 7\n")).unwrap();
        assert_eq!(c.paginate_by.get(), 7);
    }

    #[test]
    fn paginate_by_must_be_a_positive_whole_number() {
        for (value, message) in [
            ("0", "paginate_by: 0 is not allowed: a listing page must hold at least one article"),
            (
                "-3",
                "paginate_by: -3 is not allowed: the number of articles per page must be positive",
            ),
            (
                "2.5",
                "paginate_by: invalid type: floating point `2.5`, expected a positive whole number",
            ),
            ("ten", "paginate_by: invalid type: string \"ten\", expected a positive whole number"),
            ("'10'", "paginate_by: invalid type: string \"10\", expected a positive whole number"),
        ] {
            let err = Config::parse(&format!("{MINIMAL}paginate_by: {value}\n")).unwrap_err();
            let d = &err.0[0];
            assert_eq!((d.location().as_str(), d.message.as_str()), ("dossier.yaml:3:14", message));
            assert_eq!(d.help.as_deref(), Some(PAGINATE_BY_HELP));
        }
    }

    #[test]
    fn taxonomy_titles_can_be_set() {
        let c =
            Config::parse(&format!("{MINIMAL}taxonomies:\n  - {{name: places, title: Where}}\n"))
                .unwrap();
        assert_eq!(c.taxonomies.len(), 1);
        assert_eq!(c.taxonomies[0].title, "Where");
        assert_eq!(c.taxonomies[0].name, TaxonomyKind::Places);
    }
}
