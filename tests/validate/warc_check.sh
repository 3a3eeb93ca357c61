#!/usr/bin/env bash
# Checks a dossier snapshot with warcio (pip: warcio): `warcio check -v` must verify the digests
# of every record (revisits carry their original's payload digest, which warcio reports as
# "present but not checked (revisit)"), with no failure and no record lacking a digest; and
# `warcio index` must read every record. Prints the counts.
#
#     bash tests/validate/warc_check.sh <file.warc.gz>
set -euo pipefail
warc=${1:?usage: warc_check.sh FILE.warc.gz}

check=$(warcio check -v "$warc") || { echo "$check"; echo "warcio check failed on $warc" >&2; exit 1; }
pass=$(grep -c '^    digest pass$' <<<"$check" || true)
revisit=$(grep -c '^    digest present but not checked (revisit)$' <<<"$check" || true)
records=$(grep -c '^  offset ' <<<"$check" || true)
other=$((records - pass - revisit))
index=$(warcio index -f warc-type,warc-target-uri "$warc" | wc -l)
echo "warcio check: $records records, $pass digest pass, $revisit revisits, $other other; warcio index: $index records"
if [ "$pass" -eq 0 ] || [ "$other" -ne 0 ] || [ "$index" -ne "$records" ]; then
  echo "$check" | grep -v -e '^    digest pass$' -e 'not checked (revisit)$' | grep -B1 '^    ' >&2 || true
  echo "warcio did not verify every record of $warc" >&2
  exit 1
fi
