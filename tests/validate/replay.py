#!/usr/bin/env python3
"""Replays pages of a dossier WACZ the way a replay player does, with warcio (pip: warcio).

Reads `indexes/index.cdx` from the WACZ, finds each named URL's line, reads that many bytes
at that offset of `archive/data.warc.gz` inside the ZIP (it must be STORED, so the offset in
the ZIP plus the record's offset is where the gzip member starts), parses the record with
warcio's ArchiveIterator and compares its HTTP payload with the file in the built site. A
`revisit` (a directory URL) is followed to the record its WARC-Refers-To-Target-URI names.
Prints one line per page; exits 1 on any difference.

    python3 tests/validate/replay.py <file.wacz> <built site dir> <base_url> <path>...
"""

import io
import json
import sys
import zipfile
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def load_index(wacz: zipfile.ZipFile) -> dict:
    by_url = {}
    for line in wacz.read("indexes/index.cdx").decode("utf-8").splitlines():
        _surt, _ts, fields = line.split(" ", 2)
        entry = json.loads(fields)
        by_url[entry["url"]] = entry
    return by_url


def read_record(wacz_path: str, wacz: zipfile.ZipFile, entry: dict):
    info = wacz.getinfo("archive/" + entry["filename"])
    if info.compress_type != zipfile.ZIP_STORED:
        raise SystemExit("archive/%s is compressed in the ZIP; it must be STORED" % entry["filename"])
    with open(wacz_path, "rb") as f:
        # The local file header: 30 bytes, then the name and the extra field.
        f.seek(info.header_offset)
        header = f.read(30)
        start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
        f.seek(start + int(entry["offset"]))
        chunk = f.read(int(entry["length"]))
    records = list(ArchiveIterator(io.BytesIO(chunk), check_digests=True))
    if len(records) != 1:
        raise SystemExit("%s: %d records at offset %s, expected 1" % (entry["url"], len(records), entry["offset"]))
    return records[0], chunk


def main() -> int:
    wacz_path, site, base_url, *paths = sys.argv[1:]
    site = Path(site)
    failures = 0
    with zipfile.ZipFile(wacz_path) as wacz:
        index = load_index(wacz)
        for path in paths:
            url = base_url + path
            entry = index.get(url)
            if entry is None:
                print("missing: %s is not in the CDXJ index" % url)
                failures += 1
                continue
            # Parse afresh so the payload is read once, with digests checked.
            record, chunk = read_record(wacz_path, wacz, entry)
            rec_type = record.rec_type
            if rec_type == "revisit":
                target = record.rec_headers.get_header("WARC-Refers-To-Target-URI")
                entry = index[target]
                record, chunk = read_record(wacz_path, wacz, entry)
            for rec in ArchiveIterator(io.BytesIO(chunk), check_digests=True):
                payload = rec.content_stream().read()
                status = rec.http_headers.get_statuscode()
                problems = list(rec.digest_checker.problems)
            local = site / rec.rec_headers.get_header("WARC-Target-URI")[len(base_url):]
            expected = local.read_bytes()
            if payload != expected or status != "200" or problems:
                print("differs: %s (%s, status %s, %s)" % (url, rec_type, status, problems))
                failures += 1
            else:
                print("ok: %s (%s, %d bytes)" % (url, rec_type, len(payload)))
    print("%d of %d pages replayed byte for byte" % (len(paths) - failures, len(paths)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
