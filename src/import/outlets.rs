//! Which outlet a captured page belongs to: its host against every domain each outlet lists, of
//! any role (primary, mirror, language edition, former), with the `www.`, `m.` and `amp.` variants
//! of each. Pure.

use crate::content::Outlet;

/// An outlet's id and the hosts it publishes under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutletHosts {
    /// The outlet's id.
    pub id: String,
    /// Its domains, every role, lowercase.
    pub hosts: Vec<String>,
}

impl OutletHosts {
    /// The domains an outlet file lists, whatever their role. The one place that knows where
    /// an outlet keeps its domains.
    pub fn of(outlet: &Outlet) -> Self {
        let hosts = outlet.meta.domains.iter().map(|d| d.host.as_str().to_string()).collect();
        OutletHosts { id: outlet.id.clone(), hosts }
    }
}

/// A host without its port, trailing dot and case, and without one leading `www.`, `m.` or
/// `amp.` (or `amp.m.`, `m.amp.`…).
pub fn bare_host(host: &str) -> String {
    let mut h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if let Some((name, port)) = h.rsplit_once(':')
        && port.bytes().all(|b| b.is_ascii_digit())
        && !name.contains(':')
    {
        h = name.to_string();
    }
    loop {
        let stripped = ["www.", "m.", "amp.", "mobile."]
            .iter()
            .find_map(|p| h.strip_prefix(p).filter(|rest| rest.contains('.')).map(str::to_string));
        match stripped {
            Some(rest) => h = rest,
            None => return h,
        }
    }
}

/// The ids of the outlets that list `host` (or its bare form), sorted.
pub fn outlets_for(host: &str, outlets: &[OutletHosts]) -> Vec<String> {
    let bare = bare_host(host);
    let mut ids: Vec<String> = outlets
        .iter()
        .filter(|o| o.hosts.iter().any(|d| bare_host(d) == bare))
        .map(|o| o.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// An outlet id to suggest for an unknown host: its first label once bare
/// (`www.meridian-herald.example` → `meridian-herald`).
pub fn suggested_id(host: &str) -> String {
    let bare = bare_host(host);
    let first = bare.split('.').next().unwrap_or(&bare);
    let slug = crate::values::slugify(first);
    if slug.is_empty() { "outlet".to_string() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outlets() -> Vec<OutletHosts> {
        vec![
            OutletHosts {
                id: "meridian".into(),
                hosts: vec!["meridian-herald.example".into(), "meridian-news.example".into()],
            },
            OutletHosts {
                id: "presstv".into(),
                hosts: vec!["presstv.ir".into(), "www.presstv.co.uk".into()],
            },
        ]
    }

    #[test]
    fn variants_match_every_listed_domain() {
        let o = outlets();
        for host in [
            "meridian-herald.example",
            "www.meridian-herald.example",
            "WWW.Meridian-Herald.example.",
            "m.meridian-herald.example",
            "amp.meridian-news.example",
            "www.meridian-herald.example:8080",
        ] {
            assert_eq!(outlets_for(host, &o), vec!["meridian".to_string()], "{host}");
        }
        assert_eq!(outlets_for("presstv.co.uk", &o), vec!["presstv".to_string()]);
        assert!(outlets_for("news.meridian-herald.example", &o).is_empty());
        assert!(outlets_for("meridian-herald.example.evil.org", &o).is_empty());
    }

    #[test]
    fn bare_hosts_keep_a_registrable_name() {
        assert_eq!(bare_host("www.m.example.org"), "example.org");
        assert_eq!(bare_host("www.com"), "www.com");
        assert_eq!(suggested_id("amp.courrier-levant.example"), "courrier-levant");
    }
}
