//! [`ContentIndex`]: which site path each content file is published at, for resolving `@/`
//! links in Markdown.

use std::collections::BTreeMap;

use super::context::{actor_path, article_path, claim_path, outlet_path, page_path};
use crate::content::Site;

/// Maps `@/` content paths to site paths. It depends only on which content files there are,
/// so a caller rendering one article after a body edit
/// ([`super::render_article_body_edit`]) keeps it.
#[derive(Debug, Clone)]
pub struct ContentIndex(BTreeMap<String, String>);

impl ContentIndex {
    /// The index of `site`'s content files.
    pub fn new(site: &Site) -> Self {
        let strip = |s: &str| s.strip_prefix("content/").unwrap_or(s).to_string();
        let mut map = BTreeMap::new();
        map.insert("_index.md".to_string(), String::new());
        for a in &site.articles {
            map.insert(strip(&a.source), article_path(&a.slug));
        }
        for o in site.outlets.values() {
            map.insert(strip(&o.source), outlet_path(&o.id));
        }
        for a in site.actors.values() {
            map.insert(strip(&a.source), actor_path(&a.id));
        }
        for c in &site.claims {
            map.insert(strip(&c.source), claim_path(&c.id));
        }
        if !site.timeline.source.is_empty() {
            map.insert(strip(&site.timeline.source), "timeline/".into());
        }
        for p in &site.pages {
            map.insert(strip(&p.source), page_path(&p.slug));
        }
        ContentIndex(map)
    }

    pub(super) fn resolve(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}
