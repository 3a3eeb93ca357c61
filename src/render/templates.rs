//! The Tera environment: templates compiled once, the filters and functions templates may use,
//! and Tera's errors turned into located [`Diagnostic`]s.
//!
//! Functions and filters available to templates:
//! - `rel_url(path="articles/x/")`: the URL of a site path relative to the page being rendered
//!   (read from the context variable `current_path`); see [`super::urls::relative`]. A static
//!   asset asked for by name (`style.css`) gets its fingerprinted file (`style.<hash>.css`). When
//!   the context sets `link_root` (the 404 page, which a server shows at any address), links are
//!   root-relative instead: `link_root` + the path, e.g. `/idlib-dossier/style.<hash>.css`.
//! - `abs_url(path="articles/x/")`: the absolute URL under `base_url` (canonical links). An
//!   error when the dossier has no `base_url`: test `config.base_url` first.
//! - `slug` (tera-contrib): the same slugs as the generator's.
//! - `date(format="%-d %B %Y")` (tera-contrib): formats `YYYY-MM-DD` or RFC 3339 strings.
//! - `csp_hash`: the Content-Security-Policy source (`'sha256-…'`) that allows an inline
//!   `<style>` or `<script>` whose text is exactly the value; `base.html` uses it for the 404
//!   page's inlined stylesheet, the only inline code the built-in theme has.
//! - `wayback`: the Wayback Machine's list of captures of an address (a search, not a capture);
//!   see [`super::publish::wayback_search`].
//! - `url_text`: an address as a reader should see it, percent-encoding decoded (the link itself
//!   stays as written); see [`super::publish::display_url`].

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use super::urls::{encode, relative};
use crate::config::BaseUrl;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::theme::TemplateSource;

/// Compiled templates, and where each came from (for messages).
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    links: LinkOptions,
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
    "atom.xml",
    "search.html",
];

/// How templates make URLs: the settings behind `rel_url` and `abs_url`.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Link to `dir/` rather than `dir/index.html`.
    pub pretty: bool,
    /// The published address, for `abs_url`, when the dossier has one.
    pub base_url: Option<BaseUrl>,
    /// Static files published under another name (fingerprinted): name → output path.
    pub assets: BTreeMap<String, String>,
}

impl LinkOptions {
    /// The output path of `path`: its fingerprinted name if it has one.
    pub fn asset<'a>(&'a self, path: &'a str) -> &'a str {
        self.assets.get(path.trim_start_matches('/')).map_or(path, String::as_str)
    }

    /// The absolute URL of a site path (pages in their directory form); without a `base_url`,
    /// the path from the host's root (`/articles/x/`).
    pub fn absolute(&self, path: &str) -> String {
        let encoded = encode(self.asset(path), true);
        match &self.base_url {
            Some(base) => base.join(&encoded),
            None => format!("/{}", encoded.trim_start_matches('/')),
        }
    }

    /// The path links start from on a page a host shows at any address (the 404 page):
    /// `base_url`'s path, or `/`.
    pub fn root_path(&self) -> &str {
        self.base_url.as_ref().map_or("/", BaseUrl::path)
    }

    /// `base_url` as written, or the empty string.
    pub fn base_url_str(&self) -> &str {
        self.base_url.as_ref().map_or("", BaseUrl::as_str)
    }
}

impl Templates {
    /// Compiles `sources` with the dossier's functions; `global` is visible to every template.
    pub fn new(
        sources: Vec<TemplateSource>,
        global: Context,
        links: LinkOptions,
    ) -> Result<Templates, Diagnostics> {
        let mut tera = Tera::new();
        tera.register_filter("slug", tera_contrib::slug::slug);
        tera.register_filter("date", tera_contrib::dates::date);
        tera.register_filter("csp_hash", |text: &str, _: Kwargs, _: &State| csp_hash(text));
        tera.register_filter("wayback", |url: &str, _: Kwargs, _: &State| {
            super::publish::wayback_search(url)
        });
        tera.register_filter("url_text", |url: &str, _: Kwargs, _: &State| {
            super::publish::display_url(url)
        });
        let rel_links = links.clone();
        tera.register_function("rel_url", move |kwargs: Kwargs, state: &State| {
            rel_url(kwargs, state, &rel_links)
        });
        let abs_links = links.clone();
        tera.register_function("abs_url", move |kwargs: Kwargs, _: &State| {
            let path = kwargs.must_get::<&str>("path")?;
            if abs_links.base_url.is_none() {
                return Err(tera::Error::message(format!(
                    "`abs_url(path=\"{path}\")` needs an address, and the dossier has no `base_url`: \
                     wrap it in `{{% if config.base_url %}}`, or set `base_url` in dossier.yaml \
                     (or pass --base-url)"
                )));
            }
            Ok::<_, tera::Error>(abs_links.absolute(path))
        });
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        *tera.global_context() = global;
        let sources: BTreeMap<String, TemplateSource> =
            sources.into_iter().map(|s| (s.name.clone(), s)).collect();
        let pairs: Vec<(&str, &str)> =
            sources.values().map(|s| (s.name.as_str(), s.text.as_str())).collect();
        if let Err(e) = tera.add_raw_templates(pairs) {
            let t = Templates { tera, sources, links };
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
        Ok(Templates { tera, sources, links })
    }

    /// The templates' names, origins and texts, sorted by name.
    pub fn sources(&self) -> impl Iterator<Item = &TemplateSource> {
        self.sources.values()
    }

    /// How these templates make URLs.
    pub fn links(&self) -> &LinkOptions {
        &self.links
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

fn rel_url(kwargs: Kwargs, state: &State, links: &LinkOptions) -> TeraResult<String> {
    let path = links.asset(kwargs.must_get::<&str>("path")?);
    if let Some(root) = state.get::<String>("link_root")? {
        return Ok(format!("{root}{}", encode(path, links.pretty)));
    }
    let current = state.get::<Value>("current_path")?;
    let current = current.as_ref().and_then(Value::as_str).ok_or_else(|| {
        tera::Error::message(
            "`rel_url` needs the variable `current_path` (the page's own site path, a string)",
        )
    })?;
    Ok(relative(current, path, links.pretty))
}

/// The CSP hash source of an inline element's text: `'sha256-<base64 of its SHA-256>'`.
pub fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource { name: name.into(), origin: format!("templates/{name}"), text: text.into() }
    }

    fn links() -> LinkOptions {
        LinkOptions {
            pretty: false,
            base_url: Some("https://example.org/sub/".parse().unwrap()),
            assets: [("style.css".to_string(), "style.0123456789.css".to_string())].into(),
        }
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
            links(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("current_path", "articles/a/");
        assert_eq!(t.render("index.html", &ctx).unwrap(), "../../outlets/x/index.html");
    }

    #[test]
    fn assets_absolute_urls_and_root_links() {
        let text = "{{ rel_url(path=\"style.css\") }} {{ abs_url(path=\"articles/a b/\") }} \
                    {{ abs_url(path=\"style.css\") }}";
        let t = Templates::new(
            with_required(vec![source("index.html", text)]),
            Context::new(),
            links(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("current_path", "articles/a/");
        assert_eq!(
            t.render("index.html", &ctx).unwrap(),
            "../../style.0123456789.css https://example.org/sub/articles/a%20b/ \
             https://example.org/sub/style.0123456789.css"
        );
        ctx.insert("link_root", "/sub/");
        assert!(t.render("index.html", &ctx).unwrap().starts_with("/sub/style.0123456789.css "));
    }

    #[test]
    fn abs_url_without_a_base_url_is_an_error_that_says_what_to_do() {
        let text = "<p>\n{{ abs_url(path=\"articles/a/\") }}";
        let t = Templates::new(
            with_required(vec![source("index.html", text)]),
            Context::new(),
            LinkOptions { base_url: None, ..links() },
        )
        .unwrap();
        let d = t.render("index.html", &Context::new()).unwrap_err();
        assert_eq!(d.location(), "templates/index.html:2:4");
        assert!(d.message.contains("the dossier has no `base_url`"), "{}", d.message);
        assert!(d.message.contains("{% if config.base_url %}"), "{}", d.message);
    }

    #[test]
    fn wayback_and_url_text_filters() {
        let text = "{{ u | wayback }} {{ u | url_text }}";
        let t = Templates::new(
            with_required(vec![source("index.html", text)]),
            Context::new(),
            links(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("u", "https://x.example/%D8%AA%D8%B1?p=1");
        assert_eq!(
            t.render("index.html", &ctx).unwrap(),
            "https://web.archive.org/web/*/https://x.example/%D8%AA%D8%B1?p=1 \
             https://x.example/\u{62a}\u{631}?p=1"
        );
    }

    #[test]
    fn csp_hash_is_the_base64_sha256_of_the_text() {
        // Known answers: `echo -n TEXT | openssl dgst -sha256 -binary | base64`.
        assert_eq!(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(
            csp_hash("body{color:red}"),
            "'sha256-FcQqt3aNlV7AZnGV4zkQRVeCeJOxbMPnQSx258L803E='"
        );
        let t = Templates::new(
            with_required(vec![source("index.html", "{{ css | csp_hash | safe }}")]),
            Context::new(),
            links(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("css", "");
        assert_eq!(t.render("index.html", &ctx).unwrap(), csp_hash(""));
    }

    #[test]
    fn syntax_errors_point_into_the_template_file() {
        let err = Templates::new(
            with_required(vec![source("article.html", "<p>\n{{ title }\n")]),
            Context::new(),
            links(),
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
            links(),
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
        let err = Templates::new(all, Context::new(), links()).unwrap_err();
        assert_eq!(err.0[0].to_string(), "templates/term.html: required template is missing");
    }
}
