//! The Tera environment: templates compiled once, the filters and functions templates may use,
//! and Tera's errors turned into located [`Diagnostic`]s.
//!
//! Functions and filters available to templates:
//! - `rel_url(path="articles/x/")`: the URL of a site path relative to the page being rendered
//!   (read from the context variable `current_path`); see [`super::urls::relative`].
//! - `slug` (tera-contrib): the same slugs as the generator's.
//! - `date(format="%-d %B %Y")` (tera-contrib): formats `YYYY-MM-DD` or RFC 3339 strings.

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult};

use super::urls::relative;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::theme::TemplateSource;

/// Compiled templates, and where each came from (for messages).
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("names", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "article.html",
    "outlets.html",
    "outlet.html",
    "articles.html",
    "actors.html",
    "actor.html",
    "dispute.html",
    "timeline.html",
    "coverage.html",
    "taxonomy.html",
    "term.html",
    "page.html",
    "404.html",
    "search.html",
];

impl Templates {
    /// Compiles `sources` with the dossier's functions; `global` is visible to every template.
    pub fn new(
        sources: Vec<TemplateSource>,
        global: Context,
        pretty_links: bool,
    ) -> Result<Templates, Diagnostics> {
        let mut tera = Tera::new();
        tera.register_filter("slug", tera_contrib::slug::slug);
        tera.register_filter("date", tera_contrib::dates::date);
        tera.register_function("rel_url", move |kwargs: Kwargs, state: &State| {
            rel_url(kwargs, state, pretty_links)
        });
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        *tera.global_context() = global;
        let sources: BTreeMap<String, TemplateSource> =
            sources.into_iter().map(|s| (s.name.clone(), s)).collect();
        let pairs: Vec<(&str, &str)> =
            sources.values().map(|s| (s.name.as_str(), s.text.as_str())).collect();
        if let Err(e) = tera.add_raw_templates(pairs) {
            let t = Templates { tera, sources };
            return Err(Diagnostics(vec![t.diagnostic(&e)]));
        }
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|name| !sources.contains_key(**name))
            .map(|name| {
                Diagnostic::error(format!("templates/{name}"), "required template is missing")
            })
            .collect();
        if !missing.is_empty() {
            return Err(Diagnostics(missing));
        }
        Ok(Templates { tera, sources })
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| self.diagnostic(&e))
    }

    /// A Tera error as a diagnostic located in the template's file.
    fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let (origin, text) = match self.sources.get(report.filename()) {
                    Some(s) => (s.origin.as_str(), s.text.as_str()),
                    None => (report.filename(), ""),
                };
                let span = report.span();
                let mut message = report.message().to_string();
                if let Some(source) = std::error::Error::source(err) {
                    message = format!("{message}: {source}");
                }
                let notes = err.to_string();
                let d = Diagnostic::error(origin, message).at(
                    text,
                    span.start_line,
                    span.start_col + 1,
                );
                match notes.find("\n\nnote: ") {
                    Some(i) => d.help(notes[i + 2..].lines().next().unwrap_or("").to_string()),
                    None => d,
                }
            }
            _ => Diagnostic::error("templates", err.to_string()),
        }
    }
}

fn rel_url(kwargs: Kwargs, state: &State, pretty: bool) -> TeraResult<String> {
    let path = kwargs.must_get::<&str>("path")?;
    let current = state.get::<String>("current_path")?.ok_or_else(|| {
        tera::Error::message(
            "`rel_url` needs the variable `current_path` (the page's own site path)",
        )
    })?;
    Ok(relative(&current, path, pretty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource { name: name.into(), origin: format!("templates/{name}"), text: text.into() }
    }

    fn with_required(extra: Vec<TemplateSource>) -> Vec<TemplateSource> {
        let mut all: Vec<TemplateSource> = REQUIRED.iter().map(|n| source(n, "x")).collect();
        for e in extra {
            all.retain(|s| s.name != e.name);
            all.push(e);
        }
        all
    }

    #[test]
    fn rel_url_is_relative_to_the_current_page() {
        let t = Templates::new(
            with_required(vec![source("index.html", "{{ rel_url(path=\"outlets/x/\") }}")]),
            Context::new(),
            false,
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("current_path", "articles/a/");
        assert_eq!(t.render("index.html", &ctx).unwrap(), "../../outlets/x/index.html");
    }

    #[test]
    fn syntax_errors_point_into_the_template_file() {
        let err = Templates::new(
            with_required(vec![source("article.html", "<p>\n{{ title }\n")]),
            Context::new(),
            false,
        )
        .unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.file, "templates/article.html");
        assert_eq!(d.position.map(|p| p.0), Some(2));
    }

    #[test]
    fn runtime_errors_point_into_the_template_file() {
        let t = Templates::new(
            with_required(vec![source("page.html", "<p>\n  {{ missing_variable }}\n")]),
            Context::new(),
            false,
        )
        .unwrap();
        let d = t.render("page.html", &Context::new()).unwrap_err();
        assert_eq!(d.location(), "templates/page.html:2:6");
        assert!(d.message.contains("missing_variable"), "{}", d.message);
    }

    #[test]
    fn missing_required_template() {
        let all: Vec<TemplateSource> =
            REQUIRED.iter().filter(|n| **n != "term.html").map(|n| source(n, "x")).collect();
        let err = Templates::new(all, Context::new(), false).unwrap_err();
        assert_eq!(err.0[0].to_string(), "templates/term.html: required template is missing");
    }
}
