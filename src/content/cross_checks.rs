//! The checks [`super::load()`] runs on the whole set of parsed files, after each file has
//! parsed on its own: slugs unique and publishable on any file system, images present among
//! the static files, one spelling for each taxonomy term (the taxonomies are grouped here), and
//! headlines in another language translated. Dangling ids are [`super::refs`]'s to find.

use std::collections::BTreeMap;

use super::article::Article;
use super::page::Page;
use super::{Taxonomy, Term};
use crate::config::{Config, TaxonomyKind};
use crate::diagnostics::Diagnostic;
use crate::theme::StaticFile;

/// A warning for each headline in another language than the dossier's that has no
/// `title_translation`: readers should not have to guess what it says.
pub(super) fn untranslated_headlines(config: &Config, articles: &[Article]) -> Vec<Diagnostic> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let own = primary(config.language.as_str());
    articles
        .iter()
        .filter(|a| a.meta.title.is_some() && a.meta.title_translation.is_none())
        .filter_map(|a| {
            let lang = a.meta.language.as_ref()?;
            (primary(lang.as_str()) != own).then(|| {
                let (line, col) = a.locate_key("title");
                Diagnostic::warning(
                    &a.source,
                    format!("the headline is in `{lang}` and has no `title_translation`"),
                )
                .at(&a.text, line, col)
                .help(format!(
                    "add `title_translation:` with the editor's translation into `{}`; pages mark \
                        it as the editor's",
                    config.language
                ))
            })
        })
        .collect()
}

/// Names Windows reserves for devices (`con`, `nul`, `com1`…), in any case and with any
/// extension: a folder so named cannot be made there, so a dossier with one cannot be copied to
/// a Windows machine or served from one.
pub(super) fn is_windows_device_name(slug: &str) -> bool {
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

pub(super) fn check_slugs(articles: &[Article], pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let items = articles
        .iter()
        .map(|a| ("articles", a.slug.as_str(), a.source.as_str()))
        .chain(pages.iter().map(|p| ("pages", p.slug.as_str(), p.source.as_str())));
    for (kind, slug, source) in items {
        if slug.is_empty() {
            errors.push(
                Diagnostic::error(
                    source,
                    "the file name has no letters or digits to make a URL from",
                )
                .help("rename the file, e.g. `2019-06-13-outlet-headline.md`"),
            );
            continue;
        }
        if is_windows_device_name(slug) {
            errors.push(
                Diagnostic::error(
                    source,
                    format!("the slug `{slug}` is a reserved device name on Windows"),
                )
                .help(format!(
                    "a copy of the dossier on Windows could not hold its folder \
                    `{slug}/`; rename the file, e.g. to `{slug}-report.md`"
                )),
            );
            continue;
        }
        if let Some(first) = seen.insert((kind, slug), source) {
            errors.push(
                Diagnostic::error(source, format!("the slug `{slug}` is already used by {first}"))
                    .help("both files would be published at the same address; rename one of them"),
            );
        }
    }
}

pub(super) fn check_images(
    articles: &[Article],
    static_files: &[StaticFile],
    errors: &mut Vec<Diagnostic>,
) {
    for a in articles {
        let Some(src) = a.meta.image.as_ref().and_then(|i| i.src.as_deref()) else { continue };
        if !static_files.iter().any(|f| f.name == src) {
            errors.push(
                a.error_at(
                    a.locate_key("src"),
                    format!("image file `static/{src}` does not exist"),
                )
                .help("add the file under static/, or correct `image.src`"),
            );
        }
    }
}

/// Groups articles by term. Two spellings of one term (same slug) are an error, so a term is
/// always shown the same way.
pub(super) fn build_taxonomies(
    config: &Config,
    articles: &[Article],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for kind in TaxonomyKind::ALL {
        let mut terms: BTreeMap<String, (Term, usize)> = BTreeMap::new();
        for (i, a) in articles.iter().enumerate() {
            for name in a.meta.terms(kind) {
                let slug = crate::values::slugify(name);
                let entry = terms.entry(slug.clone()).or_insert_with(|| {
                    (Term { name: name.clone(), slug, articles: Vec::new() }, i)
                });
                if entry.0.name != *name {
                    let first = &articles[entry.1];
                    errors.push(
                        a.error_at(
                            a.locate_value(kind.key(), name),
                            format!("`{name}` is spelled `{}` in {}", entry.0.name, first.source),
                        )
                        .help(format!("use one spelling for each entry in `{}`", kind.key())),
                    );
                } else if entry.0.articles.last() != Some(&i) {
                    entry.0.articles.push(i);
                }
            }
        }
        if let Some(tc) = config.taxonomies.iter().find(|t| t.name == kind) {
            out.push(Taxonomy {
                kind,
                title: tc.title.clone(),
                terms: terms.into_values().map(|(t, _)| t).collect(),
            });
        }
    }
    let order = |k: TaxonomyKind| config.taxonomies.iter().position(|t| t.name == k);
    out.sort_by_key(|t| order(t.kind));
    out
}
