#!/usr/bin/env bash
# Kill test: `dossier build` SIGKILLed at seeded random moments, TRIALS times (20 by default),
# on a SYNTHETIC corpus of ARTICLES articles (the seeded generator of benches/support/corpus.rs)
# written into a temporary directory.
#
# Before each trial the dossier's title and one article change, so the build would change
# most of the output. The kill comes after a delay drawn (seeded, stratified) across the build
# duration, as the previous build measured it: odd trials over the whole build, even ones over
# its last steps (writing, the swap and the clean-up of the old output). After each kill:
#   - public/ is byte for byte the previous complete output or the new complete one, never a
#     mix and never missing a file (sha256 of every file), and its manifest checks out;
#   - a file dossier did not write (public/CNAME) is still there;
#   - the next build succeeds and leaves no staging directory behind.
# At the end public/ equals a clean build of the same sources into an empty directory.
#
#   .ci/kill-test.sh                      # 20 trials, 1000 articles, seed 20240601
#   TRIALS=5 ARTICLES=300 SEED=7 .ci/kill-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

TRIALS=${TRIALS:-20}
ARTICLES=${ARTICLES:-1000}
SEED=${SEED:-20240601}

cargo build --locked --release --quiet --bin dossier
cargo build --locked --quiet --example gen_corpus
target=${CARGO_TARGET_DIR:-$PWD/target}
bin=$target/release/dossier

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/corpus
public=$root/public
"$target/debug/examples/gen_corpus" "$ARTICLES" "$root" --seed 1

fail() {
  echo "kill test FAILED: $*" >&2
  exit 1
}

# The sha256 of every file under $1, one line each, sorted by path.
tree_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

# The staging directories beside public/.
staging() { find "$root" -maxdepth 1 -name '.public.dossier-staging-*' -printf '%f\n' | LC_ALL=C sort; }

# Retitles the dossier and appends a sentence to one article.
edit() {
  local trial=$1 articles
  sed -i "s/^title: .*/title: \"Synthetic corpus, edit $trial\"/" "$root/dossier.yaml"
  mapfile -t articles < <(find "$root/content/articles" -type f -name '*.md' | LC_ALL=C sort)
  printf '\nSynthetic edit number %s.\n' "$trial" >>"${articles[$((trial * 7 % ${#articles[@]}))]}"
}

"$bin" build -q --root "$root"
printf 'synthetic.example\n' >"$public/CNAME"

# How long a build after an edit takes, and its last steps (write and commit), from a build's
# `-v` report. Measured again by each trial's recovery build, so that the delays follow the
# machine's speed when other work shares it.
measure() {
  local verbose
  verbose=$("$bin" build -v --root "$root") || return 1
  total_ms=$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' <<<"$verbose")
  last_ms=$(awk '$1 == "write" || $1 == "commit" { sum += $2 } END { printf "%d", sum }' <<<"$verbose")
}
edit 0
measure
echo "kill test: $ARTICLES synthetic articles, $TRIALS trials, seed $SEED; a build takes ${total_ms} ms (write + commit ${last_ms} ms)"

RANDOM=$SEED
old=$tmp/old.sha256
tree_hash "$public" >"$old"
counts_old=0 counts_new=0 counts_finished=0 counts_leftover=0
half=$(((TRIALS + 1) / 2))
for trial in $(seq 1 "$TRIALS"); do
  edit "$trial"
  # Stratified: trial i of n falls in the i-th slice of its window, at a random point in it.
  slice=$(awk -v i=$(((trial - 1) / 2)) -v n="$half" -v r="$RANDOM" 'BEGIN { printf "%.4f", (i + r / 32768) / n }')
  if ((trial % 2 == 1)); then
    delay_ms=$(awk -v t="$total_ms" -v s="$slice" 'BEGIN { printf "%d", t * s * 1.05 }')
  else
    delay_ms=$(awk -v t="$total_ms" -v l="$last_ms" -v s="$slice" 'BEGIN { printf "%d", (t - l) * 0.95 + l * s * 1.2 }')
  fi
  "$bin" build -q --root "$root" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay_ms" 'BEGIN { printf "%.3f", d / 1000 }')"
  kill -KILL "$pid" 2>/dev/null || true
  status=0
  { wait "$pid"; } 2>/dev/null || status=$?
  after=$tmp/after.sha256
  tree_hash "$public" >"$after"
  left=$(staging | tr '\n' ' ')
  [ -n "$left" ] && counts_leftover=$((counts_leftover + 1))

  was_ms=$total_ms
  measure || fail "trial $trial: the build after the kill failed"
  new=$tmp/new.sha256
  tree_hash "$public" >"$new"
  if cmp -s "$after" "$old"; then
    outcome=old
    counts_old=$((counts_old + 1))
  elif cmp -s "$after" "$new"; then
    outcome=new
    counts_new=$((counts_new + 1))
  else
    echo "files that are neither old nor new (< after, > new):" >&2
    diff "$after" "$new" | head -n 20 >&2 || true
    fail "trial $trial (killed after $delay_ms ms): public/ is neither the old nor the new output"
  fi
  if [ "$status" -eq 0 ]; then
    counts_finished=$((counts_finished + 1))
    [ "$outcome" = new ] || fail "trial $trial: the build finished, yet public/ is the old output"
  fi
  (cd "$public" && sha256sum --quiet --strict -c .dossier-manifest) || fail "trial $trial: the manifest does not check out"
  [ "$(cat "$public/CNAME")" = synthetic.example ] || fail "trial $trial: public/CNAME (not dossier's) was lost"
  [ -z "$(staging)" ] || fail "trial $trial: staging left after the next build: $(staging)"
  printf '  trial %2d: SIGKILL after %5d ms of ~%5d (%s): public/ was the %s output; staging left by the kill: %s\n' \
    "$trial" "$delay_ms" "$was_ms" "$([ "$status" -eq 0 ] && echo 'had finished' || echo "exit $status")" "$outcome" "${left:-none}"
  cp "$new" "$old"
done

"$bin" build -q --root "$root" --output "$tmp/clean"
printf 'synthetic.example\n' >"$tmp/clean/CNAME"
tree_hash "$tmp/clean" >"$tmp/clean.sha256"
cmp -s "$tmp/clean.sha256" "$old" || {
  diff "$tmp/clean.sha256" "$old" | head -n 20 >&2
  fail "public/ after the trials differs from a clean build"
}
echo "kill test passed: $TRIALS kills; public/ was the old output $counts_old times and the new one $counts_new times ($counts_finished builds had finished); $counts_leftover kills left a staging directory, each removed by the next build; public/ equals a clean build"
