#!/usr/bin/env bash
# Fuzzing for dossier: each cargo-fuzz target in fuzz/ runs for FUZZ_SECONDS (default 60)
# starting from its corpus kept in the repository (fuzz/corpus/<target>/), and the job fails on
# a crash, printing the input that caused it (fuzz/artifacts/<target>/, ignored by git). Called
# by .ci/run. The clone stays clean: fuzz/Cargo.lock must be current (checked below with
# `cargo metadata --locked` before cargo fuzz builds), and the inputs a run adds go to a temporary
# directory that is removed, not into fuzz/corpus/ (minimize and commit new inputs by hand:
# see fuzz/README.md).
#
# cargo-fuzz passes `-Z` flags to rustc, so it needs a nightly toolchain: a nightly from rustup
# when installed, else the stable one with RUSTC_BOOTSTRAP=1 (which lets stable accept -Z
# flags; checked with stable 1.95: a cargo-fuzz target builds with ASan and runs). If neither
# can build the targets, the job prints
# "skipped: cargo fuzz needs a nightly toolchain", and fails instead when
# DOSSIER_REQUIRE_TOOLS=1.
#
# FUZZ_SECONDS=N   seconds per target (default 60)
# FUZZ_TOOLCHAIN=stable  use stable with RUSTC_BOOTSTRAP=1 even when a nightly is installed
#                  (what a machine with only the stable toolchain does)
# FUZZ_TARGETS="a b"  which targets (default: all of `cargo fuzz list`)
# FUZZ_SANITIZER=address|none   (default address, as cargo fuzz; `none` builds faster and
#                  runs faster: dossier itself forbids unsafe code)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
sanitizer=${FUZZ_SANITIZER:-address}

skip() {
  echo "skipped: $*"
  if [ "${DOSSIER_REQUIRE_TOOLS:-}" = 1 ]; then
    echo "DOSSIER_REQUIRE_TOOLS=1: failing instead of skipping" >&2
    exit 1
  fi
  exit 0
}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet || skip "cargo-fuzz could not be installed"
fi

# The toolchain: nightly when rustup has it, else stable with RUSTC_BOOTSTRAP=1.
fuzz=()
if [ "${FUZZ_TOOLCHAIN:-}" != stable ] && command -v rustup >/dev/null 2>&1 &&
  rustup toolchain list | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
  echo "toolchain: $(rustc +nightly --version)"
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  echo "toolchain: $(rustc --version) with RUSTC_BOOTSTRAP=1"
fi

cd fuzz
# The lock must already match fuzz/Cargo.toml and the dossier crate it builds: fail rather than
# let the build rewrite it (after a dependency change, run `cargo metadata --format-version 1`
# in fuzz/ without --locked, which updates the lock minimally, and commit fuzz/Cargo.lock).
cargo metadata --locked --format-version 1 >/dev/null
# New inputs found by this run: libFuzzer writes them into the first corpus directory it is
# given, and only reads the others.
run_corpora=$(mktemp -d)
trap 'rm -rf "$run_corpora"' EXIT
started=$SECONDS
if ! "${fuzz[@]}" build -O -s "$sanitizer" 2>build.log; then
  tail -n 30 build.log >&2
  rm -f build.log
  skip "cargo fuzz needs a nightly toolchain (the build failed; see above)"
fi
rm -f build.log
echo "built the fuzz targets in $((SECONDS - started)) s"

targets=${FUZZ_TARGETS:-$("${fuzz[@]}" list)}
failed=()
for target in $targets; do
  mkdir -p "corpus/$target" "artifacts/$target" "$run_corpora/$target"
  before=$(find "corpus/$target" -type f | wc -l)
  log=$(mktemp)
  echo "== fuzz $target for ${seconds}s (corpus: $before files)"
  # -rss_limit_mb: the pipeline target keeps a whole dossier in memory.
  if "${fuzz[@]}" run -O -s "$sanitizer" "$target" "$run_corpora/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    echo "corpus: $before files, $(find "$run_corpora/$target" -type f | wc -l) new in this run (not kept)"
  else
    tail -n 60 "$log" >&2
    for a in "artifacts/$target"/*; do
      [ -f "$a" ] || continue
      echo "crash input $a (base64):" >&2
      base64 "$a" >&2
    done
    failed+=("$target")
  fi
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]} (reproduce: cd fuzz && cargo +nightly fuzz run <target> <artifact>)" >&2
  exit 1
fi
echo "fuzzing: no crash in $((SECONDS - started)) s"
