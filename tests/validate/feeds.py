#!/usr/bin/env python3
"""Parses every feed of a built dossier with feedparser (pip: feedparser) and fails on any problem.

The feeds are atom.xml at the site's root, which must exist, and every other *.xml file except
sitemaps (whose root is <urlset> or <sitemapindex>): per-outlet and per-topic feeds such as
outlets/<id>/atom.xml. A feed fails when feedparser sets `bozo` (ill-formed XML, a wrong
encoding, ...), printing the exception, or when it is no feed at all (no Atom or RSS version
detected). Prints each feed's format and entry count.

    python3 tests/validate/feeds.py <built site directory>
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

SITEMAP_ROOTS = {"urlset", "sitemapindex"}


def root_name(path: Path) -> str | None:
    """The local name of the document's root element, or None when it is not well-formed XML."""
    try:
        for _event, element in ET.iterparse(path, events=("start",)):
            return element.tag.rsplit("}", 1)[-1]
    except ET.ParseError:
        return None
    return None


def check(site: Path, path: Path) -> str | None:
    """Prints what feedparser made of one feed; returns the problem, or None when it is clean."""
    rel = path.relative_to(site).as_posix()
    feed = feedparser.parse(str(path))
    if feed.bozo:
        return f"{rel}: {type(feed.bozo_exception).__name__}: {feed.bozo_exception}"
    if not feed.version:
        return f"{rel}: not an Atom or RSS feed"
    title = feed.feed.get("title", "(no title)")
    print(f"ok: {rel} ({feed.version}, {len(feed.entries)} entries): {title}")
    return None


def main() -> int:
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        print("usage: python3 tests/validate/feeds.py <built site directory>", file=sys.stderr)
        return 2
    site = Path(sys.argv[1])
    problems = []
    if not (site / "atom.xml").is_file():
        problems.append("atom.xml: missing: the build must write the site's Atom feed")
    feeds = [
        p for p in sorted(site.rglob("*.xml")) if p.is_file() and root_name(p) not in SITEMAP_ROOTS
    ]
    for path in feeds:
        problem = check(site, path)
        if problem:
            problems.append(problem)
    for problem in problems:
        print(f"BAD: {problem}")
    print(f"\nfeeds: {len(feeds)} parsed, {len(problems)} with problems (feedparser {feedparser.__version__})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
