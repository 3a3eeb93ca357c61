#!/usr/bin/env bash
# Faults and load, for .ci/run: 20 SIGKILLed builds (.ci/kill-test.sh), then `dossier serve`
# under 200 connections for 30 s while an article is saved every 200 ms (.ci/load-test.sh).
# The full-disk and file-size-limit tests are in tests/faults.rs (`cargo test`); the full-disk
# one mounts a tmpfs, so it needs root (with DOSSIER_REQUIRE_TOOLS=1 it fails without).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
bash .ci/kill-test.sh
echo
bash .ci/load-test.sh
echo "faults and load: $((SECONDS - started)) s"
