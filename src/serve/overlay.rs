//! A failed build, shown in the browser and in the terminal.
//!
//! [`Failure::from_error`] turns the build's error into three renderings of the same list:
//! the overlay (an HTML fragment with `role="alertdialog"`, injected into every served page
//! while the build stays broken), the terminal text (what `dossier build` would print), and
//! JSON for the `error` event. Located errors ([`Diagnostics`]) keep their file, line, column,
//! source line and help; any other error is listed by its message chain.

use pulldown_cmark_escape::escape_html;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, plural};

/// One error as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `file:line:col` (or just the file, or empty when the error names no file).
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The source line, when the error has a position.
    pub snippet: Option<String>,
    /// 1-based line of the snippet.
    pub line: Option<usize>,
    /// 1-based column the caret points at.
    pub column: Option<usize>,
    /// How to fix it.
    pub help: Option<String>,
}

/// A failed build, rendered once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The errors, in the build's order.
    pub problems: Vec<Problem>,
    /// What the terminal prints (each error in full, as `dossier build` prints it).
    pub text: String,
    /// The overlay, an HTML fragment.
    pub overlay: String,
}

impl Failure {
    /// Renders a build error.
    pub fn from_error(error: &anyhow::Error) -> Failure {
        let mut problems = Vec::new();
        let mut text = String::new();
        if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
            problems.extend(diagnostics.0.iter().map(Problem::from));
            text.push_str(&diagnostics.to_string());
        }
        for layer in error.chain().filter(|l| !l.is::<Diagnostics>()) {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("error: {layer}"));
            problems.push(Problem {
                location: String::new(),
                message: layer.to_string(),
                snippet: None,
                line: None,
                column: None,
                help: None,
            });
        }
        let overlay = render_overlay(&problems);
        Failure { problems, text, overlay }
    }

    /// A whole page for when there is no good build to show underneath.
    pub fn page(&self, base: &str) -> String {
        let head = super::reload::head_tags(base);
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Build failed · dossier serve</title>{head}</head>\
             <body class=\"dossier-failed\">{}<main><p>The dossier has not built yet. \
             Fix the errors above and save: this page reloads by itself.</p></main></body></html>\n",
            self.overlay
        )
    }
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem {
            location: d.location(),
            message: d.message.clone(),
            snippet: d.snippet.clone(),
            line: d.position.map(|p| p.0),
            column: d.position.map(|p| p.1),
            help: d.help.clone(),
        }
    }
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// The overlay fragment: a titled list of the errors, with a button to put it aside.
fn render_overlay(problems: &[Problem]) -> String {
    let n = problems.len();
    let mut out = String::from(
        "<section id=\"dossier-overlay\" role=\"alertdialog\" aria-modal=\"false\" \
         aria-labelledby=\"dossier-overlay-title\" aria-describedby=\"dossier-overlay-note\">",
    );
    out.push_str(&format!(
        "<h2 id=\"dossier-overlay-title\">The dossier did not build: {}</h2>\
         <p id=\"dossier-overlay-note\">Below is the last good build. Fix the file and save; \
         this page updates by itself.</p><ol>",
        plural(n, "error", "errors")
    ));
    for p in problems {
        out.push_str("<li>");
        if !p.location.is_empty() {
            out.push_str(&format!(
                "<p class=\"dossier-location\"><code>{}</code></p>",
                esc(&p.location)
            ));
        }
        out.push_str(&format!("<p class=\"dossier-message\">{}</p>", esc(&p.message)));
        if let (Some(snippet), Some(line), Some(column)) = (&p.snippet, p.line, p.column) {
            let gutter = line.to_string();
            let pad: String = snippet
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "<pre class=\"dossier-snippet\"><span aria-hidden=\"true\">{gutter} | </span>{}\n\
                 <span aria-hidden=\"true\">{} | {pad}^</span></pre>",
                esc(snippet),
                " ".repeat(gutter.len()),
            ));
        }
        if let Some(help) = &p.help {
            out.push_str(&format!("<p class=\"dossier-help\">help: {}</p>", esc(help)));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol><button type=\"button\" data-dossier-dismiss>Hide</button></section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_errors_keep_position_snippet_and_help_all_escaped() {
        let d = Diagnostic::error("content/a.md", "unknown field `<titel>`")
            .at("---\ntitel: x\n", 2, 1)
            .help("did you mean `title`?");
        let err = anyhow::Error::new(Diagnostics::sorted(vec![d]));
        let f = Failure::from_error(&err);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].location, "content/a.md:2:1");
        assert!(
            f.text.starts_with("error: content/a.md:2:1: unknown field `<titel>`"),
            "{}",
            f.text
        );
        assert!(f.overlay.starts_with("<section id=\"dossier-overlay\" role=\"alertdialog\""));
        assert!(f.overlay.contains("1 error</h2>"), "{}", f.overlay);
        assert!(f.overlay.contains("<code>content/a.md:2:1</code>"), "{}", f.overlay);
        assert!(f.overlay.contains("unknown field `&lt;titel&gt;`"), "{}", f.overlay);
        assert!(f.overlay.contains("2 | </span>titel: x\n<span aria-hidden=\"true\">  | ^</span>"));
        assert!(f.overlay.contains("help: did you mean `title`?"), "{}", f.overlay);
    }

    #[test]
    fn other_errors_are_listed_by_their_chain() {
        let err = anyhow::anyhow!("cannot read `x`").context("loading failed");
        let f = Failure::from_error(&err);
        assert_eq!(f.text, "error: loading failed\nerror: cannot read `x`");
        assert!(f.overlay.contains("2 errors</h2>"), "{}", f.overlay);
        let page = f.page("/x/");
        assert!(page.contains("src=\"/x/__dossier/livereload.js\""), "{page}");
        assert!(page.contains(&f.overlay));
    }
}
