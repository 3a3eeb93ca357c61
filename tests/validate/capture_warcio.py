#!/usr/bin/env python3
"""Captures addresses into a WARC with warcio's capture_http, through an HTTP proxy.

    python3 tests/validate/capture_warcio.py OUT.warc.gz PROXY_PORT URL…

warcio (1.8.1) records each request and response as it crosses http.client; with a proxy the
request line holds the full address, which warcio takes as WARC-Target-URI.
"""
import sys
import urllib.request

from warcio.capture_http import capture_http


def main():
    out, port, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
    proxy = urllib.request.ProxyHandler({"http": "http://127.0.0.1:" + port})
    opener = urllib.request.build_opener(proxy)
    with capture_http(out):
        for url in urls:
            with opener.open(url) as response:
                response.read()


if __name__ == "__main__":
    main()
