//! The HTTP message inside a WARC `response` record: its status line and head, and its body
//! with the transfer and content encodings undone.
//!
//! Pure functions over bytes. A head that is not HTTP is an error (the caller names the record);
//! a body is decoded only up to a limit, so a compressed page cannot inflate without bound.

use std::io::Read;

/// The largest HTTP head read.
pub const MAX_HEAD: usize = 64 << 10;

/// A parsed HTTP response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The status code, e.g. 200.
    pub status: u16,
    /// The fields, names as written.
    pub fields: Vec<(String, String)>,
    /// Where the body starts in the block.
    pub body_start: usize,
}

impl Head {
    /// The value of field `name` (case-insensitive).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lowercased, without parameters (`text/html`).
    pub fn media_type(&self) -> Option<String> {
        self.field("Content-Type").map(media_type)
    }

    /// The `charset` parameter of `Content-Type`, if any.
    pub fn charset(&self) -> Option<String> {
        self.field("Content-Type").and_then(charset)
    }
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
pub fn media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset(value: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Parses the HTTP response head at the start of `block`.
pub fn parse_head(block: &[u8]) -> Result<Head, String> {
    let window = &block[..block.len().min(MAX_HEAD)];
    let end = find(window, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(window, b"\n\n").map(|i| i + 2))
        .ok_or_else(|| {
            if block.len() > MAX_HEAD {
                format!("no blank line ends the HTTP head within {} KiB", MAX_HEAD >> 10)
            } else {
                "the HTTP head has no blank line after it (the record is cut short?)".to_string()
            }
        })?;
    let text = String::from_utf8_lossy(&window[..end]);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let status_line = lines.next().unwrap_or_default();
    let shown = || status_line.chars().take(60).flat_map(char::escape_default).collect::<String>();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/") || code.len() != 3 {
        return Err(format!("the status line `{}` is not `HTTP/1.1 200 OK` or the like", shown()));
    }
    let status = code
        .parse::<u16>()
        .map_err(|_| format!("the status `{code}` in `{}` is not a number", shown()))?;
    let mut fields = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !name.contains(' ') => {
                fields.push((name.trim().to_owned(), value.trim().to_owned()))
            }
            _ if line.starts_with([' ', '\t']) => {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            }
            _ => {
                let shown: String = line.chars().take(60).flat_map(char::escape_default).collect();
                return Err(format!("the HTTP head line `{shown}` is not a `Name: value` field"));
            }
        }
    }
    Ok(Head { status, fields, body_start: end })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The body of a response with head `head` in `block`, with `Transfer-Encoding: chunked` and
/// `Content-Encoding` (gzip, deflate) undone; `Err` says why it cannot be, or that it is larger
/// than `limit` bytes.
pub fn body(head: &Head, block: &[u8], limit: u64) -> Result<Vec<u8>, BodyError> {
    let raw = &block[head.body_start.min(block.len())..];
    let chunked =
        head.field("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let unchunked;
    let raw = if chunked {
        unchunked = dechunk(raw).map_err(BodyError::Broken)?;
        &unchunked[..]
    } else {
        raw
    };
    let encoding = head.field("Content-Encoding").unwrap_or("").trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let read = |r: &mut dyn Read, out: &mut Vec<u8>| {
        r.take(limit + 1)
            .read_to_end(out)
            .map_err(|e| BodyError::Broken(format!("its {encoding} body cannot be decoded: {e}")))
    };
    match encoding.as_str() {
        "" | "identity" => out.extend_from_slice(raw),
        "gzip" | "x-gzip" => {
            read(&mut flate2::read::MultiGzDecoder::new(raw), &mut out)?;
        }
        "deflate" => {
            // `deflate` is zlib-wrapped per the RFC, raw in some servers' practice.
            if read(&mut flate2::read::ZlibDecoder::new(raw), &mut out).is_err() {
                out.clear();
                read(&mut flate2::read::DeflateDecoder::new(raw), &mut out)?;
            }
        }
        other => return Err(BodyError::Unsupported(other.to_string())),
    }
    if out.len() as u64 > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(out)
}

/// Why a body could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// It is malformed: the message says how.
    Broken(String),
    /// Its `Content-Encoding` is not one dossier decodes.
    Unsupported(String),
    /// It is larger than the limit.
    TooLarge,
}

/// Undoes `Transfer-Encoding: chunked`.
fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = find(raw, b"\n").ok_or("a chunk's size line is cut short")?;
        let line = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = line.trim().split(';').next().unwrap_or_default().trim().to_string();
        let size = usize::from_str_radix(&size_text, 16).map_err(|_| {
            format!("the chunk size `{}` is not hexadecimal", size_text.escape_default())
        })?;
        raw = &raw[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size {
            return Err(format!("a chunk of {size} bytes has only {} left", raw.len()));
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size..];
        raw = raw.strip_prefix(b"\r\n").or_else(|| raw.strip_prefix(b"\n")).unwrap_or(raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse() {
        let block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\nX:\r\n\r\n<p>";
        let head = parse_head(block).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.media_type().as_deref(), Some("text/html"));
        assert_eq!(head.charset().as_deref(), Some("ISO-8859-1"));
        assert_eq!(&block[head.body_start..], b"<p>");
        assert_eq!(parse_head(b"HTTP/1.0 301 Moved\n\n").unwrap().status, 301);
    }

    #[test]
    fn broken_heads_say_why() {
        assert_eq!(
            parse_head(b"<html>\r\n\r\n").unwrap_err(),
            "the status line `<html>` is not `HTTP/1.1 200 OK` or the like"
        );
        assert_eq!(
            parse_head(b"HTTP/1.1 2x0 OK\r\n\r\n").unwrap_err(),
            "the status `2x0` in `HTTP/1.1 2x0 OK` is not a number"
        );
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\nContent-Type").unwrap_err().contains("no blank line")
        );
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\nbroken line\r\n\r\n")
                .unwrap_err()
                .contains("`broken line`")
        );
    }

    #[test]
    fn chunked_and_gzipped_bodies_decode_within_the_limit() {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<p>hello</p>").unwrap();
        let zipped = gz.finish().unwrap();
        let mut block =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        block.extend(format!("{:x}\r\n", zipped.len()).as_bytes());
        block.extend(&zipped);
        block.extend(b"\r\n0\r\n\r\n");
        let head = parse_head(&block).unwrap();
        assert_eq!(body(&head, &block, 100).unwrap(), b"<p>hello</p>");
        assert_eq!(body(&head, &block, 5), Err(BodyError::TooLarge));
        let br = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
        assert_eq!(
            body(&parse_head(br).unwrap(), br, 100),
            Err(BodyError::Unsupported("br".into()))
        );
    }
}
