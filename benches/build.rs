//! Build benchmarks over generated corpora (issue 7): for each corpus size, the full build of
//! the release binary, the in-process single-article incremental rebuild, and snapshots.
//!
//! ```sh
//! cargo bench --bench build                                   # 1,000 and 10,000 articles
//! DOSSIER_BENCH_SIZES=1000 cargo bench --bench build          # a quick run
//! DOSSIER_BENCH_SIZES=100000 DOSSIER_BENCH_RUNS=1 cargo bench --bench build
//! ```
//!
//! Settings, all from the environment: `DOSSIER_BENCH_SIZES` (comma-separated article counts,
//! default `1000,10000`), `DOSSIER_BENCH_RUNS` (full builds per size, default 3; 1 at 100,000
//! and more), `DOSSIER_BENCH_EDITS` (incremental edits per size, default 20),
//! `DOSSIER_BENCH_SNAPSHOT_SIZES` (the sizes also snapshotted, default `10000`; `none` for none),
//! `DOSSIER_BENCH_SEED` (default 1).
//!
//! - **Full build**: `dossier build --quiet` (the binary Cargo built for this bench, so
//!   `cargo bench` builds it with the release profile) into a fresh output directory, several
//!   runs; the minimum and median wall time, the median CPU time (user + system) and the largest
//!   peak RSS, the last two from GNU time (`/usr/bin/time`, Debian package `time`) when present.
//! - **Incremental rebuild**: in-process through [`dossier::incremental::Session`], as
//!   `dossier serve` does (search index deferred): a first build, then edits of one article's
//!   body, each followed by `quick_rebuild(&[path])` (median, minimum, maximum of the session's
//!   own `elapsed`) and the settling `rebuild`, the background search index job timed apart,
//!   then a save of the same bytes, which must report that nothing changed.
//! - **Snapshot**: `dossier snapshot --site` of the last full build in each format, as
//!   `benches/snapshot.sh` does (which also covers the repository's own dossier).
//!
//! Corpora come from `benches/support/corpus.rs`, the generator behind
//! `examples/gen_corpus.rs`, written into a temporary directory. The tables are printed as
//! Markdown and written to `target/bench-results/build-<date>.md` with the machine, the date
//! and the commit. Timings are wall-clock measurements of this machine: compare ratios.

// Bench code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

// The example uses all of it (and runs its tests); this bench does not parse a format, and
// `clippy --all-targets` sees its test module without the `#[test]` functions.
#[allow(dead_code, unused_imports)]
#[path = "support/corpus.rs"]
mod corpus;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dossier::incremental::Session;
use dossier::pipeline::BuildOptions;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");
const GNU_TIME: &str = "/usr/bin/time";

fn main() {
    // `cargo bench` passes `--bench` (and any filter); the settings come from the environment.
    let sizes = env_list("DOSSIER_BENCH_SIZES", "1000,10000");
    let snapshot_sizes = env_list("DOSSIER_BENCH_SNAPSHOT_SIZES", "10000");
    let runs: Option<usize> = env_number("DOSSIER_BENCH_RUNS");
    let edits = env_number("DOSSIER_BENCH_EDITS").unwrap_or(20).max(1);
    let seed = env_number("DOSSIER_BENCH_SEED").unwrap_or(1) as u64;
    let gnu_time = Path::new(GNU_TIME).is_file();
    if !gnu_time {
        eprintln!("note: {GNU_TIME} not found (apt-get install time): no CPU time or peak RSS");
    }

    let mut builds = String::from(
        "| articles | runs | wall min (s) | wall median (s) | CPU user+sys median (s) | peak RSS (MiB) | files written |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut incremental = String::from(
        "| articles | first build in-process, no index (s) | body edit: quick rebuild median (min–max) | pages rendered per edit | settling rebuild median | search index job (background) | same-bytes save |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut snapshots = String::from(
        "| articles | format | output size (B) | wall (s) | CPU user+sys (s) | peak RSS (MiB) |\n\
         |---:|---|---:|---:|---:|---:|\n",
    );
    let mut snapshotted = false;

    for &n in &sizes {
        let tmp = tempfile::Builder::new().prefix("dossier-bench-").tempdir().unwrap();
        let root = tmp.path().join("corpus");
        eprintln!("[{n}] generating the corpus (seed {seed}) in {}", root.display());
        corpus::write(&root, &corpus::files(n, seed, corpus::Format::Dossier)).unwrap();

        // Full builds.
        let runs = runs.unwrap_or(if n >= 100_000 { 1 } else { 3 }).max(1);
        let site = tmp.path().join("site");
        let mut samples = Vec::new();
        for run in 1..=runs {
            if site.exists() {
                std::fs::remove_dir_all(&site).unwrap();
            }
            let root_arg = root.to_str().unwrap();
            let site_arg = site.to_str().unwrap();
            let s = timed(
                &["build", "--quiet", "--root", root_arg, "--output", site_arg],
                gnu_time,
                &tmp.path().join("time"),
            );
            eprintln!("[{n}] full build {run}/{runs}: {:.2} s", s.wall.as_secs_f64());
            samples.push(s);
        }
        let files = walkdir::WalkDir::new(&site)
            .into_iter()
            .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
            .count();
        let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        walls.sort();
        let _ = writeln!(
            builds,
            "| {n} | {runs} | {:.2} | {:.2} | {} | {} | {files} |",
            walls[0].as_secs_f64(),
            walls[walls.len() / 2].as_secs_f64(),
            median_of(samples.iter().filter_map(|s| s.cpu))
                .map_or("–".into(), |c| format!("{c:.2}")),
            samples.iter().filter_map(|s| s.rss_kib).max().map_or("–".into(), mib),
        );

        // Snapshots of the last full build.
        if snapshot_sizes.contains(&n) {
            snapshotted = true;
            for format in ["warc", "wacz", "bagit"] {
                let out = tmp.path().join(match format {
                    "warc" => "snapshot.warc.gz",
                    "wacz" => "snapshot.wacz",
                    _ => "snapshot-bag",
                });
                let s = timed(
                    &[
                        "snapshot",
                        "--quiet",
                        "--root",
                        root.to_str().unwrap(),
                        "--site",
                        site.to_str().unwrap(),
                        "--format",
                        format,
                        "-o",
                        out.to_str().unwrap(),
                    ],
                    gnu_time,
                    &tmp.path().join("time"),
                );
                eprintln!("[{n}] snapshot {format}: {:.2} s", s.wall.as_secs_f64());
                let _ = writeln!(
                    snapshots,
                    "| {n} | {format} | {} | {:.2} | {} | {} |",
                    size_of(&out),
                    s.wall.as_secs_f64(),
                    s.cpu.map_or("–".into(), |c| format!("{c:.2}")),
                    s.rss_kib.map_or("–".into(), mib),
                );
            }
        }
        std::fs::remove_dir_all(&site).unwrap();

        // Incremental rebuilds, in-process.
        let _ = writeln!(incremental, "{}", incremental_row(n, &root, edits));
    }

    let mut report = header(&sizes, seed, gnu_time);
    let _ = write!(report, "\n### Full build (`dossier build --quiet`)\n\n{builds}");
    let _ = write!(
        report,
        "\n### Single-article incremental rebuild (in-process `incremental::Session`, {edits} body \
            edits)\n\n{incremental}"
    );
    if snapshotted {
        let _ = write!(
            report,
            "\n### Snapshot of a full build (`dossier snapshot --site`)\n\n{snapshots}"
        );
    }
    println!("{report}");
    let dir = target_dir().join("bench-results");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("build-{}.md", jiff::Zoned::now().strftime("%Y-%m-%dT%H%M%S")));
    std::fs::write(&path, &report).unwrap();
    eprintln!("wrote {}", path.display());
}

/// One row of the incremental table: a session's first build, `edits` edits of one article's
/// body, then a save of the same bytes.
fn incremental_row(n: usize, root: &Path, edits: usize) -> String {
    let articles = root.join("content/articles");
    let mut names: Vec<String> = std::fs::read_dir(&articles)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let name = &names[names.len() / 2];
    let page = format!("articles/{}/index.html", name.trim_end_matches(".md"));
    let article = articles.join(name);
    let text = std::fs::read_to_string(&article).unwrap();

    // As `dossier serve` does: the search index deferred to a job of its own, the quick path
    // for a body edit, then a settling rebuild once the sources are still.
    let root = root.canonicalize().unwrap();
    let article = root.join("content/articles").join(name);
    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        defer_search: true,
        ..BuildOptions::default()
    });
    let first = session.rebuild(&[]).unwrap();
    assert!(first.changed.contains(&page), "the first build writes {page}");
    eprintln!("[{n}] first in-process build: {:.2} s", first.elapsed.as_secs_f64());
    let index_time = |session: &mut Session| {
        let start = Instant::now();
        let job = session.search_job().unwrap().unwrap();
        session.apply_search(job.run()).unwrap().unwrap();
        start.elapsed()
    };
    let first_index = index_time(&mut session);

    let mut quick = Vec::new();
    let mut settle = Vec::new();
    let mut rendered = Vec::new();
    let mut last = text.clone();
    for i in 0..edits {
        last = format!("{text}\nSynthetic edit {i} for the benchmark.\n");
        std::fs::write(&article, &last).unwrap();
        let outcome = session.quick_rebuild(std::slice::from_ref(&article)).unwrap().unwrap();
        assert!(outcome.changed.contains(&page), "edit {i} changes {page}: {:?}", outcome.changed);
        quick.push(outcome.elapsed);
        rendered.push(outcome.rendered.len());
        let settled = session.rebuild(&[]).unwrap();
        assert!(!settled.changed.contains(&page), "the quick path's page was a full build's");
        settle.push(settled.elapsed);
    }
    let index = index_time(&mut session);
    std::fs::write(&article, &last).unwrap();
    let same = session.quick_rebuild(std::slice::from_ref(&article)).unwrap().unwrap();
    assert!(same.is_empty(), "a save of the same bytes changes nothing: {:?}", same.changed);
    eprintln!(
        "[{n}] {edits} edits: quick median {} ms, settle median {} ms; same-bytes save {} ms",
        ms(median(&quick)),
        ms(median(&settle)),
        ms(same.elapsed)
    );
    quick.sort();
    rendered.sort_unstable();
    format!(
        "| {n} | {:.2} | {} ms ({}–{}) | {} | {} ms | {:.1} s (first {:.1} s) | {} ms, nothing \
            changed |",
        first.elapsed.as_secs_f64(),
        ms(quick[quick.len() / 2]),
        ms(quick[0]),
        ms(quick[quick.len() - 1]),
        rendered[rendered.len() / 2],
        ms(median(&settle)),
        index.as_secs_f64(),
        first_index.as_secs_f64(),
        ms(same.elapsed),
    )
}

/// One measured run of the binary.
struct Sample {
    wall: Duration,
    /// User + system seconds, from GNU time.
    cpu: Option<f64>,
    /// Peak resident set size in KiB, from GNU time.
    rss_kib: Option<u64>,
}

/// Runs the binary with `args` (under GNU time when `gnu_time`), and panics with its output if
/// it fails.
fn timed(args: &[&str], gnu_time: bool, time_file: &Path) -> Sample {
    let mut cmd = if gnu_time {
        let mut c = Command::new(GNU_TIME);
        c.args(["-f", "%U %S %M", "-o"]).arg(time_file).arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args);
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "dossier {} failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let (mut cpu, mut rss_kib) = (None, None);
    if gnu_time {
        let text = std::fs::read_to_string(time_file).unwrap();
        // The last line: GNU time puts a note about a signal or exit status before it.
        let fields: Vec<&str> =
            text.lines().last().unwrap_or_default().split_whitespace().collect();
        if let [user, sys, rss] = fields[..] {
            cpu = Some(user.parse::<f64>().unwrap() + sys.parse::<f64>().unwrap());
            rss_kib = rss.parse().ok();
        }
    }
    Sample { wall, cpu, rss_kib }
}

/// The report's heading: date, machine, commit, settings.
fn header(sizes: &[usize], seed: u64, gnu_time: bool) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let ram = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| l.strip_prefix("MemTotal:").map(|r| r.trim().to_owned()))
        })
        .and_then(|kb| kb.trim_end_matches(" kB").parse::<f64>().ok())
        .map_or_else(|| "unknown".into(), |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let commit = output_of(
        Command::new("git")
            .arg("-C")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .args(["describe", "--always", "--dirty"]),
    );
    let version = output_of(Command::new(BIN).arg("--version"));
    let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
    format!(
        "## dossier build benchmarks, {}\n\n\
         - machine: {cores} cores, {cpu}, {ram} RAM\n\
         - {version}, commit {commit}, profile `bench` (release)\n\
         - corpora: `gen_corpus` seed {seed}, {} articles\n\
         - CPU time and peak RSS: {}\n",
        jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z"),
        sizes.join(", "),
        if gnu_time { "GNU time" } else { "not measured (no /usr/bin/time)" },
    )
}

fn output_of(cmd: &mut Command) -> String {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "unknown".into(), |o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// A comma-separated list of numbers from the environment (`none` or empty: no numbers).
fn env_list(var: &str, default: &str) -> Vec<usize> {
    let text = std::env::var(var).unwrap_or_else(|_| default.into());
    if text.trim() == "none" {
        return Vec::new();
    }
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.replace('_', "").parse().unwrap_or_else(|_| panic!("{var}: {s:?} is not a number"))
        })
        .collect()
}

fn env_number(var: &str) -> Option<usize> {
    let text = std::env::var(var).ok()?;
    Some(text.trim().parse().unwrap_or_else(|_| panic!("{var}: {text:?} is not a number")))
}

fn median(times: &[Duration]) -> Duration {
    let mut t = times.to_vec();
    t.sort();
    t[t.len() / 2]
}

fn median_of(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.0}", kib as f64 / 1024.0)
}

/// Bytes of a file, or of every file under a directory.
fn size_of(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}
