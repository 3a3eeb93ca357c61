#!/usr/bin/env bash
# Validates a built dossier's sitemap.xml with `xmllint --schema` against the sitemaps.org 0.9
# schemas, offline: sitemap.xsd from the `sitemap` npm package (installed by
# `npm ci --prefix tests/browser`) and tests/validate/siteindex.xsd. A sitemap.xml whose root is
# <urlset> is checked against sitemap.xsd; one whose root is <sitemapindex> against
# siteindex.xsd, and then every sitemap it lists (found in the site by the path of its <loc>)
# against sitemap.xsd. Fails (exit 1) when sitemap.xml is missing or anything is invalid.
#
#   tests/validate/sitemap.sh <built site directory>
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sitemap_xsd="$here/../browser/node_modules/sitemap/schema/sitemap.xsd"
siteindex_xsd="$here/siteindex.xsd"

site=${1:?usage: tests/validate/sitemap.sh <built site directory>}
command -v xmllint >/dev/null || { echo "sitemap: xmllint not found (Debian: libxml2-utils)" >&2; exit 2; }
[[ -f $sitemap_xsd ]] || { echo "sitemap: $sitemap_xsd missing: run npm ci --prefix tests/browser" >&2; exit 2; }

failed=0
checked=0

# check FILE SCHEMA: validates FILE and reports it; counts failures instead of stopping.
check() {
  checked=$((checked + 1))
  local count
  count=$(xmllint --xpath "count(/*/*)" "$1" 2>/dev/null || echo "?")
  if xmllint --noout --nonet --schema "$2" "$1" 2>"$tmp/err"; then
    echo "ok: ${1#"$site"/} ($count entries, $(basename "$2"))"
  else
    failed=$((failed + 1))
    echo "INVALID: ${1#"$site"/} against $(basename "$2"):"
    sed "s|^$site/||; s|^|  |" "$tmp/err"
  fi
}

# local_file LOC: the file of the site that an absolute <loc> names. The site's base URL is not
# known here, so try the URL's path, then shorter and shorter tails of it (dropping the
# subpath the site is published under).
local_file() {
  local path=${1#*://*/}
  while :; do
    [[ -f "$site/$path" ]] && { echo "$site/$path"; return; }
    [[ $path == */* ]] || return 1
    path=${path#*/}
  done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ ! -f $site/sitemap.xml ]]; then
  echo "sitemap: $site/sitemap.xml is missing: the build must write a sitemap" >&2
  exit 1
fi

root=$(xmllint --xpath "local-name(/*)" "$site/sitemap.xml" 2>/dev/null || echo "not XML")
case $root in
  urlset) check "$site/sitemap.xml" "$sitemap_xsd" ;;
  sitemapindex)
    check "$site/sitemap.xml" "$siteindex_xsd"
    while read -r loc; do
      [[ -n $loc ]] || continue
      if child=$(local_file "$loc"); then
        check "$child" "$sitemap_xsd"
      else
        failed=$((failed + 1))
        echo "MISSING: the index lists $loc, which is not in the site"
      fi
    done < <(xmllint --xpath "//*[local-name()='sitemap']/*[local-name()='loc']/text()" "$site/sitemap.xml" 2>/dev/null || true)
    ;;
  "not XML")
    failed=$((failed + 1))
    echo "INVALID: sitemap.xml is not well-formed XML:"
    xmllint --noout "$site/sitemap.xml" 2>&1 | sed "s|^$site/||; s|^|  |" || true
    ;;
  *)
    failed=$((failed + 1))
    echo "INVALID: sitemap.xml: the root is <$root>, not <urlset> or <sitemapindex>"
    ;;
esac

echo
echo "sitemap: $checked files checked, $failed invalid or missing"
[[ $failed -eq 0 ]]
