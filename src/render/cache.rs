//! The render cache's keys. Rendering a page is a pure function of its template (with every
//! template it extends or includes), the variables every template sees, the link settings, and
//! the page's context; a page's key is a SHA-256 of all that. For `dossier serve`,
//! [`super::Plan::render`] takes a page from the caller's [`Memo`] when its key is there. Which
//! templates a template uses is found conservatively from its text (see [`template_keys`]), so
//! an edit of `outlet.html` re-renders the outlet pages only, and an edit of `base.html` every
//! page.

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::globals::globals;
use super::jobs::PageJob;
use super::templates::Templates;
use crate::content::Site;

/// A memo of pages rendered by earlier builds: the bytes of the page at a path, if it was
/// rendered with this key.
pub type Memo<'m> = &'m (dyn Fn(&str, &[u8; 32]) -> Option<Bytes> + Sync);

/// An `io::Write` that feeds a SHA-256.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Feeds `bytes` to `hasher` with its length first, so that consecutive fields cannot run
/// into each other.
fn hash_field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Each template's key: a SHA-256 of the global variables, the link settings, and the name and
/// text of the template and of every template it may use, found conservatively: a template
/// uses another if the other's name appears anywhere in its text (`extends`, `include` and
/// `import` take literal names), and every template uses every template that mentions
/// `component` (Tera's components are global) or writes a name with a backslash escape.
pub fn template_keys(site: &Site, templates: &Templates) -> BTreeMap<String, [u8; 32]> {
    let sources: BTreeMap<&str, &str> =
        templates.sources().map(|s| (s.name.as_str(), s.text.as_str())).collect();
    let uses = template_uses(&sources);
    let mut common = Sha256::new();
    let _ = serde_json::to_writer(HashWriter(&mut common), &globals(site));
    let links = templates.links();
    hash_field(&mut common, &[u8::from(links.pretty)]);
    hash_field(&mut common, links.base_url_str().as_bytes());
    for (name, path) in &links.assets {
        hash_field(&mut common, name.as_bytes());
        hash_field(&mut common, path.as_bytes());
    }
    uses.into_iter()
        .map(|(name, closure)| {
            let mut h = common.clone();
            for t in closure {
                hash_field(&mut h, t.as_bytes());
                hash_field(&mut h, sources[t].as_bytes());
            }
            (name.to_string(), h.finalize().into())
        })
        .collect()
}

/// Every template a template may use, itself included, directly or not (see [`template_keys`]).
fn template_uses<'a>(sources: &BTreeMap<&'a str, &str>) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let everywhere: BTreeSet<&str> = sources
        .iter()
        .filter(|(_, text)| text.contains("component") || text.contains('\\'))
        .map(|(name, _)| *name)
        .collect();
    let direct: BTreeMap<&str, BTreeSet<&str>> = sources
        .iter()
        .map(|(name, text)| {
            let mut uses: BTreeSet<&str> =
                sources.keys().copied().filter(|other| text.contains(other)).collect();
            uses.extend(everywhere.iter().copied());
            (*name, uses)
        })
        .collect();
    direct
        .keys()
        .map(|name| {
            let mut closure: BTreeSet<&str> = BTreeSet::new();
            let mut todo = vec![*name];
            while let Some(t) = todo.pop() {
                if closure.insert(t) {
                    todo.extend(direct[t].iter().copied());
                }
            }
            (*name, closure)
        })
        .collect()
}

/// A page's key: its template's key and its context.
pub(super) fn job_key(keys: &BTreeMap<String, [u8; 32]>, job: &PageJob) -> [u8; 32] {
    let mut h = Sha256::new();
    hash_field(&mut h, job.template.as_bytes());
    hash_field(&mut h, keys.get(job.template).map_or(&[][..], |k| &k[..]));
    // JSON keeps what a template can see of the values: strings (escaped), numbers as written
    // (`1` is not `1.0`), map order; which of the fixed Rust types a variable has is decided by
    // the code that made it. Writing into a hasher cannot fail, and Tera values always
    // serialize to JSON.
    let _ = serde_json::to_writer(HashWriter(&mut h), &job.context.variables());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(sources: &[(&'static str, &'static str)]) -> Vec<(&'static str, Vec<&'static str>)> {
        let map: BTreeMap<&str, &str> = sources.iter().copied().collect();
        template_uses(&map).into_iter().map(|(n, u)| (n, u.into_iter().collect())).collect()
    }

    #[test]
    fn a_template_uses_what_it_extends_and_includes_transitively() {
        let got = uses(&[
            ("base.html", "<body>{% include \"partials/box.html\" %}{% block c %}{% endblock c %}"),
            ("outlet.html", "{% extends \"base.html\" %}"),
            ("partials/box.html", "<form></form>"),
            ("atom.xml", "<feed></feed>"),
        ]);
        assert_eq!(
            got,
            [
                ("atom.xml", vec!["atom.xml"]),
                ("base.html", vec!["base.html", "partials/box.html"]),
                ("outlet.html", vec!["base.html", "outlet.html", "partials/box.html"]),
                ("partials/box.html", vec!["partials/box.html"]),
            ]
        );
    }

    #[test]
    fn components_and_escaped_names_are_used_by_every_template() {
        let got = uses(&[
            ("a.html", "{% component card(x) %}{{ x }}{% endcomponent card %}"),
            ("b.html", "{% include \"p\\u{2f}c.html\" %}"),
            ("c.html", "plain"),
        ]);
        assert_eq!(got[2], ("c.html", vec!["a.html", "b.html", "c.html"]));
    }
}
