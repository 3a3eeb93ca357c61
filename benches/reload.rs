//! Edit-to-reload latency of `dossier serve`: the time from writing an article to the `reload`
//! event reaching a server-sent-events client, on a copy of a dossier, for saves made at each
//! of several spacings (as a person saves now and then: between saves the server settles the
//! previous one and builds the search index in the background, and a save may arrive while it
//! does).
//!
//! ```sh
//! cargo bench --bench reload                        # the repository's dossier
//! cargo run --release --example gen_corpus -- 10000 /tmp/corpus-10k
//! DOSSIER_BENCH_ROOT=/tmp/corpus-10k cargo bench --bench reload
//! ```
//!
//! Each save appends a line to one article; saves follow each other every
//! `DOSSIER_BENCH_SPACINGS` ms (default `0,1000,2000,5000`; 0 = as soon as the last reload
//! arrived), `DOSSIER_BENCH_EDITS` saves per spacing (default 20). For each spacing the report
//! gives the median, minimum and maximum latency, how many saves took over 100 ms, and the
//! median rebuild time the server printed. Results are written down in BENCHMARKS.md.

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
    let spacings: Vec<u64> = std::env::var("DOSSIER_BENCH_SPACINGS")
        .unwrap_or_else(|_| "0,1000,2000,5000".into())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let edits: usize =
        std::env::var("DOSSIER_BENCH_EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(EDITS);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "dossier serve, {} articles ({}): first build + start {:.0} ms",
        names.len(),
        root.display(),
        ms(first_build),
    );
    let mut probe = 0;
    for spacing in spacings {
        let spacing = Duration::from_millis(spacing);
        let mut latencies = Vec::new();
        let mut rebuilds = Vec::new();
        let mut next = Instant::now() + spacing;
        for _ in 0..edits {
            if spacing > Duration::ZERO {
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
                next += spacing;
            }
            probe += 1;
            let t = Instant::now();
            std::fs::write(&article, format!("{text}\nLatency probe {probe}.\n")).unwrap();
            let (event, data) = events.next().expect("a reload event");
            assert_eq!(event, "reload", "{data}");
            latencies.push(t.elapsed());
            let line = server.wait_line(|l| l.starts_with("Rebuilt in "));
            let rebuilt: f64 = line["Rebuilt in ".len()..]
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(f64::NAN);
            rebuilds.push(rebuilt);
        }
        let slow = latencies.iter().filter(|d| **d > Duration::from_millis(100)).count();
        latencies.sort();
        rebuilds.sort_by(f64::total_cmp);
        println!(
            "  saves {} ms apart, {edits} saves: edit-to-reload median {:.0} ms (min {:.0}, max {:.0}), \
             {slow} over 100 ms; server's rebuild time: median {:.0} ms",
            spacing.as_millis(),
            ms(latencies[edits / 2]),
            ms(latencies[0]),
            ms(latencies[edits - 1]),
            rebuilds[edits / 2],
        );
    }
}
