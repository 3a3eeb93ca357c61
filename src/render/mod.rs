//! Pure transforms from the model to output bytes: Markdown, templates, and one function per
//! kind of page. Nothing here touches the filesystem.
//!
//! A build makes a [`Plan`] of the site (every page and feed as a job, and the files made
//! without a template), then renders its jobs one by one, in any order, with
//! [`Plan::render`]. The files of this module, by concern:
//!
//! - `page`: [`Page`] and [`FileKind`], what rendering makes.
//! - `globals`: the variables every template sees.
//! - `index`: [`ContentIndex`], the site path of each content file (for `@/` links).
//! - `site_markdown`: Markdown with the site's settings, problems located in their files.
//! - `jobs`: a page to render (path, template, context) and paginated lists of them.
//! - `plan`: [`Plan`], the whole build's jobs in order, and rendering one of them.
//! - `pages`, `editorial` (the claims ledger and the views the editorial pages share),
//!   `timeline_page`, `coverage` (with the article index) and `actors`: one function per kind
//!   of page.
//! - `cache`: each page's key, so that `dossier serve` renders only pages whose inputs
//!   changed.
//! - [`templates`], [`context`], [`markdown`], [`urls`], [`publish`], [`data`], [`paginate`],
//!   [`timeline_svg`]: the Tera environment, template views, Markdown to HTML, relative links,
//!   feeds and sitemaps, the JSON data files, pagination, and the timeline's drawing.

mod actors;
mod cache;
pub mod context;
mod coverage;
pub mod data;
mod editorial;
mod globals;
mod index;
mod jobs;
pub mod markdown;
pub(crate) mod nesting;
mod page;
mod pages;
pub mod paginate;
mod plan;
pub mod publish;
mod site_markdown;
pub mod templates;
mod timeline_page;
pub mod timeline_svg;
pub mod urls;

pub use cache::{Memo, template_keys};
pub use globals::global_context;
pub use index::ContentIndex;
pub use page::{FileKind, Page};
pub use plan::{Plan, Rendered, render_article_body_edit};
pub use templates::Templates;
