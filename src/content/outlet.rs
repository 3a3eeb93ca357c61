//! A news outlet: `content/outlets/<id>.yaml`.
//!
//! Outlets carry what a reader needs to weigh a report: who owns the outlet, where it is based,
//! every domain it publishes under (the primary one first, then alternate addresses), and the
//! sources for each of these facts, with how well each is verified.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::values::{DomainName, HttpUrl, Verification};
use crate::yaml::{self, Shorthand, shorthand_list, shorthand_option};

/// The contents of an outlet file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutletMeta {
    /// The outlet's name, e.g. `Press TV`.
    pub name: String,
    /// Its home page.
    #[serde(default)]
    pub homepage: Option<HttpUrl>,
    /// Domains it publishes under, the primary one first.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub domains: Vec<Domain>,
    /// Other addresses that serve the same site (mirrors, old or regional domains).
    #[serde(default, deserialize_with = "shorthand_list")]
    pub alternate_domains: Vec<Domain>,
    /// Country the outlet is based in.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub country: Option<Attributed>,
    /// Who owns it.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub owner: Option<Attributed>,
    /// Its affiliation, e.g. `state broadcaster`.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub affiliation: Option<Attributed>,
    /// Editor's notes on the outlet (Markdown).
    #[serde(default)]
    pub notes: Option<String>,
    /// Dated facts about the outlet, each with its status and sources.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Sources backing the facts above.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
}

/// A domain: `- presstv.ir` or `- {domain: presstv.tv, status: partly-verified, note: …}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The host name.
    pub domain: DomainName,
    /// How well it is established that the outlet uses this domain.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Why, when, or how it is used.
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
}

impl Shorthand for Domain {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(Domain { domain: s.parse()?, status: None, note: None, sources: Vec::new() })
    }
    const EXPECTING: &'static str = "a domain name or a mapping with `domain`";
}

/// A one-line fact about the outlet (its country, owner or affiliation): `owner: IRIB`, or with
/// its evidence: `{value: …, status: unverified, note: …, sources: […]}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attributed {
    /// The fact.
    pub value: String,
    /// How well it is established.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Where it comes from, or what is uncertain about it.
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
}

impl Shorthand for Attributed {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(Attributed { value: s.to_string(), status: None, note: None, sources: Vec::new() })
    }
    const EXPECTING: &'static str = "a text or a mapping with `value`, `status`, `note`, `sources`";
}

/// A fact about the outlet, in our words.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The fact (Markdown, one or two sentences).
    pub text: String,
    /// How well it is established.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Evidence.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
}

/// A source: `- https://…` or `- {url: https://…, title: "Reuters, 20 Jan 2012"}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Where it is.
    pub url: HttpUrl,
    /// What it is (publisher, title, date).
    #[serde(default)]
    pub title: Option<String>,
}

impl Shorthand for SourceRef {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(SourceRef { url: s.parse()?, title: None })
    }
    const EXPECTING: &'static str = "a URL or a mapping with `url` and `title`";
}

/// An outlet, with its id (the file name) and the file it came from.
#[derive(Debug, Clone)]
pub struct Outlet {
    /// The id articles refer to.
    pub id: String,
    /// The file, relative to the root.
    pub source: String,
    /// The outlet's facts.
    pub meta: OutletMeta,
}

impl Outlet {
    /// Parses an outlet file; `id` comes from its name.
    pub fn parse(id: String, source: &str, text: &str) -> Result<Outlet, Vec<Diagnostic>> {
        let src = yaml::Source { file: source, text, first_line: 1 };
        let meta: OutletMeta = yaml::parse(text, src).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        if meta.name.trim().is_empty() {
            errors.push(
                Diagnostic::error(source, "`name` is empty")
                    .help("give the outlet's name, e.g. `Press TV`"),
            );
        }
        let mut seen: Vec<&str> = Vec::new();
        for d in meta.domains.iter().chain(&meta.alternate_domains) {
            let name = d.domain.as_str();
            if seen.contains(&name) {
                let line = text.lines().position(|l| l.contains(name)).map_or(1, |i| i + 1);
                errors.push(
                    Diagnostic::error(source, format!("domain `{name}` is listed twice"))
                        .at(text, line, 1)
                        .help("list each domain once, under `domains` or `alternate_domains`"),
                );
            }
            seen.push(name);
        }
        if errors.is_empty() {
            Ok(Outlet { id, source: source.to_string(), meta })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_in_short_and_long_form() {
        let text = "name: Press TV\ndomains: [presstv.ir, {domain: presstv.com, status: verified}]\nalternate_domains:\n  - domain: presstv.tv\n    status: partly-verified\n";
        let o = Outlet::parse("presstv".into(), "content/outlets/presstv.yaml", text).unwrap();
        assert_eq!(o.meta.domains[0].domain.as_str(), "presstv.ir");
        assert_eq!(o.meta.domains[1].status, Some(Verification::Verified));
        assert_eq!(o.meta.alternate_domains[0].status, Some(Verification::PartlyVerified));
    }

    #[test]
    fn attributed_facts_in_short_and_long_form() {
        let text = "name: X\ncountry: Iran\naffiliation:\n  value: state broadcaster\n  status: unverified\n  note: no source\n";
        let o = Outlet::parse("x".into(), "o.yaml", text).unwrap();
        assert_eq!(o.meta.country.as_ref().map(|c| c.value.as_str()), Some("Iran"));
        let a = o.meta.affiliation.unwrap();
        assert_eq!(
            (a.value.as_str(), a.status),
            ("state broadcaster", Some(Verification::Unverified))
        );
        let err = Outlet::parse("x".into(), "o.yaml", "name: X\nowner:\n  valeu: y\n").unwrap_err();
        assert_eq!(err[0].location(), "o.yaml:3:3");
        assert_eq!(err[0].help.as_deref(), Some("did you mean `value`?"));
    }

    #[test]
    fn bad_domain_and_status_are_located() {
        let err = Outlet::parse("x".into(), "o.yaml", "name: X\ndomains:\n  - https://x.org\n")
            .unwrap_err();
        assert_eq!(err[0].location(), "o.yaml:3:5");
        assert!(err[0].message.contains("is a URL, not a domain"), "{}", err[0].message);
        let err = Outlet::parse(
            "x".into(),
            "o.yaml",
            "name: X\ndomains:\n  - {domain: x.org, status: sure}\n",
        )
        .unwrap_err();
        assert!(err[0].message.contains("unknown variant `sure`"), "{}", err[0].message);
    }

    #[test]
    fn duplicate_domains_are_errors() {
        let err = Outlet::parse(
            "x".into(),
            "o.yaml",
            "name: X\ndomains: [x.org]\nalternate_domains: [X.org]\n",
        )
        .unwrap_err();
        assert_eq!(err[0].message, "domain `x.org` is listed twice");
    }
}
