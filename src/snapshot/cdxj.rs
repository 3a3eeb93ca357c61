//! CDXJ, the index a replay player looks URLs up in: one line per record,
//! `<SURT> <14-digit timestamp> <JSON>`, sorted bytewise. The JSON says where the record is
//! in the WARC (`offset`, `length`, `filename`) and what it holds (`url`, `mime`, `status`,
//! `digest`), as strings, the way `cdxj-indexer` and py-wacz write them.

use serde::Serialize;

use super::warc::RecordRef;

/// The SURT (Sort-friendly URI Reordering Transform) form of `url`, as pywb computes it:
/// scheme and `www.` dropped, host labels reversed and joined by `,`, then `)` and the
/// path and query, all lowercase: `https://www.Example.org/a/B?x` → `org,example)/a/b?x`.
pub fn surt(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_ascii_lowercase();
    };
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut labels: Vec<&str> = host.split('.').collect();
    labels.reverse();
    let mut out = labels.join(",");
    if let Some(port) = parsed.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push(')');
    out.push_str(&parsed.path().to_ascii_lowercase());
    if let Some(q) = parsed.query() {
        out.push('?');
        out.push_str(&q.to_ascii_lowercase());
    }
    out
}

#[derive(Serialize)]
struct Fields<'a> {
    url: &'a str,
    mime: &'a str,
    status: String,
    digest: &'a str,
    length: String,
    offset: String,
    filename: &'a str,
}

/// One CDXJ line (ending in `\n`) for a record of `filename` at `offset`, `length` bytes long.
#[allow(clippy::too_many_arguments)]
pub fn line(
    uri: &str,
    timestamp: &str,
    mime: &str,
    status: u16,
    digest: &str,
    offset: u64,
    length: u64,
    filename: &str,
) -> String {
    let fields = Fields {
        url: uri,
        mime,
        status: status.to_string(),
        digest,
        length: length.to_string(),
        offset: offset.to_string(),
        filename,
    };
    // Serializing plain strings cannot fail.
    let json = serde_json::to_string(&fields).unwrap_or_default();
    format!("{} {timestamp} {json}\n", surt(uri))
}

/// The CDXJ index of `records` in the WARC `filename`, stamped `timestamp` (14 digits):
/// sorted lines, each ending in `\n`.
pub fn index(records: &[RecordRef], timestamp: &str, filename: &str) -> String {
    let mut lines: Vec<String> = records
        .iter()
        .map(|r| {
            let fields = Fields {
                url: &r.uri,
                mime: &r.mime,
                status: r.status.to_string(),
                digest: &r.digest,
                length: r.length.to_string(),
                offset: r.offset.to_string(),
                filename,
            };
            // Serializing plain strings cannot fail.
            let json = serde_json::to_string(&fields).unwrap_or_default();
            format!("{} {timestamp} {json}\n", surt(&r.uri))
        })
        .collect();
    lines.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surts() {
        assert_eq!(surt("https://www.Example.org/A/b/"), "org,example)/a/b/");
        assert_eq!(surt("https://example.org/"), "org,example)/");
        assert_eq!(surt("http://e.org:8080/x?Q=1"), "org,e:8080)/x?q=1");
    }

    #[test]
    fn lines_are_sorted_and_name_their_record() {
        let r = |uri: &str, offset| RecordRef {
            uri: uri.into(),
            mime: "text/html".into(),
            status: 200,
            digest: "sha256:ab".into(),
            offset,
            length: 10,
            path: String::new(),
            revisit: false,
        };
        let cdx = index(
            &[r("https://e.org/b", 0), r("https://e.org/a", 10)],
            "20190613000000",
            "data.warc.gz",
        );
        assert_eq!(
            cdx,
            "org,e)/a 20190613000000 {\"url\":\"https://e.org/a\",\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"sha256:ab\",\"length\":\"10\",\"offset\":\"10\",\"filename\":\"data.warc.gz\"}\n\
             org,e)/b 20190613000000 {\"url\":\"https://e.org/b\",\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"sha256:ab\",\"length\":\"10\",\"offset\":\"0\",\"filename\":\"data.warc.gz\"}\n"
        );
    }
}
