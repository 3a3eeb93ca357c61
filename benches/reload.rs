//! Edit-to-reload latency of `dossier serve`: the time from writing an article to the `reload`
//! event reaching a server-sent-events client, over 20 edits, on a copy of a dossier.
//!
//! ```sh
//! cargo bench --bench reload                        # the repository's dossier
//! cargo run --release --example gen_corpus -- 10000 /tmp/corpus-10k
//! DOSSIER_BENCH_ROOT=/tmp/corpus-10k cargo bench --bench reload
//! ```
//!
//! Each edit appends a line to one article and waits for the reload and for the terminal's
//! `Rebuilt in N ms` line; the report gives the median, the minimum and the maximum, and the
//! median rebuild time the server itself printed. Results are written down in BENCHMARKS.md.
//!
//! By default the edits follow each other at once (the server's settling rebuild, which waits
//! for the sources to be still for 100 ms, then never runs between them).
//! `DOSSIER_BENCH_PAUSE_MS=N` waits N ms after each reload before the next edit, as a person
//! saving now and then does: the settling rebuild and the background search index then run
//! between edits, and an edit may arrive while they do.

// Bench code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use support::serve::{Events, Server};

const EDITS: usize = 20;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let root = std::env::var_os("DOSSIER_BENCH_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(support::repo_root);
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    for part in ["dossier.yaml", "content", "templates", "static"] {
        let from = root.join(part);
        if from.is_dir() {
            support::copy_dir(&from, &copy.join(part));
        } else if from.is_file() {
            std::fs::create_dir_all(&copy).unwrap();
            std::fs::copy(&from, copy.join(part)).unwrap();
        }
    }
    let articles_dir = copy.join("content/articles");
    let mut names: Vec<String> = std::fs::read_dir(&articles_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let article = articles_dir.join(&names[names.len() / 2]);
    let text = std::fs::read_to_string(&article).unwrap();

    let started = Instant::now();
    let server = Server::start(&copy, &[]);
    let first_build = started.elapsed();
    let events = Events::connect(&server);
    let pause = std::env::var("DOSSIER_BENCH_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::ZERO, Duration::from_millis);
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..EDITS {
        std::thread::sleep(pause);
        let t = Instant::now();
        std::fs::write(&article, format!("{text}\nLatency probe {i}.\n")).unwrap();
        let (event, data) = events.next().expect("a reload event");
        assert_eq!(event, "reload", "{data}");
        latencies.push(t.elapsed());
        let line = server.wait_line(|l| l.starts_with("Rebuilt in "));
        let ms: f64 = line["Rebuilt in ".len()..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN);
        rebuilds.push(ms);
    }
    latencies.sort();
    rebuilds.sort_by(f64::total_cmp);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "dossier serve, {} articles ({}): first build + start {:.0} ms; edit-to-reload over {EDITS} \
         edits {} ms apart: median {:.0} ms (min {:.0}, max {:.0}); server's rebuild time: median {:.0} ms",
        names.len(),
        root.display(),
        ms(first_build),
        pause.as_millis(),
        ms(latencies[EDITS / 2]),
        ms(latencies[0]),
        ms(latencies[EDITS - 1]),
        rebuilds[EDITS / 2],
    );
}
