//! The variables every template sees (`config`, `nav`, `generator`): made once per build from
//! the site, and hashed into every template's cache key (see [`super::cache`]).

use serde::Serialize;
use tera::Context;

use super::context::{page_path, taxonomy_path};
use crate::content::Site;

/// A navigation entry.
#[derive(Debug, Serialize)]
struct NavItem {
    title: String,
    path: String,
}

/// The variables every template sees.
#[derive(Serialize)]
pub(super) struct Globals<'a> {
    config: &'a crate::config::Config,
    nav: Vec<NavItem>,
    generator: String,
}

/// The variables every template sees: `config`, `nav`, `generator`.
pub fn global_context(site: &Site) -> Context {
    let g = globals(site);
    let mut ctx = Context::new();
    ctx.insert("config", g.config);
    ctx.insert("nav", &g.nav);
    ctx.insert("generator", &g.generator);
    ctx
}

pub(super) fn globals(site: &Site) -> Globals<'_> {
    let mut nav = vec![
        NavItem { title: "Overview".into(), path: String::new() },
        NavItem { title: "The dispute".into(), path: "dispute/".into() },
        NavItem { title: "Timeline".into(), path: "timeline/".into() },
        NavItem { title: "Coverage".into(), path: "coverage/".into() },
        NavItem { title: "Articles".into(), path: "articles/".into() },
        NavItem { title: "Outlets".into(), path: "outlets/".into() },
        NavItem { title: "Actors".into(), path: "actors/".into() },
    ];
    for t in &site.taxonomies {
        nav.push(NavItem { title: t.title.clone(), path: taxonomy_path(t.kind) });
    }
    let mut menu: Vec<_> = site.pages.iter().filter(|p| p.meta.menu).collect();
    menu.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
    nav.extend(
        menu.into_iter().map(|p| NavItem { title: p.meta.title.clone(), path: page_path(&p.slug) }),
    );

    Globals {
        config: &site.config,
        nav,
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
    }
}
