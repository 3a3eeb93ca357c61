//! `dossier import`: plan the import with [`dossier::import::plan`], print it, and (unless
//! `--dry-run`) carry it out with [`dossier::import::apply`].

use anyhow::bail;
use dossier::config::CONFIG_FILE;
use dossier::content::article::Kind;
use dossier::diagnostics::plural;
use dossier::import::{self, Options, Outcome};

use crate::cli::{ArticleKind, ImportArgs};

/// Imports the captures and prints each record and what became of it.
pub fn run(args: &ImportArgs) -> anyhow::Result<()> {
    if !args.root.join(CONFIG_FILE).is_file() {
        bail!(
            "no {CONFIG_FILE} in `{}`: run dossier in a dossier's directory, or pass --root DIR",
            args.root.display()
        );
    }
    let options = Options {
        outlet: args.outlet.clone(),
        kind: match args.kind {
            ArticleKind::Report => Kind::Report,
            ArticleKind::FullText => Kind::FullText,
        },
        url: args.url.clone(),
    };
    let plan = import::plan(&args.root, &args.files, &options)?;
    let verb = if args.dry_run { "would write" } else { "wrote" };
    for outcome in &plan.outcomes {
        match outcome {
            Outcome::Article { from, path, notes } => {
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join("; "))
                };
                outln!("{from} → {}{notes}", super::new::shown(&args.root, path).display());
            }
            Outcome::Already { from, path } => {
                outln!(
                    "{from}: already imported, in {}",
                    super::new::shown(&args.root, path).display()
                )
            }
            Outcome::Skipped(s) => outln!("{}: skipped: {}", s.what, s.why),
            Outcome::Others { capture, counts } => {
                let list: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
                outln!("{capture}: skipped: {} (records that are not pages)", list.join(", "));
            }
        }
    }
    for c in &plan.captures {
        let state = if c.exists { "kept (already there)" } else { verb };
        outln!(
            "capture {}: {state} {}",
            c.from.display(),
            super::new::shown(&args.root, &c.to).display()
        );
    }
    if !args.dry_run {
        import::apply(&args.root, &plan)?;
    }
    let n = plan.articles.len();
    let articles = plural(n, "article", "articles");
    let new_captures = plan.captures.iter().filter(|c| !c.exists).count();
    if args.dry_run {
        outln!(
            "Dry run: {articles} and {new_captures} capture(s) would be written; nothing was \
                written."
        );
    } else {
        outln!(
            "Imported {articles}; {new_captures} capture(s) copied. Check each text against its \
                capture, then run `dossier build`."
        );
    }
    Ok(())
}
