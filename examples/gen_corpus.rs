//! Writes a SYNTHETIC corpus of N articles for benchmarks and scale tests, as a dossier or as
//! the same articles as a Hugo site:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- 10000 /tmp/corpus-10k [--seed 1]
//! cargo run --release --example gen_corpus -- 10000 /tmp/hugo-10k --format hugo
//! ```
//!
//! The generator itself is `benches/support/corpus.rs` (shared with `benches/build.rs`); this
//! is its command line. The target directory must not exist or be empty, so a corpus is never
//! written into a real dossier.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use corpus::Format;

const USAGE: &str = "usage: gen_corpus N DIR [--seed S] [--format dossier|hugo]";

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).ok_or(USAGE)?;
    let dir = PathBuf::from(args.next().ok_or(USAGE)?);
    let mut seed = 1;
    let mut format = Format::Dossier;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--seed" => seed = value.parse().map_err(|_| format!("bad seed {value:?}; {USAGE}"))?,
            "--format" => {
                format = Format::parse(&value)
                    .ok_or_else(|| format!("unknown format {value:?}; {USAGE}"))?;
            }
            _ => return Err(format!("unknown option {flag:?}; {USAGE}")),
        }
    }
    let files = corpus::files(n, seed, format);
    corpus::write(&dir, &files)?;
    let kind = match format {
        Format::Dossier => "dossier",
        Format::Hugo => "Hugo site",
    };
    println!(
        "wrote a synthetic {kind} of {n} articles ({} files) to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}
