//! One news item: `content/articles/<slug>.md`.
//!
//! The front matter records what is known about the item as published (outlet, date, address,
//! byline …) and how the dossier holds it (`kind`: the full text, or our own report of it).
//! Optional facts that are unknown are simply left out, and pages say "not recorded"; nothing is
//! ever filled in by guessing.

use serde::{Deserialize, Serialize};

use super::document::Document;
use crate::diagnostics::Diagnostic;
use crate::values::{DateOrTime, HttpUrl, LanguageTag, PartialDate, Published, Verification};

/// How the dossier holds an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The body is the article exactly as the outlet published it.
    FullText,
    /// The body is the dossier's own summary of the article, in our words.
    Report,
}

/// The front matter of an article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// The headline as published; left out when it was not recorded.
    #[serde(default)]
    pub title: Option<String>,
    /// How the headline is known (e.g. "taken from the page's address"), or why it is missing.
    #[serde(default)]
    pub title_note: Option<String>,
    /// The editor's translation of a headline in another language than the dossier's (shown
    /// beside it, marked as the editor's).
    #[serde(default)]
    pub title_translation: Option<String>,
    /// The id of the outlet whose page this is (the file name of `content/outlets/<id>.yaml`).
    pub outlet: String,
    /// The outlet whose story this carries: the wire agency (`reuters`, `afp` …) or the outlet
    /// cited as the source.
    #[serde(default)]
    pub agency: Option<String>,
    /// The slug of the dossier's article that this one republishes (the same wire story).
    #[serde(default)]
    pub republishes: Option<String>,
    /// Slugs of the dossier's articles whose reporting this one's text follows without being a
    /// copy of them (a rewrite of a wire report): it does not count as a source independent of
    /// them.
    #[serde(default)]
    pub follows: Vec<String>,
    /// When the outlet published it: `2019-06-13`, `2019-06-13T11:12:00Z`, or `unknown`.
    pub published: Published,
    /// How well the date is established.
    #[serde(default)]
    pub date_status: Option<Verification>,
    /// Why the date is approximate or how it was established.
    #[serde(default)]
    pub date_note: Option<String>,
    /// `full-text` or `report`.
    pub kind: Kind,
    /// The original address; required for a `report`, left out (or empty) when it is not known.
    #[serde(default, deserialize_with = "crate::values::optional_url")]
    pub url: Option<HttpUrl>,
    /// For an article whose `url` is not known: path prefixes its address probably starts with
    /// on its outlet's domains (`/Detail/2019/06/13/`), offered as Wayback Machine searches.
    #[serde(default)]
    pub search_prefixes: Vec<String>,
    /// For a `full-text` article (required): where the text was taken from (Markdown).
    #[serde(default)]
    pub source_note: Option<String>,
    /// Ids of the actors whose version of events the report leads with.
    #[serde(default)]
    pub leads_with: Vec<String>,
    /// The outlet's section, e.g. `News / Syria`.
    #[serde(default)]
    pub section: Option<String>,
    /// The author line as published.
    #[serde(default)]
    pub byline: Option<String>,
    /// The article's language, when it differs from the dossier's.
    #[serde(default)]
    pub language: Option<LanguageTag>,
    /// A one- or two-sentence summary in our own words, for listings.
    #[serde(default)]
    pub summary: Option<String>,
    /// Topics the article is filed under.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Ids of the actors (`content/actors/<id>.yaml`) it quotes or cites.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Places it concerns.
    #[serde(default)]
    pub places: Vec<String>,
    /// The lead image as published: its caption, credit and date.
    #[serde(default)]
    pub image: Option<Image>,
    /// When our copy was taken from the outlet.
    #[serde(default)]
    pub retrieved: Option<DateOrTime>,
    /// Archived copies: addresses (Wayback Machine, archive.today …) or captures of the
    /// dossier's own in `content/captures/` ([`super::capture`]).
    #[serde(default, deserialize_with = "crate::yaml::shorthand_list")]
    pub archived: Vec<super::capture::ArchivedCopy>,
    /// Editor's notes (Markdown): sourcing, omissions, framing.
    #[serde(default)]
    pub notes: Option<String>,
    /// Notes on paragraphs of a `full-text` article, shown beside them.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Leave out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// The article's lead image. `src` is a file under `static/`; the photograph itself is often not
/// ours to copy, so an image may be described (caption, credit, date) without one.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Path of the image file under `static/`, e.g. `images/patrol.jpg`.
    #[serde(default)]
    pub src: Option<String>,
    /// Text alternative; required with `src`.
    #[serde(default)]
    pub alt: Option<String>,
    /// The caption as published.
    #[serde(default)]
    pub caption: Option<String>,
    /// Photographer or agency.
    #[serde(default)]
    pub credit: Option<String>,
    /// When the photograph was taken (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(default)]
    pub taken: Option<PartialDate>,
}

/// An editor's note on one paragraph of a full text: which reports it follows, what it leaves
/// out, what has no source.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// The paragraph it is about: 1 for the first paragraph of the body.
    pub paragraph: usize,
    /// Slugs of the dossier's articles the paragraph follows.
    #[serde(default)]
    pub follows: Vec<String>,
    /// The note (Markdown).
    pub note: String,
}

impl ArticleMeta {
    /// Every article this one's text follows: `follows` and its annotations' `follows`.
    pub fn followed(&self) -> impl Iterator<Item = &str> {
        self.follows
            .iter()
            .chain(self.annotations.iter().flat_map(|a| &a.follows))
            .map(String::as_str)
    }
}

/// An article: its slug, its file and its metadata.
pub type Article = Document<ArticleMeta>;

/// How many paragraphs the top level of a Markdown body has (what annotations number).
pub fn paragraph_count(body: &str) -> usize {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut depth = 0usize;
    let mut count = 0;
    for event in Parser::new(body) {
        match event {
            Event::Start(tag) => {
                if depth == 0 && matches!(tag, Tag::Paragraph) {
                    count += 1;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    count
}

/// Checks an article's own fields (cross-references are checked by the loader).
pub fn validate(article: &Article) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let meta = &article.meta;
    if meta.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        errors.push(
            article.error_at(article.locate_key("title"), "`title` is empty").help(
                "give the headline as published, or leave `title` out when it was not recorded",
            ),
        );
    }
    match meta.kind {
        Kind::Report if meta.url.is_none() => errors.push(
            article
                .error_at(article.locate_key("kind"), "a `report` needs the original's `url`")
                .help(
                    "a report is our summary of a page: give the page's address in `url`, so \
                    readers can check it (use `kind: full-text` with a `source_note` for a text \
                    held without an address)",
                ),
        ),
        Kind::FullText if meta.source_note.as_deref().is_none_or(|n| n.trim().is_empty()) => {
            errors.push(
                article
                    .error_at(
                        article.locate_key("kind"),
                        "a `full-text` article needs a \
                        `source_note`",
                    )
                    .help(
                        "say in `source_note` where the text was taken from (the page, an \
                        archived copy, a file), so the transcription can be checked",
                    ),
            );
        }
        _ => {}
    }
    if meta.title_translation.is_some() && meta.title.is_none() {
        errors.push(
            article
                .error_at(
                    article.locate_key("title_translation"),
                    "`title_translation` without a `title`",
                )
                .help("give the headline as published in `title`, or leave the translation out"),
        );
    }
    if !meta.search_prefixes.is_empty() {
        if meta.url.is_some() {
            errors.push(
                article
                    .error_at(
                        article.locate_key("search_prefixes"),
                        "`search_prefixes` is for an \
                        article whose `url` is not known",
                    )
                    .help(
                        "the original's address is known: its archived copies are searched for \
                        by that address; remove `search_prefixes`",
                    ),
            );
        }
        for p in &meta.search_prefixes {
            if !p.starts_with('/') || p.contains("://") || p.chars().any(|c| c.is_whitespace()) {
                errors.push(
                    article
                        .error_at(
                            article.locate_value("search_prefixes", p),
                            format!(
                                "`{p}` is \
                            not a path prefix"
                            ),
                        )
                        .help(
                            "give the start of the path on the outlet's domains, e.g. \
                            `/Detail/2019/06/13/`",
                        ),
                );
            }
        }
    }
    if !meta.annotations.is_empty() {
        if meta.kind != Kind::FullText {
            errors.push(
                article
                    .error_at(
                        article.locate_key("annotations"),
                        "`annotations` are for a `full-text` article",
                    )
                    .help("a report is already the dossier's own words: put the note in `notes`"),
            );
        } else {
            let paragraphs = paragraph_count(article.body());
            for (i, a) in meta.annotations.iter().enumerate() {
                if a.paragraph == 0 || a.paragraph > paragraphs {
                    let (line, col) = crate::content::claim::nth_item(
                        &article.text[..article.body.start],
                        "annotations",
                        i,
                    );
                    errors.push(
                        article
                            .error_at(
                                (line, col),
                                format!(
                                    "annotation {} is on paragraph {}, but \
                                the text has {paragraphs}",
                                    i + 1,
                                    a.paragraph
                                ),
                            )
                            .help("number the paragraphs of the body from 1"),
                    );
                }
            }
        }
    }
    for key in ["topics", "places"] {
        let terms = match key {
            "topics" => &meta.topics,
            _ => &meta.places,
        };
        for term in terms {
            if crate::values::slugify(term).is_empty() {
                errors.push(
                    article
                        .error_at(
                            article.locate_value(key, term),
                            format!(
                                "`{term}` cannot be \
                            used as a {key} entry: it has no letters or digits"
                            ),
                        )
                        .help("use a name made of words, e.g. `Idlib`"),
                );
            }
        }
    }
    errors.extend(super::capture::validate_entries(article));
    if let Some(image) = &meta.image
        && let Some(src) = &image.src
    {
        if let Err(problem) = check_image_src(src) {
            errors.push(article.error_at(article.locate_key("src"), problem.0).help(problem.1));
        } else if image.alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
            errors.push(
                article
                    .error_at(
                        article.locate_key("image"),
                        "`image.src` is set but `image.alt` is missing",
                    )
                    .help("add `alt:` describing the picture for readers who cannot see it"),
            );
        }
    }
    errors
}

/// An image source must be a plain relative path to a file under `static/`.
fn check_image_src(src: &str) -> Result<(), (String, String)> {
    if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
        return Err((
            format!("`image.src` `{src}` is a remote address"),
            "pages must not load files from other sites (an archived copy has to work offline): \
                save the image under static/ and give its path, e.g. `images/patrol.jpg`"
                .into(),
        ));
    }
    let bad = src.starts_with('/')
        || src.contains('\\')
        || src.contains('\0')
        || src.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..");
    if bad {
        return Err((
            format!("`image.src` `{src}` is not a plain relative path"),
            "give the path of the file under static/, e.g. `images/patrol.jpg` (no leading `/`, \
                no `..`)"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(fm: &str) -> Result<Article, Diagnostic> {
        Article::parse("content/articles/a.md", format!("---\n{fm}---\nBody\n"))
    }

    const BASE: &str =
        "title: T\noutlet: presstv\npublished: 2019-06-13\nkind: full-text\nsource_note: A file.\n";

    #[test]
    fn minimal_article() {
        let a = parse(BASE).unwrap();
        assert_eq!(a.meta.kind, Kind::FullText);
        assert!(a.meta.url.is_none());
        assert!(validate(&a).is_empty());
    }

    #[test]
    fn empty_url_means_unknown() {
        assert!(parse(&format!("{BASE}url: \"\"\n")).unwrap().meta.url.is_none());
        assert!(parse(&format!("{BASE}url:\n")).unwrap().meta.url.is_none());
        let err = parse(&format!("{BASE}url: presstv.com/x\n")).unwrap_err();
        assert_eq!(err.location(), "content/articles/a.md:7:6");
    }

    #[test]
    fn unknown_date_and_headline() {
        let a =
            parse("outlet: x\npublished: unknown\nkind: report\nurl: https://x.org/a\n").unwrap();
        assert_eq!(a.meta.published, Published::Unknown);
        assert!(a.meta.title.is_none());
        assert!(validate(&a).is_empty());
        let err = parse("outlet: x\npublished: someday\nkind: report\n").unwrap_err();
        assert!(err.message.contains("or `unknown` when no date was recorded"), "{}", err.message);
    }

    #[test]
    fn kind_requirements() {
        let report = parse("title: T\noutlet: x\npublished: 2019-06-13\nkind: report\n").unwrap();
        let errs = validate(&report);
        assert_eq!(errs[0].message, "a `report` needs the original's `url`");
        assert_eq!(errs[0].location(), "content/articles/a.md:5:7");
        let full = parse("title: T\noutlet: x\npublished: 2019-06-13\nkind: full-text\n").unwrap();
        assert_eq!(validate(&full)[0].message, "a `full-text` article needs a `source_note`");
    }

    #[test]
    fn wrong_types_and_values_are_located() {
        let err = parse("title: T\noutlet: p\npublished: yesterday\nkind: report\n").unwrap_err();
        assert_eq!(err.location(), "content/articles/a.md:4:12");
        assert!(err.message.contains("`yesterday` is not a valid date"), "{}", err.message);

        let err = parse(&format!("{BASE}topics: 5\n")).unwrap_err();
        assert_eq!(err.message, "topics: invalid type: integer `5`, expected a sequence");

        let err = parse("title: T\noutlet: p\npublished: 2019-06-13\nkind: summary\n").unwrap_err();
        assert!(err.message.starts_with("kind: unknown variant `summary`"), "{}", err.message);
    }

    #[test]
    fn image_rules() {
        let remote =
            parse(&format!("{BASE}image:\n  src: https://cdn.example/x.jpg\n  alt: x\n")).unwrap();
        let errs = validate(&remote);
        assert_eq!(errs[0].message, "`image.src` `https://cdn.example/x.jpg` is a remote address");
        assert_eq!(errs[0].location(), "content/articles/a.md:8:8");

        let escape = parse(&format!("{BASE}image:\n  src: ../secret.jpg\n  alt: x\n")).unwrap();
        assert!(validate(&escape)[0].message.contains("not a plain relative path"));

        let no_alt = parse(&format!("{BASE}image:\n  src: images/x.jpg\n")).unwrap();
        assert_eq!(validate(&no_alt)[0].message, "`image.src` is set but `image.alt` is missing");

        let described = parse(&format!(
            "{BASE}image:\n  caption: A patrol\n  credit: AFP\n  taken: 2019-03-17\n"
        ))
        .unwrap();
        assert!(validate(&described).is_empty());
    }
}
