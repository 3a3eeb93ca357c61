//! The article file an imported page becomes: its name and its text. Pure.
//!
//! The front matter holds what the page and the capture say, and nothing guessed: `published`
//! is `unknown` when the page gives no date (and a `date_note` says so), the headline's source
//! is noted when it is not the page's own metadata, and `source_note` names the capture file,
//! its SHA-256 and the record, so anyone can check the text against the capture.

use crate::content::article::Kind;
use crate::scaffold::{self, ArticleSpec, yaml_scalar};
use crate::values::{DateOrTime, HttpUrl, LanguageTag, Published};

/// Everything an imported article's file says.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    /// The outlet id.
    pub outlet: String,
    /// The headline, when the page gives one.
    pub title: Option<String>,
    /// How the headline is known, when it is not from the page's metadata.
    pub title_note: Option<String>,
    /// The publication date, or unknown.
    pub published: Published,
    /// Where the date comes from, or why it is unknown.
    pub date_note: Option<String>,
    /// `full-text` (the body is the page's text) or `report` (left for the editor to write).
    pub kind: Kind,
    /// The page's address.
    pub url: HttpUrl,
    /// The author line.
    pub byline: Option<String>,
    /// The page's language, when it differs from the dossier's.
    pub language: Option<LanguageTag>,
    /// The outlet's section.
    pub section: Option<String>,
    /// When the page was captured.
    pub retrieved: Option<DateOrTime>,
    /// The capture, as `archived` names it: `captures/<name>`.
    pub capture: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The WARC record, when the capture is a WARC or WACZ.
    pub record: Option<String>,
    /// Where the text was taken from (Markdown).
    pub source_note: String,
    /// The article text (Markdown); empty when readability found none.
    pub body: String,
}

impl ImportedArticle {
    /// `<date>-<outlet>-<slug>.md` (or `undated-…`), the slug from the headline, else from the
    /// address's last segment.
    pub fn file_name(&self) -> String {
        let slug = match self.title.as_deref().map(scaffold::title_slug).filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => url_slug(self.url.as_str()),
        };
        scaffold::article_file_name(&ArticleSpec {
            outlet: self.outlet.clone(),
            title: self.title.clone().unwrap_or_default(),
            url: Some(self.url.clone()),
            published: self.published,
            kind: self.kind,
            source_note: None,
            slug: Some(slug),
        })
    }

    /// The file's text: front matter, then the body.
    pub fn text(&self) -> String {
        let mut out = String::from("---\n");
        let mut line =
            |key: &str, value: &str| out.push_str(&format!("{key}: {}\n", yaml_scalar(value)));
        if let Some(t) = &self.title {
            line("title", t);
        }
        if let Some(n) = &self.title_note {
            line("title_note", n);
        }
        line("outlet", &self.outlet);
        line("published", &self.published.to_string());
        if let Some(n) = &self.date_note {
            line("date_note", n);
        }
        line("kind", if self.kind == Kind::FullText { "full-text" } else { "report" });
        line("url", self.url.as_str());
        if let Some(b) = &self.byline {
            line("byline", b);
        }
        if let Some(s) = &self.section {
            line("section", s);
        }
        if let Some(l) = &self.language {
            line("language", l.as_str());
        }
        if let Some(r) = &self.retrieved {
            line("retrieved", &r.to_string());
        }
        out.push_str("archived:\n");
        out.push_str(&format!("  - capture: {}\n", yaml_scalar(&self.capture)));
        out.push_str(&format!("    sha256: {}\n", self.sha256));
        if let Some(r) = &self.record {
            out.push_str(&format!("    record: {}\n", yaml_scalar(r)));
        }
        out.push_str(&format!("source_note: {}\n", yaml_scalar(&self.source_note)));
        out.push_str("---\n\n");
        match self.kind {
            Kind::Report => out.push_str(
                "<!-- Our summary of the report, in our own words (Markdown). The full text is in \
                    the capture named in source_note. -->\n",
            ),
            Kind::FullText if self.body.trim().is_empty() => out.push_str(
                "<!-- No article text was found in the captured page: copy it from the capture \
                    named in source_note. -->\n",
            ),
            Kind::FullText => out.push_str(&self.body),
        }
        out
    }
}

/// A slug from an address's last non-empty path segment (`…/2019/06/13/talks-stall.html` →
/// `talks-stall`), else its host.
pub fn url_slug(url: &str) -> String {
    let parsed = url::Url::parse(url).ok();
    let segment = parsed
        .as_ref()
        .and_then(|u| u.path_segments())
        .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        .map(|s| s.rsplit_once('.').map_or(s, |(stem, _)| stem).to_string())
        .unwrap_or_default();
    let slug = scaffold::title_slug(&segment.replace(['_', '+'], "-"));
    if !slug.is_empty() {
        return slug;
    }
    let host = parsed.as_ref().and_then(|u| u.host_str()).unwrap_or("page");
    let slug = scaffold::title_slug(host);
    if slug.is_empty() { "page".into() } else { slug }
}

/// A page's date as the article's `published`, with a note on where it came from; `unknown`
/// with a note when the page gives none, or gives one dossier cannot read (never guessed).
pub fn published_from(raw: Option<(&str, &str)>) -> (Published, String) {
    let Some((raw, source)) = raw else {
        return (Published::Unknown, "The captured page gives no publication date.".into());
    };
    let raw = raw.trim();
    if let Ok(p) = raw.parse::<Published>()
        && p != Published::Unknown
    {
        return (p, format!("As given by {source}."));
    }
    // `2019-06-13T09:41:00` without an offset: the date is certain, the instant is not.
    if raw.len() > 10
        && raw.as_bytes()[10] == b'T'
        && let Ok(p) = raw[..10].parse::<Published>()
    {
        return (
            p,
            format!("{source} gives `{raw}`, without a time zone: its date is kept, not its time."),
        );
    }
    let shown: String = raw.chars().take(60).flat_map(char::escape_default).collect();
    (Published::Unknown, format!("{source} gives `{shown}`, which is not a date dossier reads."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ImportedArticle {
        ImportedArticle {
            outlet: "meridian".into(),
            title: Some("Ceasefire talks stall: shelling resumes".into()),
            title_note: None,
            published: "2019-06-13T09:41:00+01:00".parse().unwrap(),
            date_note: Some("As given by the page's schema.org JSON-LD.".into()),
            kind: Kind::FullText,
            url: "https://www.meridian-herald.example/world/2019/06/13/x".parse().unwrap(),
            byline: Some("Hana Okafor, Tomás Ribeiro".into()),
            language: Some("en-GB".parse().unwrap()),
            section: Some("World".into()),
            retrieved: Some("2019-06-14T08:00:00Z".parse().unwrap()),
            capture: "captures/sha256-ab.warc.gz".into(),
            sha256: "ab".repeat(32),
            record: Some("<urn:uuid:1>".into()),
            source_note: "Imported from a capture.".into(),
            body: "Talks stalled.\n".into(),
        }
    }

    #[test]
    fn the_file_parses_and_validates() {
        let a = sample();
        assert_eq!(a.file_name(), "2019-06-13-meridian-ceasefire-talks-stall-shelling-resumes.md");
        let parsed = crate::content::Article::parse("content/articles/x.md", a.text()).unwrap();
        assert!(crate::content::article::validate(&parsed).is_empty());
        assert_eq!(parsed.meta.archived[0].record.as_deref(), Some("<urn:uuid:1>"));
        assert_eq!(parsed.body(), "\nTalks stalled.\n");
        let report = ImportedArticle {
            kind: Kind::Report,
            title: None,
            published: Published::Unknown,
            ..sample()
        };
        assert_eq!(report.file_name(), "undated-meridian-x.md");
        let parsed =
            crate::content::Article::parse("content/articles/y.md", report.text()).unwrap();
        assert!(crate::content::article::validate(&parsed).is_empty());
        assert!(parsed.meta.title.is_none());
    }

    #[test]
    fn dates_are_read_never_guessed() {
        assert_eq!(published_from(None).0, Published::Unknown);
        let (p, note) = published_from(Some(("2019-06-12", "the page's JSON-LD")));
        assert_eq!(
            (p.to_string().as_str(), note.as_str()),
            ("2019-06-12", "As given by the page's JSON-LD.")
        );
        let (p, note) = published_from(Some(("2019-06-13T09:41:00", "X")));
        assert_eq!(p.to_string(), "2019-06-13");
        assert!(note.contains("without a time zone"), "{note}");
        let (p, note) = published_from(Some(("13 June 2019", "X")));
        assert_eq!(p, Published::Unknown);
        assert_eq!(note, "X gives `13 June 2019`, which is not a date dossier reads.");
    }

    #[test]
    fn slugs_from_addresses() {
        assert_eq!(url_slug("https://e.org/world/2019/talks_stall.html"), "talks-stall");
        assert_eq!(url_slug("https://e.org/"), "e-org");
        assert_eq!(url_slug("https://e.org/a/?id=3"), "a");
    }
}
