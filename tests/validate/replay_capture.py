#!/usr/bin/env python3
"""Replays a captured page from a dossier WACZ the way a replay engine does, and compares it.

    python3 tests/validate/replay_capture.py DOSSIER.wacz URL EXPECTED_FILE

Looks URL up in the WACZ's CDXJ index, reads the record at that offset from the named WARC
inside the ZIP with warcio, and checks that its HTTP payload is EXPECTED_FILE's bytes.
"""
import io
import json
import sys
import zipfile

from warcio.archiveiterator import ArchiveIterator


def main():
    wacz, url, expected = sys.argv[1], sys.argv[2], sys.argv[3]
    with zipfile.ZipFile(wacz) as z:
        lines = z.read("indexes/index.cdx").decode().splitlines()
        hits = [json.loads(l.split(" ", 2)[2]) for l in lines]
        hits = [h for h in hits if h["url"] == url and h["mime"] != "warc/revisit"]
        if not hits:
            sys.exit("replay: %s is not in the index" % url)
        hit = hits[0]
        data = z.read("archive/" + hit["filename"])
    member = io.BytesIO(data[int(hit["offset"]):int(hit["offset"]) + int(hit["length"])])
    record = next(iter(ArchiveIterator(member)))
    payload = record.content_stream().read()
    with open(expected, "rb") as f:
        want = f.read()
    if payload != want:
        sys.exit("replay: the payload of %s (%d bytes) differs from %s (%d bytes)" % (url, len(payload), expected, len(want)))
    print("replayed %s from %s: %d bytes, as captured" % (url, hit["filename"], len(payload)))


if __name__ == "__main__":
    main()
