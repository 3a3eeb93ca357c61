//! `dossier new article` and `dossier new outlet`: check the names against the dossier, then
//! write the skeleton from [`dossier::scaffold`], never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dossier::config::CONFIG_FILE;
use dossier::content::article::Kind;
use dossier::scaffold::{self, ArticleSpec, OutletSpec};

use crate::cli::{ArticleKind, NewArticleArgs, NewCommand, NewOutletArgs};

/// Writes the article or outlet skeleton and prints its path.
pub fn run(what: &NewCommand) -> anyhow::Result<()> {
    match what {
        NewCommand::Article(args) => article(args),
        NewCommand::Outlet(args) => outlet(args),
    }
}

fn article(args: &NewArticleArgs) -> anyhow::Result<()> {
    require_dossier(&args.root)?;
    let known = outlet_ids(&args.root)?;
    scaffold::check_outlet(&args.outlet, &known).map_err(anyhow::Error::msg)?;
    let spec = ArticleSpec {
        outlet: args.outlet.clone(),
        title: args.title.clone(),
        url: args.url.clone(),
        published: args.published,
        kind: match args.kind {
            ArticleKind::Report => Kind::Report,
            ArticleKind::FullText => Kind::FullText,
        },
        source_note: args.source_note.clone(),
        slug: args.slug.clone(),
    };
    scaffold::check_article(&spec).map_err(anyhow::Error::msg)?;
    let rel = format!("{}/{}", scaffold::ARTICLES_DIR, scaffold::article_file_name(&spec));
    let help = "edit that file, or pass --slug to name the new article differently";
    write_new(&args.root, &rel, scaffold::article_text(&spec).as_bytes(), help)?;
    outln!("Created {}", shown(&args.root, &rel).display());
    Ok(())
}

fn outlet(args: &NewOutletArgs) -> anyhow::Result<()> {
    require_dossier(&args.root)?;
    scaffold::check_id(&args.id, "outlet id").map_err(anyhow::Error::msg)?;
    let spec =
        OutletSpec { id: args.id.clone(), name: args.name.clone(), domains: args.domains.clone() };
    let rel = format!("{}/{}", scaffold::OUTLETS_DIR, scaffold::outlet_file_name(&args.id));
    if let Some(other) = outlet_files(&args.root)?.into_iter().find(|(id, _)| *id == args.id) {
        bail!(
            "the outlet `{}` already exists: {}\n  help: edit that file, or choose another id",
            args.id,
            other.1
        );
    }
    let help = "edit that file, or choose another id";
    write_new(&args.root, &rel, scaffold::outlet_text(&spec).as_bytes(), help)?;
    outln!("Created {}", shown(&args.root, &rel).display());
    Ok(())
}

/// Fails unless `root` holds a `dossier.yaml`, with the message the build gives.
fn require_dossier(root: &Path) -> anyhow::Result<()> {
    if !root.join(CONFIG_FILE).is_file() {
        bail!(
            "no {CONFIG_FILE} in `{}`: run dossier in a dossier's directory, or pass --root DIR \
             (`dossier init DIR` creates a new dossier)",
            root.display()
        );
    }
    Ok(())
}

/// The outlet ids (sorted) and their files, as the loader names them: the slug of each
/// `content/outlets/*.yaml` or `*.yml` file's name.
fn outlet_files(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let dir = root.join(scaffold::OUTLETS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if is_yaml && !dossier::fs::is_ignored_name(&name) {
            let rel = format!("{}/{name}", scaffold::OUTLETS_DIR);
            out.push((dossier::content::document::slug_of(&rel), rel));
        }
    }
    out.sort();
    Ok(out)
}

fn outlet_ids(root: &Path) -> anyhow::Result<Vec<String>> {
    Ok(outlet_files(root)?.into_iter().map(|(id, _)| id).collect())
}

/// `root/rel` for messages, without a leading `./`.
pub(super) fn shown(root: &Path, rel: &str) -> PathBuf {
    let path = root.join(rel);
    path.strip_prefix(".").map(Path::to_path_buf).unwrap_or(path)
}

/// Creates `root/rel` (and its directories) with `bytes`; an existing file is an error that
/// names it, with `help`, and is left untouched.
pub(super) fn write_new(root: &Path, rel: &str, bytes: &[u8], help: &str) -> anyhow::Result<()> {
    let path = root.join(rel);
    let display = shown(root, rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the directory {}", parent.display()))?;
    }
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; dossier never overwrites a file\n  help: {help}",
                display.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", display.display())),
    };
    file.write_all(bytes).with_context(|| format!("cannot write {}", display.display()))
}
