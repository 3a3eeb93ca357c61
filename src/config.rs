//! `dossier.yaml`: the dossier's typed configuration, parsed and validated once.
//!
//! [`Config::parse`] is pure (text in, config or located errors out); [`Config::load`] is the thin
//! I/O wrapper. Unknown keys are errors (`deny_unknown_fields`), and every value is checked while
//! it is read, so a mistake is reported as `dossier.yaml:LINE:COL: …` with the fix.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::values::{HttpUrl, LanguageTag};
use crate::yaml::{self, Shorthand, shorthand_list};

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
    /// Where the dossier is published, e.g. `https://example.org/idlib-dossier/`. Pages link to
    /// each other relatively; only formats that need absolute URLs (feeds, sitemaps) use this.
    pub base_url: BaseUrl,
    /// Who curates the dossier (the editor line in the footer).
    #[serde(default)]
    pub curator: Option<String>,
    /// The licence of the dossier's own text (the footer's licence line).
    #[serde(default)]
    pub licence: Option<String>,
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
}

impl FromStr for BaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
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
    /// Parses and validates the text of `dossier.yaml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let source = yaml::Source { file: CONFIG_FILE, text, first_line: 1 };
        let mut config: Config = yaml::parse(text, source).map_err(|d| Diagnostics(vec![d]))?;
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
        if errors.is_empty() { Ok(config) } else { Err(Diagnostics(errors)) }
    }

    /// Reads and parses `<root>/dossier.yaml`.
    pub fn load(root: &Path) -> crate::Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            anyhow::bail!(
                "no {CONFIG_FILE} in `{}`: run dossier in a dossier's directory, or pass --root DIR",
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
        assert_eq!(c.base_url.as_str(), "https://example.org/x/");
        assert_eq!(c.language.as_str(), "en");
        assert_eq!(c.taxonomies.len(), 2);
        assert_eq!(c.taxonomies[1].title, "Places");
        assert!(c.smart_punctuation && !c.pretty_links && !c.allow_raw_html);
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
    fn taxonomy_titles_can_be_set() {
        let c =
            Config::parse(&format!("{MINIMAL}taxonomies:\n  - {{name: places, title: Where}}\n"))
                .unwrap();
        assert_eq!(c.taxonomies.len(), 1);
        assert_eq!(c.taxonomies[0].title, "Where");
        assert_eq!(c.taxonomies[0].name, TaxonomyKind::Places);
    }
}
