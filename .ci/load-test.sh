#!/usr/bin/env bash
# Load test of `dossier serve` (release binary) on a SYNTHETIC corpus of ARTICLES articles (the
# seeded generator of benches/support/corpus.rs) written into a temporary directory.
#
# Two wrk runs in parallel for DURATION seconds, CONNECTIONS/2 connections each (CONNECTIONS in
# all, one wrk thread each): one on the front page, one on the coverage table's first page, the
# largest listing of articles (a table row per article, 100 a page: about twice the bytes of
# the articles list's first page). Meanwhile an article is saved every 200 ms (written beside
# it and renamed over it, as editors do) and a live-reload client follows the server's events
# (server-sent events, `__dossier/events`). Then:
#   - no errors: wrk reports no socket errors (connect, read, write, timeout) and no response
#     outside 2xx/3xx; the server printed no failed build; it stops cleanly on SIGINT;
#   - no dropped reloads: the server sends one `reload` per rebuild that changed a page (it
#     prints `Rebuilt in N ms (K pages changed)` for each, K >= 1), and may send more when it
#     settles a quick rebuild. The client, connected all along, must have received at least as
#     many `reload` events as such lines, at least one after the last save was written (counted
#     just before the write, as a quick rebuild answers within the 200 ms), and the page must
#     then show the last save;
#   - stable memory: VmRSS of the server, sampled every second during the run, peaks in the
#     last 10 s at most RSS_GROWTH (1.2) times its peak in the first 10 s (after a warm-up
#     run).
# Requests/s and p99 latency of both runs are printed. Needs wrk (installed with apt-get when
# missing) and curl. On a 2-core machine wrk and the server share the cores.
#
#   .ci/load-test.sh
#   ARTICLES=500 DURATION=10 .ci/load-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ARTICLES=${ARTICLES:-2000}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-200}
RSS_GROWTH=${RSS_GROWTH:-1.2}
WARMUP=${WARMUP:-5}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  echo "apt-get install wrk curl"
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk curl >/dev/null
fi

cargo build --locked --release --quiet --bin dossier
cargo build --locked --quiet --example gen_corpus
target=${CARGO_TARGET_DIR:-$PWD/target}
bin=$target/release/dossier

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
root=$tmp/corpus
"$target/debug/examples/gen_corpus" "$ARTICLES" "$root" --seed 1

fail() {
  echo "load test FAILED: $*" >&2
  echo "--- server stderr (last 20 lines)" >&2
  tail -n 20 "$tmp/serve.err" >&2 || true
  echo "--- server stdout (last 20 lines)" >&2
  tail -n 20 "$tmp/serve.out" >&2 || true
  echo "--- events (last 10 lines)" >&2
  tail -n 10 "$tmp/events.log" >&2 || true
  exit 1
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

"$bin" serve --root "$root" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
pids+=("$server")
wait_for 120 grep -q '^Serving the dossier at ' "$tmp/serve.out" || fail "the server did not start"
url=$(awk '/^Serving the dossier at / { print $5; exit }' "$tmp/serve.out")
# The search index is built in the background after the first build: wait for it.
wait_for 120 curl -sf -o /dev/null "${url}pagefind/pagefind.js" || fail "no search index after 120 s"
echo "load test: $ARTICLES synthetic articles; $(head -n 1 "$tmp/serve.out"); serving at $url; $(nproc) cores"

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }

# The live-reload client: one connection for the whole run.
: >"$tmp/events.log"
curl -sN "${url}__dossier/events" >"$tmp/events.log" &
client=$!
pids+=("$client")
wait_for 10 grep -q '^event: hello' "$tmp/events.log" || fail "no hello event"
reloads() { grep -c '^event: reload' "$tmp/events.log" || true; }

front=$url
listing=${url}coverage/
for page in "$front" "$listing"; do
  curl -sf -o /dev/null "$page" || fail "$page does not answer 200"
done
printf 'pages: front page %s bytes, coverage page 1 %s bytes\n' \
  "$(curl -s "$front" | wc -c)" "$(curl -s "$listing" | wc -c)"

per_run=$((CONNECTIONS / 2))
echo "warm-up: ${WARMUP}s, $CONNECTIONS connections"
wrk -t1 -c"$per_run" -d"${WARMUP}s" "$front" >/dev/null &
wrk -t1 -c"$per_run" -d"${WARMUP}s" "$listing" >/dev/null
wait "$!"
echo "RSS after warm-up: $(rss) kB"

# The article saved every 200 ms: the first on the coverage table's first page.
article=$(find "$root/content/articles" -name '*.md' | LC_ALL=C sort | tail -n 1)
slug=$(basename "$article" .md)
original=$tmp/original.md
cp "$article" "$original"
save() {
  { cat "$original"; printf '\nSynthetic load edit %s.\n' "$1"; } >"$root/content/articles/.$slug.md.tmp"
  mv "$root/content/articles/.$slug.md.tmp" "$article"
}

: >"$tmp/rss.log"
(while kill -0 "$server" 2>/dev/null; do rss >>"$tmp/rss.log"; sleep 1; done) &
pids+=("$!")
sampler=$!

wrk -t1 -c"$per_run" -d"${DURATION}s" --latency "$front" >"$tmp/wrk-front.txt" &
wrk_front=$!
wrk -t1 -c"$per_run" -d"${DURATION}s" --latency "$listing" >"$tmp/wrk-listing.txt" &
wrk_listing=$!
pids+=("$wrk_front" "$wrk_listing")
saves=0
end=$((SECONDS + DURATION - 1))
while [ "$SECONDS" -lt "$end" ]; do
  saves=$((saves + 1))
  # Counted before the save: a quick rebuild can send its reload within the 200 ms below.
  reloads_at_last_save=$(reloads)
  save "$saves"
  sleep 0.2
done
wait "$wrk_front" || fail "wrk on the front page failed"
wait "$wrk_listing" || fail "wrk on the coverage page failed"
kill "$sampler" 2>/dev/null || true

# The last save shows, and a reload came after it.
wait_for 30 sh -c "curl -s '${url}articles/$slug/' | grep -q 'Synthetic load edit $saves\\.'" ||
  fail "the article does not show the last save ($saves) 30 s after it"
wait_for 30 sh -c "[ \"\$(grep -c '^event: reload' '$tmp/events.log')\" -gt $reloads_at_last_save ]" ||
  fail "no reload event after the last save"
sleep 1
kill -0 "$client" 2>/dev/null || fail "the live-reload connection was dropped"
received=$(reloads)
page_rebuilds=$(grep -cE '^Rebuilt in [0-9]+ ms \([1-9][0-9]* pages? changed' "$tmp/serve.out" || true)
rebuilds=$(grep -c '^Rebuilt in ' "$tmp/serve.out" || true)
errors_sent=$(grep -c '^event: error' "$tmp/events.log" || true)

# wrk: Requests/sec, the 99th percentile, and any errors.
report() {
  local name=$1 file=$2
  local rps p99 total
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  p99=$(awk '$1 == "99%" { print $2 }' "$file")
  total=$(awk '/requests in/ { print $1 }' "$file")
  printf '%-15s %9s req/s  p99 %8s  (%s requests)\n' "$name" "$rps" "$p99" "$total"
  if grep -qE 'Socket errors|Non-2xx' "$file"; then
    cat "$file" >&2
    fail "wrk on the $name reported errors"
  fi
}
echo "results ($DURATION s, $per_run connections on each page, $CONNECTIONS in all):"
report "front page" "$tmp/wrk-front.txt"
report "coverage page" "$tmp/wrk-listing.txt"

# Peaks over the first and the last 10 samples (a third of them each in a shorter run).
read -r first_max last_max samples window < <(awk '{ v[NR] = $1 } END {
  w = NR >= 30 ? 10 : int(NR / 3); f = 0; l = 0
  for (i = 1; i <= w; i++) if (v[i] > f) f = v[i]
  for (i = NR - w + 1; i <= NR; i++) if (v[i] > l) l = v[i]
  print f, l, NR, w }' "$tmp/rss.log")
echo "RSS: $samples samples, one a second; max $first_max kB in the first $window, $last_max kB in the last $window; $(rss) kB after the run"
echo "saves: $saves; rebuilds printed: $rebuilds, of which $page_rebuilds changed pages; reload events received: $received ($((received - reloads_at_last_save)) after the last save)"

grep -q 'Build failed' "$tmp/serve.err" && fail "a rebuild failed during the run"
[ "$errors_sent" -eq 0 ] || fail "$errors_sent error events sent"
[ "$received" -ge "$page_rebuilds" ] || fail "dropped reloads: $received received, $page_rebuilds rebuilds changed pages"
[ "$page_rebuilds" -ge 1 ] || fail "no rebuild changed a page"
[ "$samples" -ge $((DURATION * 2 / 3)) ] && [ "$window" -ge 1 ] || fail "only $samples RSS samples"
awk -v f="$first_max" -v l="$last_max" -v g="$RSS_GROWTH" 'BEGIN { exit !(l <= f * g) }' ||
  fail "memory grew: $last_max kB > $RSS_GROWTH x $first_max kB"

kill -INT "$server"
status=0
wait "$server" || status=$?
[ "$status" -eq 0 ] || fail "the server exited with $status after SIGINT"
echo "load test passed"
