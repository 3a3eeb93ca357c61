//! The HTTP side of `dossier serve`: every request is answered from the in-memory site, never
//! from the filesystem.
//!
//! [`route`] is the pure part: it decodes the request path, refuses anything that could name a
//! file outside the site (`..` and `.` segments, encoded slashes and backslashes, NUL, empty
//! segments) and maps the rest to a site path, a redirect, or `serve`'s own files under
//! `<base>__dossier/`. The handler then answers like a static host would: a content type by
//! extension, `ETag` and `If-None-Match` (304), single `Range` requests (206, or 416), `HEAD`,
//! `/dir` → 301 `/dir/`, and a missing page → 404 with the site's own `404.html`. HTML pages
//! get the live-reload tags, and the error overlay while the latest build is failing.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use super::reload::{self, DIR};
use super::state::{App, Message, Snapshot};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A path of the site (`""` is the front page, `a/` a directory).
    Site(String),
    /// `serve`'s own file: `livereload.js` or `overlay.css`.
    Own(&'static str),
    /// The server-sent events stream.
    Events,
    /// Redirect to this path (the base path without its slash).
    Redirect(String),
    /// Outside the site, or a path no site file can have: a plain 404.
    Nowhere,
}

/// Maps a raw (percent-encoded) request path to a [`Route`], for a site served under `base`
/// (`/` or `/x/`).
pub fn route(base: &str, raw: &str) -> Route {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Route::Nowhere;
    }
    let Ok(path) = percent_decode_str(raw).decode_utf8() else { return Route::Nowhere };
    if path.contains(['\0', '\\']) {
        return Route::Nowhere;
    }
    let Some(rel) = path.strip_prefix(base) else {
        return if format!("{path}/") == base {
            Route::Redirect(base.into())
        } else {
            Route::Nowhere
        };
    };
    let segments: Vec<&str> = rel.split('/').collect();
    let (last, dirs) = segments.split_last().unwrap_or((&"", &[]));
    if dirs.iter().any(|s| s.is_empty() || *s == "." || *s == "..") || *last == "." || *last == ".."
    {
        return Route::Nowhere;
    }
    match rel.strip_prefix(DIR) {
        Some("livereload.js") => Route::Own("livereload.js"),
        Some("overlay.css") => Route::Own("overlay.css"),
        Some("events") => Route::Events,
        Some(_) => Route::Nowhere,
        None => Route::Site(rel.to_string()),
    }
}

/// The `Content-Type` of an output path, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if ext.starts_with("pf_") {
        return "application/octet-stream"; // Pagefind's index fragments
    }
    match (name, ext.as_str()) {
        (_, "html" | "htm") => "text/html; charset=utf-8",
        (_, "css") => "text/css; charset=utf-8",
        (_, "js" | "mjs") => "text/javascript; charset=utf-8",
        (_, "json") => "application/json",
        ("atom.xml", _) => "application/atom+xml",
        (_, "xml") => "application/xml",
        (_, "svg") => "image/svg+xml",
        (_, "png") => "image/png",
        (_, "jpg" | "jpeg") => "image/jpeg",
        (_, "gif") => "image/gif",
        (_, "webp") => "image/webp",
        (_, "avif") => "image/avif",
        (_, "ico") => "image/x-icon",
        (_, "wasm") => "application/wasm",
        (_, "woff2") => "font/woff2",
        (_, "woff") => "font/woff",
        (_, "pdf") => "application/pdf",
        (_, "txt") => "text/plain; charset=utf-8",
        _ if name == "_headers" || name == "_redirects" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// How to answer a `Range` header for a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// Ignore it: send everything (a malformed header, or several ranges).
    Full,
    /// Send these bytes (inclusive) with 206.
    Part(u64, u64),
    /// 416.
    Unsatisfiable,
}

/// Decides how to answer `Range: <header>` for a body of `len` bytes.
pub fn range_answer(header: &str, len: u64) -> RangeAnswer {
    use http_range_header::RangeUnsatisfiableError as E;
    let parsed = match http_range_header::parse_range_header(header) {
        Ok(p) => p,
        Err(E::Invalid(_)) => return RangeAnswer::Full,
        Err(_) => return RangeAnswer::Unsatisfiable,
    };
    match parsed.validate(len) {
        Ok(ranges) => match ranges.as_slice() {
            [one] => RangeAnswer::Part(*one.start(), *one.end()),
            _ => RangeAnswer::Full,
        },
        Err(E::Invalid(_)) => RangeAnswer::Full,
        Err(_) => RangeAnswer::Unsatisfiable,
    }
}

/// Whether an `If-None-Match` value matches `etag` (weak comparison, as RFC 9110 asks).
pub fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let etag = strip(etag);
    if_none_match.split(',').any(|t| t.trim() == "*" || strip(t) == etag)
}

/// The router: one handler for every path.
pub fn router(app: Arc<App>) -> Router {
    Router::new().fallback(handle).with_state(app)
}

async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let response = match route(&app.base, uri.path()) {
        Route::Nowhere => plain_404(),
        Route::Redirect(to) => redirect(&to),
        Route::Events => events(&app),
        Route::Own(name) => {
            let (body, kind) = match name {
                "livereload.js" => (reload::SCRIPT, "text/javascript; charset=utf-8"),
                _ => (reload::OVERLAY_CSS, "text/css; charset=utf-8"),
            };
            let tag = format!("\"{}\"", &crate::hash::sha256_hex(body.as_bytes())[..16]);
            file(StatusCode::OK, kind, Bytes::from_static(body.as_bytes()), &tag, &headers)
        }
        Route::Site(rel) => site(&app, &uri, &rel, &headers),
    };
    if method == Method::HEAD { head(response) } else { response }
}

/// A HEAD answer: the GET answer's status and headers (`Content-Length` included), no body.
fn head(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(len) = axum::body::HttpBody::size_hint(&body).exact() {
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    Response::from_parts(parts, Body::empty())
}

fn plain_404() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found\n")
        .into_response()
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A page, file, redirect or 404 of the site.
fn site(app: &App, uri: &Uri, rel: &str, headers: &HeaderMap) -> Response {
    let snap = app.current();
    if snap.files.is_empty() {
        // No good build yet: every page is the error page.
        let body = match &snap.failure {
            Some(f) => f.page(&app.base),
            None => "<!DOCTYPE html><title>Building…</title><p>The dossier is still building.</p>"
                .into(),
        };
        let mut r = (StatusCode::INTERNAL_SERVER_ERROR, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let key =
        if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.into() };
    if snap.files.contains_key(&key) {
        return served(app, &snap, &key, StatusCode::OK, headers);
    }
    if !rel.is_empty()
        && !rel.ends_with('/')
        && snap.files.contains_key(&format!("{rel}/index.html"))
    {
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return redirect(&format!("{}/{query}", uri.path()));
    }
    if snap.files.contains_key("404.html") {
        return served(app, &snap, "404.html", StatusCode::NOT_FOUND, headers);
    }
    plain_404()
}

/// A file of the site, with its tags when it is HTML.
fn served(
    app: &App,
    snap: &Snapshot,
    key: &str,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let Some(bytes) = snap.files.get(key) else { return plain_404() };
    let raw_tag = snap.etags.get(key).cloned().unwrap_or_default();
    let kind = content_type(key);
    if kind.starts_with("text/html") {
        let overlay = snap.failure.as_ref().map(|f| f.overlay.as_str());
        let body = Bytes::from(reload::inject(bytes, &app.base, overlay));
        file(status, kind, body, &snap.html_etag(&raw_tag), headers)
    } else {
        file(status, kind, bytes.clone(), &format!("\"{raw_tag}\""), headers)
    }
}

/// Answers with `body`, honouring `If-None-Match` and (for 200) `Range`.
fn file(
    status: StatusCode,
    kind: &'static str,
    body: Bytes,
    etag: &str,
    headers: &HeaderMap,
) -> Response {
    let header_str = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, kind)
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "no-cache");
    if status == StatusCode::OK {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
        if header_str(header::IF_NONE_MATCH).is_some_and(|v| etag_matches(v, etag)) {
            return builder
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap_or_default();
        }
        let if_range_ok = header_str(header::IF_RANGE).is_none_or(|v| v.trim() == etag);
        if let (Some(range), true) = (header_str(header::RANGE), if_range_ok) {
            let len = body.len() as u64;
            match range_answer(range, len) {
                RangeAnswer::Full => {}
                RangeAnswer::Part(start, end) => {
                    let part = body.slice(start as usize..=end as usize);
                    return builder
                        .status(StatusCode::PARTIAL_CONTENT)
                        .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
                        .body(Body::from(part))
                        .unwrap_or_default();
                }
                RangeAnswer::Unsatisfiable => {
                    return builder
                        .status(StatusCode::RANGE_NOT_SATISFIABLE)
                        .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                        .body(Body::empty())
                        .unwrap_or_default();
                }
            }
        }
    }
    builder.status(status).body(Body::from(body)).unwrap_or_default()
}

/// The server-sent events stream: a `hello` with the current state's id (a browser that
/// reconnects and hears a new id reloads), then a `reload`, `css` or `error` per rebuild that
/// changed something. Ends when the server stops.
fn events(app: &Arc<App>) -> Response {
    let hello = Event::default().event("hello").data(id_json(&app.current().id));
    let rx = BroadcastStream::new(app.events.subscribe());
    let app = Arc::clone(app);
    let stream = rx
        .take_while(|m| !matches!(m, Ok(Message::Shutdown)))
        // A receiver that fell behind has missed a change: reload.
        .map(move |m| {
            Ok::<Event, Infallible>(to_event(m.unwrap_or(Message::Reload), &app.current().id))
        });
    let stream = tokio_stream::once(Ok(hello)).chain(stream);
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

fn id_json(id: &str) -> String {
    serde_json::json!({ "id": id }).to_string()
}

/// One message as an SSE event; its JSON data carries the id of the state it announces.
fn to_event(message: Message, id: &str) -> Event {
    let (name, data) = match message {
        Message::Reload | Message::Shutdown => ("reload", serde_json::json!({ "id": id })),
        Message::Css(swap) => ("css", serde_json::json!({ "id": id, "swap": swap })),
        Message::Error(failure) => (
            "error",
            serde_json::json!({ "id": id, "html": failure.overlay, "errors": failure.problems }),
        ),
    };
    Event::default().event(name).data(data.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_paths_and_nothing_escapes() {
        assert_eq!(route("/", "/"), Route::Site("".into()));
        assert_eq!(route("/", "/a/b/"), Route::Site("a/b/".into()));
        assert_eq!(route("/", "/a%20b.html"), Route::Site("a b.html".into()));
        assert_eq!(route("/x/", "/x/a"), Route::Site("a".into()));
        assert_eq!(route("/x/", "/x"), Route::Redirect("/x/".into()));
        assert_eq!(route("/x/", "/y/a"), Route::Nowhere);
        assert_eq!(route("/x/", "/"), Route::Nowhere);
        assert_eq!(route("/", "/__dossier/livereload.js"), Route::Own("livereload.js"));
        assert_eq!(route("/x/", "/x/__dossier/events"), Route::Events);
        assert_eq!(route("/", "/__dossier/other"), Route::Nowhere);
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e",
            "/./a",
            "/a/.",
            "//etc/passwd",
            "/a//b",
            "/..%5c..%5cwindows",
            "/a\\b",
            "/a%00.html",
            "/%ff",
        ] {
            assert_eq!(route("/", bad), Route::Nowhere, "{bad}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (path, kind) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.abc.css", "text/css; charset=utf-8"),
            ("pagefind/pagefind.js", "text/javascript; charset=utf-8"),
            ("articles.json", "application/json"),
            ("atom.xml", "application/atom+xml"),
            ("outlets/x/atom.xml", "application/atom+xml"),
            ("sitemap.xml", "application/xml"),
            ("a.SVG", "image/svg+xml"),
            ("i.png", "image/png"),
            ("i.jpg", "image/jpeg"),
            ("i.webp", "image/webp"),
            ("pagefind/wasm.en.pagefind", "application/octet-stream"),
            ("pagefind/x.wasm", "application/wasm"),
            ("pagefind/index/en_1.pf_index", "application/octet-stream"),
            ("pagefind/fragment/en_1.pf_fragment", "application/octet-stream"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), kind, "{path}");
        }
    }

    #[test]
    fn ranges_and_etags() {
        assert_eq!(range_answer("bytes=0-3", 10), RangeAnswer::Part(0, 3));
        assert_eq!(range_answer("bytes=-3", 10), RangeAnswer::Part(7, 9));
        assert_eq!(range_answer("bytes=5-", 10), RangeAnswer::Part(5, 9));
        assert_eq!(range_answer("bytes=5-100", 10), RangeAnswer::Part(5, 9));
        assert_eq!(range_answer("bytes=10-20", 10), RangeAnswer::Unsatisfiable);
        assert_eq!(range_answer("bytes=0-1,4-5", 10), RangeAnswer::Full);
        assert_eq!(range_answer("lines=1-2", 10), RangeAnswer::Full);
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("W/\"a\", \"b\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }
}
