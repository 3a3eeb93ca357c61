//! [`SiteMarkdown`]: the Markdown of one site's content rendered with the site's settings,
//! `@/` links resolved through the [`ContentIndex`], and every problem turned into a
//! [`Diagnostic`] located in the file it came from (a body, a front-matter field, a YAML file).

use std::borrow::Cow;

use super::index::ContentIndex;
use super::markdown::{self, MarkdownOptions, Rendered as Markup};
use crate::content::Site;
use crate::content::document::Document;
use crate::diagnostics::Diagnostic;

/// Renders Markdown for pages of one site, resolving `@/` links and locating problems.
pub(super) struct SiteMarkdown<'a> {
    pub(super) site: &'a Site,
    pub(super) index: Cow<'a, ContentIndex>,
}

impl SiteMarkdown<'_> {
    fn options(&self, smart: bool) -> MarkdownOptions {
        let c = &self.site.config;
        MarkdownOptions {
            smart_punctuation: smart && c.smart_punctuation,
            allow_raw_html: c.allow_raw_html,
            pretty_links: c.pretty_links,
        }
    }

    fn markdown(&self, text: &str, page: &str, smart: bool) -> Markup {
        let resolve = |p: &str| self.index.resolve(p);
        markdown::render(text, page, &resolve, self.options(smart))
    }

    /// Renders a document's body (read again if the model let go of it); problems are located
    /// in its file.
    pub(super) fn body<M>(
        &self,
        doc: &Document<M>,
        page: &str,
        smart: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Markup {
        let text = match doc.full_text() {
            Ok(text) => text,
            Err(d) => {
                out.push(d);
                return Markup::default();
            }
        };
        let r = self.markdown(&text[doc.body.clone()], page, smart);
        out.extend(
            r.problems
                .iter()
                .map(|p| diagnostic(&doc.source, p).at_offset(&text, doc.body_offset(p.offset))),
        );
        r
    }

    /// Renders a Markdown value of the front matter (notes, lede); problems point at `key`.
    pub(super) fn field<M>(
        &self,
        doc: &Document<M>,
        key: &str,
        text: &str,
        page: &str,
        out: &mut Vec<Diagnostic>,
    ) -> String {
        let r = self.markdown(text, page, true);
        let (line, col) = doc.locate_key(key);
        out.extend(r.problems.iter().map(|p| diagnostic(&doc.source, p).at(&doc.text, line, col)));
        r.html
    }

    /// Renders a Markdown value of a YAML file (outlet notes and facts).
    pub(super) fn yaml_field(
        &self,
        source: &str,
        text: &str,
        page: &str,
        out: &mut Vec<Diagnostic>,
    ) -> String {
        let r = self.markdown(text, page, true);
        out.extend(r.problems.iter().map(|p| diagnostic(source, p)));
        r.html
    }
}

fn diagnostic(file: &str, p: &markdown::Problem) -> Diagnostic {
    let d = if p.is_error {
        Diagnostic::error(file, &p.message)
    } else {
        Diagnostic::warning(file, &p.message)
    };
    d.help(&p.help)
}
