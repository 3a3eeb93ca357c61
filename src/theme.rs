//! The built-in theme (templates and stylesheet compiled into the binary) and a dossier's
//! overrides of it.
//!
//! The theme is this repository's own `templates/` and `static/`, embedded with `include_str!`,
//! so any directory with `dossier.yaml` and `content/` builds without copying templates. A
//! dossier's `templates/<name>` replaces the built-in template of that name (and may add new
//! ones); its `static/<path>` replaces the built-in file at that path.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fs::{display_path, is_ignored_name, read_text};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

/// The built-in templates, by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
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
    "partials/article_list.html",
    "partials/attributed.html",
    "partials/capture.html",
    "partials/citations.html",
    "partials/domains.html",
    "partials/evidence.html",
    "partials/pagination.html",
    "partials/positions.html",
    "partials/published.html",
    "partials/search_box.html",
    "partials/sources.html",
    "partials/stance.html",
    "partials/status.html",
);

/// The built-in static files, by output path.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("search.js", include_bytes!("../static/search.js")),
    ("style.css", include_bytes!("../static/style.css")),
];

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The name templates use to refer to it: `article.html`, `partials/components.html`.
    pub name: String,
    /// Where it came from, for messages: `templates/article.html` or `built-in theme`.
    pub origin: String,
    /// The template text.
    pub text: String,
}

/// What the dossier's own theme directories are called.
pub const TEMPLATES_DIR: &str = "templates";
/// See [`TEMPLATES_DIR`].
pub const STATIC_DIR: &str = "static";

/// The built-in templates, overridden by (and extended with) the files in `<root>/templates/`.
pub fn load_templates(root: &Path) -> Result<Vec<TemplateSource>, Diagnostics> {
    let mut out: Vec<TemplateSource> = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, text)| TemplateSource {
            name: (*name).to_string(),
            origin: format!("built-in theme ({name})"),
            text: (*text).to_string(),
        })
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    let mut errors = Vec::new();
    for (path, shown) in files_under(root, &dir, &mut errors) {
        let name = display_path(&dir, &path);
        match read_text(&path, &shown) {
            Ok(text) => {
                let source = TemplateSource { name: name.clone(), origin: shown, text };
                match out.iter_mut().find(|t| t.name == name) {
                    Some(builtin) => *builtin = source,
                    None => out.push(source),
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(Diagnostics::sorted(errors)) }
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticContents {
    /// A file under the dossier's `static/`.
    File(PathBuf),
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file read into memory at load time (stylesheets and scripts, see [`load_assets`]).
    Loaded(std::sync::Arc<[u8]>),
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, relative to the output directory: [`StaticFile::name`], or for a
    /// fingerprinted asset `style.<hash>.css`.
    pub path: String,
    /// The path templates and Markdown ask for: `style.css`.
    pub name: String,
    /// Where it came from, for messages.
    pub origin: String,
    /// Its bytes.
    pub contents: StaticContents,
}

/// The dossier's `static/` files plus the built-in ones it does not override, sorted by path.
pub fn static_files(root: &Path) -> Result<Vec<StaticFile>, Diagnostic> {
    let dir = root.join(STATIC_DIR);
    let mut errors = Vec::new();
    let mut out: Vec<StaticFile> = files_under(root, &dir, &mut errors)
        .into_iter()
        .map(|(path, shown)| StaticFile {
            path: display_path(&dir, &path),
            name: display_path(&dir, &path),
            origin: shown,
            contents: StaticContents::File(path),
        })
        .collect();
    if let Some(first) = errors.into_iter().next() {
        return Err(first);
    }
    for (path, bytes) in BUILTIN_STATIC {
        if !out.iter().any(|f| f.path == *path) {
            out.push(StaticFile {
                path: (*path).to_string(),
                name: (*path).to_string(),
                origin: format!("built-in theme ({path})"),
                contents: StaticContents::Embedded(bytes),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Which static files are fingerprinted: stylesheets and scripts, which pages link to by name.
fn is_fingerprinted(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js") || name.ends_with(".mjs")
}

/// Reads stylesheets and scripts into memory (templates may inline them) and, when
/// `fingerprint` is set, renames them to `name.<hash>.ext`, where `<hash>` is the first 10 hex
/// digits of the SHA-256 of their bytes: the name changes exactly when the contents do, so a
/// cache may keep them forever. The list stays sorted by output path.
pub fn load_assets(files: &mut [StaticFile], fingerprint: bool) -> Result<(), Diagnostic> {
    for f in files.iter_mut().filter(|f| is_fingerprinted(&f.name)) {
        if let StaticContents::File(path) = &f.contents {
            let bytes = std::fs::read(path).map_err(|e| {
                Diagnostic::error(&f.origin, format!("cannot read: {e}"))
                    .help("check the file's permissions")
            })?;
            f.contents = StaticContents::Loaded(bytes.into());
        }
        if fingerprint {
            let hash = crate::hash::sha256_hex(f.bytes().unwrap_or_default());
            let (stem, ext) = f.name.rsplit_once('.').unwrap_or((&f.name, ""));
            f.path = format!("{stem}.{}.{ext}", &hash[..10]);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(())
}

impl StaticFile {
    /// The file's bytes, when they are in memory (built-in files and loaded assets).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.contents {
            StaticContents::Embedded(b) => Some(b),
            StaticContents::Loaded(b) => Some(b),
            StaticContents::File(_) => None,
        }
    }
}

/// Logical name → output path of every static file whose output path differs from its name.
pub fn asset_map(files: &[StaticFile]) -> std::collections::BTreeMap<String, String> {
    files.iter().filter(|f| f.path != f.name).map(|f| (f.name.clone(), f.path.clone())).collect()
}

/// Regular files under `dir` (sorted, editor and hidden files skipped, except `.well-known`).
/// Symbolic links are refused: the dossier must be complete on its own.
fn files_under(root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let keep = |e: &walkdir::DirEntry| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || name == ".well-known" || !is_ignored_name(&name)
    };
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(keep) {
        match entry {
            Ok(e) if e.path_is_symlink() => errors.push(
                Diagnostic::error(
                    display_path(root, e.path()),
                    "is a symbolic link; dossier does not follow links",
                )
                .help("replace the link with the file itself"),
            ),
            Ok(e) if e.file_type().is_file() => {
                let shown = display_path(root, e.path());
                out.push((e.into_path(), shown));
            }
            Ok(_) => {}
            Err(e) => {
                errors.push(Diagnostic::error(display_path(root, dir), format!("cannot read: {e}")))
            }
        }
    }
    out
}
