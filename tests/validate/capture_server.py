#!/usr/bin/env python3
"""Serves dossier's synthetic import fixtures as if from their news sites, for capture tools.

Used as an HTTP proxy (wget -e http_proxy=…, warcio's capture_http through urllib's
ProxyHandler): a request for http://www.meridian-herald.example/… is answered by host and path
from tests/fixtures/import/pages/. Also a 301 from a short address to an article (redirects
followed within a capture), an image (a record that is not a page) and a 404. Every page is
synthetic. Prints the port it listens on, then serves until killed.

    python3 tests/validate/capture_server.py [PORT]
"""
import http.server
import os
import sys
import urllib.parse

PAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "import", "pages")

ROUTES = {
    ("www.meridian-herald.example", "/world/2019/06/13/ceasefire-talks-stall-kafr-nabudah"): "meridian-jsonld.html",
    ("www.courrier-levant.example", "/monde/2019/06/14/idleb-deplaces-frontiere/"): "courrier-opengraph.html",
    ("amp.meridian-news.example", "/world/2019/06/12/aid-convoy-reaches-villages.amp"): "meridian-amp.html",
    ("www.northern-dispatch.example", "/news/2019/monitors-report-strikes"): "bare-chrome.html",
}
REDIRECTS = {
    ("meridian-herald.example", "/s/talks"): "http://www.meridian-herald.example/world/2019/06/13/ceasefire-talks-stall-kafr-nabudah",
}
# A 1x1 GIF.
IMAGE = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        target = urllib.parse.urlsplit(self.path)
        host = (target.hostname or self.headers.get("Host", "")).lower().split(":")[0]
        key = (host, target.path)
        if key in ROUTES:
            with open(os.path.join(PAGES, ROUTES[key]), "rb") as f:
                body = f.read()
            charset = "windows-1252" if ROUTES[key] == "bare-chrome.html" else "utf-8"
            self.reply(200, body, "text/html; charset=" + charset)
        elif key in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[key])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif target.path.endswith(".gif"):
            self.reply(200, IMAGE, "image/gif")
        else:
            self.reply(404, b"not found\n", "text/plain")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
