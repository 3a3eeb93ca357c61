#!/usr/bin/env bash
# Snapshot benchmark: time and peak memory of `dossier snapshot` in each format, on the
# repository's dossier and on a generated corpus of N articles (default 10,000), snapshotting an
# existing build (`--site`) so that the build's own cost is measured apart.
#
#     bash benches/snapshot.sh [N]
#
# Needs GNU time (/usr/bin/time, Debian package `time`). Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
bin=target/release/dossier
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_corpus "$n" "$work/corpus" >/dev/null

# measure LABEL CMD…: runs CMD under GNU time; prints wall seconds and peak RSS in MiB.
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
  read -r secs kib <"$work/time"
  printf '%s|%s|%.0f\n' "$label" "$secs" "$((kib / 1024))"
}

echo "| corpus | step | output | size | wall (s) | peak RSS (MiB) |"
echo "|---|---|---|---:|---:|---:|"
for corpus in dossier "synthetic $n"; do
  if [ "$corpus" = dossier ]; then root=.; else root=$work/corpus; fi
  site=$work/site-${corpus// /-}
  IFS='|' read -r _ secs mib < <(measure build "$bin" build --root "$root" --output "$site" --quiet)
  echo "| $corpus | build | $(find "$site" -type f | wc -l) files | $(du -sb "$site" | cut -f1) B | $secs | $mib |"
  for format in warc wacz bagit; do
    out=$work/out-$format
    case $format in warc) out=$out.warc.gz ;; wacz) out=$out.wacz ;; esac
    IFS='|' read -r _ secs mib < <(measure "$format" "$bin" snapshot --root "$root" --site "$site" --format "$format" -o "$out" --quiet)
    echo "| $corpus | snapshot $format | $(basename "$out") | $(du -sb "$out" | cut -f1) B | $secs | $mib |"
    rm -rf "$out"
  done
done
