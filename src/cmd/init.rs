//! `dossier init DIR`: refuse a directory with files in it, then write the new dossier's files
//! from [`dossier::scaffold::init_files`] and say what to do next.

use std::path::Path;

use anyhow::{Context, bail};
use dossier::scaffold;

use crate::cli::InitArgs;
use crate::cmd::new::write_new;

/// Creates the dossier and prints the next steps.
pub fn run(args: &InitArgs) -> anyhow::Result<()> {
    let dir = &args.dir;
    refuse_non_empty(dir)?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    let title = match &args.title {
        Some(t) if t.trim().is_empty() => bail!("the title is empty: give one with --title"),
        Some(t) => t.trim().to_string(),
        None => {
            let full = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let name = full.file_name().map(|n| n.to_string_lossy().into_owned());
            scaffold::title_from_dir_name(name.as_deref().unwrap_or_default())
        }
    };
    let files = scaffold::init_files(&title);
    for (rel, bytes) in &files {
        write_new(dir, rel, bytes, "dossier init writes only into a new or empty directory")?;
    }
    let shown = dir.display();
    outln!("Created the dossier “{title}” in {shown} ({} files).", files.len());
    outln!();
    outln!("Next steps:");
    outln!("  cd {shown}");
    outln!("  dossier serve          # preview it, rebuilt as you save");
    outln!("  dossier new outlet ID --name NAME --domain DOMAIN");
    outln!("  dossier new article --outlet ID --title TITLE --url URL --published DATE");
    outln!("  dossier build          # write the site into public/");
    Ok(())
}

/// Fails when `dir` is a file, or a directory with any entry other than hidden ones (`.git`).
fn refuse_non_empty(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("{} exists and is not a directory\n  help: choose a new directory", dir.display());
    }
    let mut visible: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| !name.starts_with('.'))
        .collect();
    if visible.is_empty() {
        return Ok(());
    }
    visible.sort();
    let more = if visible.len() > 3 { ", …" } else { "" };
    let listed: Vec<String> = visible.iter().take(3).map(|n| format!("`{n}`")).collect();
    bail!(
        "{} is not empty (it holds {}{more}); dossier init creates a dossier only in a new or \
         empty directory\n  help: choose another directory, or move those files away",
        dir.display(),
        listed.join(", ")
    )
}
