//! `dossier import`: captured pages (WARC, WACZ, saved HTML) become sourced articles, and the
//! captures are kept in `content/captures/` for the build to check and publish.
//!
//! [`plan`] reads the dossier's outlets and existing articles and every capture, and decides
//! everything: which records are pages, whose outlet each is, the article files and the capture
//! copies, and what is skipped and why. Nothing is written until the whole plan holds: any
//! problem (a broken capture, an unknown outlet, two records that would write the same file, a
//! file that exists) is an error and [`apply`] is never reached. [`apply`] then copies each
//! capture once under its content-addressed name (`sha256-<hex>.<ext>`) and writes each article
//! with `create_new`, so nothing is ever overwritten.
//!
//! - [`warc`], [`http`]: reading WARC records and the HTTP messages in them (bounded);
//! - [`source`]: the pages of a WARC, a WACZ or a saved page;
//! - [`page`]: a page's metadata and its text as Markdown (readability);
//! - [`outlets`]: a page's host against the outlets' domains;
//! - [`article`]: the article file's name and text.

pub mod article;
pub mod http;
pub mod outlets;
pub mod page;
pub mod source;
pub mod warc;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use self::article::{ImportedArticle, published_from};
use self::outlets::OutletHosts;
use self::source::{CaptureKind, CapturedPage, Skipped};
use crate::content::article::Kind;
use crate::content::capture::CAPTURES;
use crate::diagnostics::plural;
use crate::hash::sha256_file;
use crate::values::{DateOrTime, HttpUrl, LanguageTag};

/// What `dossier import` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The outlet of every page, instead of matching hosts.
    pub outlet: Option<String>,
    /// How the articles hold the pages.
    pub kind: Kind,
    /// A saved page's address, when the page does not record it.
    pub url: Option<HttpUrl>,
}

/// A capture to copy into `content/captures/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureCopy {
    /// The file given.
    pub from: PathBuf,
    /// Its copy, relative to the root: `content/captures/sha256-<hex>.<ext>`.
    pub to: String,
    /// Whether the copy is already there (same name, so same bytes).
    pub exists: bool,
}

/// An article to write.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// Its path relative to the root.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// One line of the summary: a record and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Imported as this article file.
    Article {
        /// The capture and record.
        from: String,
        /// The article file.
        path: String,
        /// What to check in it (no date, no text found, …).
        notes: Vec<String>,
    },
    /// Already imported: this article file holds it.
    Already {
        /// The capture and record.
        from: String,
        /// The article that holds it.
        path: String,
    },
    /// Not imported.
    Skipped(Skipped),
    /// Records that are not pages, counted by type.
    Others {
        /// The capture.
        capture: String,
        /// Type → count.
        counts: BTreeMap<String, usize>,
    },
}

/// Everything an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Captures to copy.
    pub captures: Vec<CaptureCopy>,
    /// Articles to write.
    pub articles: Vec<NewArticle>,
    /// The summary, in input order.
    pub outcomes: Vec<Outcome>,
}

/// An article file already in the dossier.
struct Existing {
    path: String,
    text: String,
}

/// Reads the dossier and the captures and decides what to write; see the module's doc.
pub fn plan(root: &Path, files: &[PathBuf], options: &Options) -> crate::Result<Plan> {
    let config = crate::config::Config::load(root)?;
    let outlets = read_outlets(root)?;
    if let Some(id) = &options.outlet {
        let known: Vec<String> = outlets.iter().map(|o| o.id.clone()).collect();
        crate::scaffold::check_outlet(id, &known).map_err(anyhow::Error::msg)?;
    }
    let existing = read_articles(root)?;
    let mut plan = Plan::default();
    let mut problems: Vec<String> = Vec::new();
    let mut planned: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        let shown = file.display().to_string();
        let kind = source::kind_of(file)?;
        let sha256 = sha256_file(file).with_context(|| format!("cannot read `{shown}`"))?;
        let capture_name = format!("sha256-{sha256}.{}", kind.extension());
        let capture = format!("{CAPTURES}/{capture_name}");
        let copy_to = format!("content/{capture}");
        let (pages, skipped, others) = match kind {
            CaptureKind::Warc | CaptureKind::WarcGz => {
                let s = source::scan_warc_file(file, &shown)?;
                (s.pages, s.skipped, s.others)
            }
            CaptureKind::Wacz => {
                let s = source::scan_wacz(file, &shown)?;
                (s.pages, s.skipped, s.others)
            }
            CaptureKind::Html => {
                (vec![source::scan_html(file, &shown)?], Vec::new(), BTreeMap::new())
            }
        };
        let mut used = false;
        for page in pages {
            let from = format!("{shown}: {}", page.place);
            let made = make_article(
                page,
                kind,
                &shown,
                &capture,
                &sha256,
                &config.language,
                &outlets,
                options,
            );
            let (article, notes) = match made {
                Ok(made) => made,
                Err(Problem::Skip(s)) => {
                    plan.outcomes.push(Outcome::Skipped(s));
                    continue;
                }
                Err(Problem::Error(e)) => {
                    problems.push(e);
                    continue;
                }
            };
            if let Some(holder) = existing.iter().find(|e| holds(&e.text, &article)) {
                plan.outcomes.push(Outcome::Already { from, path: holder.path.clone() });
                continue;
            }
            let path = format!("{}/{}", crate::scaffold::ARTICLES_DIR, article.file_name());
            if let Some(first) = planned.get(&path) {
                problems.push(format!(
                    "{from} and {first} would both be written to {path}\n  help: they are the same \
                     page captured twice (import one capture of it), or two pages with the same \
                     headline and date (import them one at a time and rename the first article)"
                ));
                continue;
            }
            if let Some(other) = existing.iter().find(|e| e.path == path) {
                problems.push(format!(
                    "{from} would be written to {}, which already exists (and holds another \
                     page); dossier never overwrites a file\n  help: rename that article (its \
                     file name is its address) or move it aside, then import again",
                    other.path
                ));
                continue;
            }
            planned.insert(path.clone(), from.clone());
            used = true;
            plan.articles.push(NewArticle { path: path.clone(), text: article.text() });
            plan.outcomes.push(Outcome::Article { from, path, notes });
        }
        plan.outcomes.extend(skipped.into_iter().map(Outcome::Skipped));
        if !others.is_empty() {
            plan.outcomes.push(Outcome::Others { capture: shown.clone(), counts: others });
        }
        if used && !plan.captures.iter().any(|c| c.to == copy_to) {
            let target = root.join(&copy_to);
            let exists = target.exists();
            if exists {
                let there =
                    sha256_file(&target).with_context(|| format!("cannot read {copy_to}"))?;
                if there != sha256 {
                    problems.push(format!(
                        "{copy_to} exists but its SHA-256 is {there}: it was changed after it was \
                         imported\n  help: restore it from the original capture (a capture is \
                         evidence, never edited), or delete it and import again"
                    ));
                }
            }
            plan.captures.push(CaptureCopy { from: file.clone(), to: copy_to, exists });
        }
    }
    if !problems.is_empty() {
        let count = plural(problems.len(), "problem", "problems");
        bail!("{}\nnothing was imported ({count})", problems.join("\n"));
    }
    Ok(plan)
}

/// Why a page did not become an article.
enum Problem {
    /// Skipped, with the reason (listed in the summary).
    Skip(Skipped),
    /// An error: nothing is imported.
    Error(String),
}

/// Whether an existing article's text holds the same capture and record (or, for a saved page,
/// the same capture and address).
fn holds(text: &str, article: &ImportedArticle) -> bool {
    let same_capture = text.contains(&article.sha256);
    match &article.record {
        Some(record) => same_capture && text.contains(record.as_str()),
        None => same_capture && text.contains(article.url.as_str()),
    }
}

/// The article a page becomes, with what the summary should say about it.
#[allow(clippy::too_many_arguments)]
fn make_article(
    page: CapturedPage,
    kind: CaptureKind,
    shown: &str,
    capture: &str,
    sha256: &str,
    dossier_language: &LanguageTag,
    outlets: &[OutletHosts],
    options: &Options,
) -> Result<(ImportedArticle, Vec<String>), Problem> {
    let from = format!("{shown}: {}", page.place);
    let depth = crate::render::nesting::max_depth(&page.html);
    if depth > crate::render::nesting::MAX_HTML_DEPTH {
        return Err(Problem::Error(format!(
            "{from} ({}): the page's HTML nests {depth} elements deep; dossier reads at most {} \
             (a browser's own limit)\n  help: this is not a news page as published; leave it out",
            page.url,
            crate::render::nesting::MAX_HTML_DEPTH
        )));
    }
    let base =
        url::Url::parse(if page.url.is_empty() { "https://invalid.example/" } else { &page.url })
            .unwrap_or_else(|_| {
                url::Url::parse("https://invalid.example/").expect("a valid address")
            });
    let extracted = page::extract(&page.html, &base);
    let mut notes = Vec::new();
    // The address: the record's; for a saved page, --url, its own mark, its canonical link or
    // its og:url.
    let (address, address_source) = if kind == CaptureKind::Html {
        let candidates = [
            (options.url.as_ref().map(|u| u.to_string()), "--url"),
            (extracted.saved_from.clone(), "the page's own saved-from comment"),
            (extracted.canonical.clone(), "the page's canonical link"),
            (extracted.og_url.clone(), "the page's og:url"),
        ];
        match candidates
            .into_iter()
            .find_map(|(u, s)| u.and_then(|u| u.parse::<HttpUrl>().ok()).map(|u| (u, s)))
        {
            Some(found) => found,
            None => {
                return Err(Problem::Error(format!(
                    "{shown}: the saved page does not say its address (no SingleFile or \"saved \
                     from\" comment, canonical link or og:url)\n  help: pass the page's address \
                     with --url URL"
                )));
            }
        }
    } else {
        match page.url.parse::<HttpUrl>() {
            Ok(u) => (u, "the capture"),
            Err(_) => {
                return Err(Problem::Skip(Skipped {
                    what: from,
                    why: format!(
                        "its address `{}` is not an http(s) address",
                        page.url.escape_default()
                    ),
                }));
            }
        }
    };
    let host = url::Url::parse(address.as_str())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let outlet = match &options.outlet {
        Some(id) => id.clone(),
        None => {
            let ids = outlets::outlets_for(&host, outlets);
            match ids.as_slice() {
                [one] => one.clone(),
                [] => {
                    let id = outlets::suggested_id(&host);
                    let name = extracted
                        .publisher
                        .as_deref()
                        .map(|p| format!(" --name {}", shell_word(p)))
                        .unwrap_or_default();
                    return Err(Problem::Error(format!(
                        "{from}: the page is at `{host}`, which is not a domain of any outlet in \
                         content/outlets/\n  help: add `{}` to the outlet's `domains` (with its `role`: \
                         primary, mirror, edition or former), or add the outlet: `dossier new \
                         outlet {id}{name} --domain {}`; or pass --outlet ID",
                        outlets::bare_host(&host),
                        outlets::bare_host(&host)
                    )));
                }
                many => {
                    return Err(Problem::Error(format!(
                        "{from}: the page is at `{host}`, a domain of more than one outlet ({})\n  \
                         help: list each domain under one outlet only, or pass --outlet ID",
                        many.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
    };
    let (title, title_note) = match &extracted.title {
        Some((t, s @ (page::Source::TitleElement | page::Source::Heading))) => {
            (Some(t.clone()), Some(format!("Taken from {}.", s.describe())))
        }
        Some((t, _)) => (Some(t.clone()), None),
        None => {
            notes.push("no headline found".into());
            (None, Some("The captured page gives no headline.".into()))
        }
    };
    let (published, date_note) =
        published_from(extracted.published.as_ref().map(|(d, s)| (d.as_str(), s.describe())));
    if published == crate::values::Published::Unknown {
        notes.push("published: unknown".into());
    }
    let language = extracted.language.as_deref().and_then(|l| match l.parse::<LanguageTag>() {
        Ok(tag) if !tag.as_str().eq_ignore_ascii_case(dossier_language.as_str()) => Some(tag),
        Ok(_) => None,
        Err(_) => {
            notes
                .push(format!("language `{}` is not a language tag: left out", l.escape_default()));
            None
        }
    });
    let captured = page.date.as_deref().or(extracted.saved_date.as_deref());
    let retrieved = captured.and_then(|d| d.parse::<DateOrTime>().ok());
    if options.kind == Kind::FullText && extracted.markdown.trim().is_empty() {
        notes.push("no article text found: copy it from the capture".into());
    }
    let record_text = match &page.record {
        Some(r) => format!(", WARC record `{r}`"),
        None => String::new(),
    };
    let mut source_note = format!(
        "Imported with `dossier import` from the capture `{capture}` (SHA-256 \
            `{sha256}`){record_text}: the page at <{address}>"
    );
    if let Some(d) = captured {
        source_note.push_str(&format!(", captured {d}"));
    }
    if address_source != "the capture" {
        source_note.push_str(&format!(" (address from {address_source})"));
    }
    source_note.push('.');
    if !page.redirected_from.is_empty() {
        let hosts: Vec<String> = page.redirected_from.iter().map(|r| format!("<{r}>")).collect();
        source_note.push_str(&format!(" Reached through the redirect from {}.", hosts.join(" → ")));
    }
    if let Some(c) = extracted.canonical.as_deref().filter(|c| *c != address.as_str()) {
        source_note.push_str(&format!(" The page names <{c}> as its canonical address."));
    }
    source_note.push_str(
        " The text was extracted automatically (readability): check it against the capture.",
    );
    let byline = extracted.byline.as_ref().map(|(b, _)| b.clone());
    Ok((
        ImportedArticle {
            outlet,
            title,
            title_note,
            published,
            date_note: Some(date_note),
            kind: options.kind,
            url: address,
            byline,
            language,
            section: extracted.section.clone(),
            retrieved,
            capture: capture.to_string(),
            sha256: sha256.to_string(),
            record: page.record.clone(),
            source_note,
            body: extracted.markdown,
        },
        notes,
    ))
}

/// `text` quoted for a shell when it needs to be.
fn shell_word(text: &str) -> String {
    if text.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Every outlet's id and hosts, from `content/outlets/`.
fn read_outlets(root: &Path) -> crate::Result<Vec<OutletHosts>> {
    let dir = root.join(crate::scaffold::OUTLETS_DIR);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| (n.ends_with(".yaml") || n.ends_with(".yml")) && !crate::fs::is_ignored_name(n))
        .collect();
    names.sort();
    let mut errors = Vec::new();
    for name in names {
        let rel = format!("{}/{name}", crate::scaffold::OUTLETS_DIR);
        let text = crate::fs::read_text(&root.join(&rel), &rel)
            .map_err(|d| crate::diagnostics::Diagnostics(vec![d]))?;
        match crate::content::Outlet::parse(crate::content::document::slug_of(&rel), &rel, &text) {
            Ok(o) => out.push(OutletHosts::of(&o)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(anyhow::Error::new(crate::diagnostics::Diagnostics::sorted(errors)).context(
            "the outlets could not be read, so pages cannot be matched to them; nothing \
                was imported",
        ));
    }
    Ok(out)
}

/// The existing article files (path from the root, text), for "already imported" and clashes.
fn read_articles(root: &Path) -> crate::Result<Vec<Existing>> {
    let dir = root.join(crate::scaffold::ARTICLES_DIR);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = crate::fs::display_path(root, entry.path());
        let mut text = String::new();
        use std::io::Read as _;
        std::fs::File::open(entry.path())
            .and_then(|f| f.take(crate::content::load::MAX_CONTENT_FILE).read_to_string(&mut text))
            .ok();
        out.push(Existing { path, text });
    }
    Ok(out)
}

/// Copies the captures and writes the articles of `plan` under `root`, never over a file.
/// Returns the paths written.
pub fn apply(root: &Path, plan: &Plan) -> crate::Result<Vec<String>> {
    let mut written = Vec::new();
    for c in plan.captures.iter().filter(|c| !c.exists) {
        let target = root.join(&c.to);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut out =
            std::fs::OpenOptions::new().write(true).create_new(true).open(&target).with_context(
                || format!("cannot create {} (dossier never overwrites a file)", c.to),
            )?;
        let mut input = std::fs::File::open(&c.from)
            .with_context(|| format!("cannot open `{}`", c.from.display()))?;
        if let Err(e) = std::io::copy(&mut input, &mut out).and_then(|_| out.sync_all()) {
            drop(out);
            let _ = std::fs::remove_file(&target);
            return Err(e)
                .with_context(|| format!("cannot copy `{}` to {}", c.from.display(), c.to));
        }
        written.push(c.to.clone());
    }
    for a in &plan.articles {
        let target = root.join(&a.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut out = match std::fs::OpenOptions::new().write(true).create_new(true).open(&target) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                bail!("{} already exists; dossier never overwrites a file", a.path)
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", a.path)),
        };
        std::io::Write::write_all(&mut out, a.text.as_bytes())
            .with_context(|| format!("cannot write {}", a.path))?;
        written.push(a.path.clone());
    }
    Ok(written)
}
