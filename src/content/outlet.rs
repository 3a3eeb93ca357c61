//! A news outlet: `content/outlets/<id>.yaml`.
//!
//! Outlets carry what a reader needs to weigh a report: who owns the outlet, where it is based,
//! every domain it publishes under, and the sources for each of these facts, with how well each
//! is verified. A domain has a role (the outlet's primary address, a mirror of it, a language
//! or regional edition, a former address) and, when known, the period it held that role, so an
//! article can name its outlet's primary domain *as of the article's date*
//! ([`OutletMeta::primary_on`]).
//!
//! A [`SourceRef`] is one piece of evidence; the statuses of the facts that cite them are checked
//! against them by [`super::verify`].

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::values::{DomainName, HttpUrl, LanguageTag, PartialDate, Verification};
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
    /// Every domain it publishes under, each with its role (`primary` by default for the first,
    /// `mirror` for the others) and, when known, the period of that role.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub domains: Vec<Domain>,
    /// Country the outlet is based in.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub country: Option<Attributed>,
    /// Who owns it.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub owner: Option<Attributed>,
    /// Its affiliation or leaning, e.g. `state broadcaster`, as the sources describe it.
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

/// What a domain is to its outlet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DomainRole {
    /// The outlet's main address (in its period, when `from`/`until` are given).
    Primary,
    /// Another address serving the same site.
    Mirror,
    /// A language or regional edition, with pages of its own (set `language` for a language
    /// edition): not a copy of the primary site.
    #[serde(alias = "language-edition")]
    Edition,
    /// An address the outlet no longer uses, when the period is not known.
    Former,
}

impl DomainRole {
    /// The role in words.
    pub fn label(self) -> &'static str {
        match self {
            DomainRole::Primary => "primary",
            DomainRole::Mirror => "mirror",
            DomainRole::Edition => "edition",
            DomainRole::Former => "former",
        }
    }
}

/// A domain: `- presstv.ir`, or
/// `- {host: presstv.com, role: primary, until: 2021-06-22, status: verified, sources: […]}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The host name (`domain:` is accepted too).
    #[serde(alias = "domain")]
    pub host: DomainName,
    /// What it is to the outlet; the loader fills it in when it is left out (`primary` for the
    /// first domain, `mirror` for the others).
    #[serde(default)]
    pub role: Option<DomainRole>,
    /// The language of an edition (`fr`), when it differs from the outlet's.
    #[serde(default)]
    pub language: Option<LanguageTag>,
    /// The first day (or month, or year) it held its role.
    #[serde(default)]
    pub from: Option<PartialDate>,
    /// When it stopped holding its role: the role covers the days *before* this date.
    #[serde(default)]
    pub until: Option<PartialDate>,
    /// How well it is established that the outlet uses this domain in this role.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Why, when, or how it is used.
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
    /// What the sources support (set by the loader).
    #[serde(default, skip_deserializing)]
    pub evidence: Option<super::verify::Evidence>,
}

impl Shorthand for Domain {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(Domain {
            host: s.parse()?,
            role: None,
            language: None,
            from: None,
            until: None,
            status: None,
            note: None,
            sources: Vec::new(),
            evidence: None,
        })
    }
    const EXPECTING: &'static str = "a domain name or a mapping with `host`";
}

impl Domain {
    /// Its role (the loader has filled it in).
    pub fn role(&self) -> DomainRole {
        self.role.unwrap_or(DomainRole::Mirror)
    }

    /// Whether it held its role on `date`: on or after `from`'s first day, and before
    /// `until`'s first day.
    pub fn covers(&self, date: jiff::civil::Date) -> bool {
        self.from.is_none_or(|f| f.start <= date) && self.until.is_none_or(|u| date < u.start)
    }

    /// Whether its period is limited at either end.
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }
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
    /// What the sources support (set by the loader).
    #[serde(default, skip_deserializing)]
    pub evidence: Option<super::verify::Evidence>,
}

impl Shorthand for Attributed {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(Attributed {
            value: s.to_string(),
            status: None,
            note: None,
            sources: Vec::new(),
            evidence: None,
        })
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
    /// What the sources support (set by the loader).
    #[serde(default, skip_deserializing)]
    pub evidence: Option<super::verify::Evidence>,
}

/// A source: `- https://…`, or
/// `- {url: https://…, title: "Reuters, 20 Jan 2012", agency: reuters, indirect: false}`, or
/// for evidence with no public address, `- {title: "…"}`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Where it is, when it has a public address.
    pub url: Option<HttpUrl>,
    /// What it is (publisher, title, date); required without `url`.
    pub title: Option<String>,
    /// The outlet (an id from `content/outlets/`) whose report this page carries or quotes:
    /// for counting independent sources it is that outlet's.
    pub agency: Option<String>,
    /// Evidence only that such a report exists (an address quoted elsewhere, not the page
    /// itself): shown, but not counted as a source.
    pub indirect: bool,
    /// Archived copies of `url` (Wayback Machine, archive.today …).
    pub archived: Vec<HttpUrl>,
    /// The dossier's article at `url`, when there is one (set by the loader): its record is
    /// shown instead of a title.
    pub article: Option<SourceArticle>,
}

/// What a source shows of the dossier's article at its address.
#[derive(Debug, Clone, Serialize)]
pub struct SourceArticle {
    /// The article's slug (its page is `articles/<slug>/`).
    pub slug: String,
    /// Its outlet's name.
    pub outlet: String,
    /// Its headline, when known.
    pub title: Option<String>,
    /// Its date (`YYYY-MM-DD` or RFC 3339), when known.
    pub published: Option<String>,
    /// How well the date is established.
    pub date_status: Option<Verification>,
}

/// The fields of a source as written, before the check that it has a `url` or a `title`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    #[serde(default)]
    url: Option<HttpUrl>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    agency: Option<String>,
    #[serde(default)]
    indirect: bool,
    #[serde(default)]
    archived: Vec<HttpUrl>,
}

impl<'de> Deserialize<'de> for SourceRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawSource::deserialize(d)?;
        let titled = raw.title.as_deref().is_some_and(|t| !t.trim().is_empty());
        if raw.url.is_none() && !titled {
            return Err(serde::de::Error::custom(
                "a source needs a `url`, or a `title` saying what it is when it has no public \
                 address",
            ));
        }
        Ok(SourceRef {
            url: raw.url,
            title: raw.title,
            agency: raw.agency,
            indirect: raw.indirect,
            archived: raw.archived,
            article: None,
        })
    }
}

impl Shorthand for SourceRef {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(SourceRef {
            url: Some(s.parse()?),
            title: None,
            agency: None,
            indirect: false,
            archived: Vec::new(),
            article: None,
        })
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
    /// The file's text, for locating errors found later.
    pub text: String,
    /// The outlet's facts.
    pub meta: OutletMeta,
}

impl OutletMeta {
    /// The outlet's primary domain on `date`: the `primary` domain whose period covers it.
    pub fn primary_on(&self, date: jiff::civil::Date) -> Option<&Domain> {
        self.domains.iter().find(|d| d.role() == DomainRole::Primary && d.covers(date))
    }

    /// Its primary domains, in file order.
    pub fn primaries(&self) -> impl Iterator<Item = &Domain> {
        self.domains.iter().filter(|d| d.role() == DomainRole::Primary)
    }

    /// The domain `host` is on (the domain itself or, failing that, the longest domain it is a
    /// subdomain of), if any.
    pub fn domain_of(&self, host: &str) -> Option<&Domain> {
        self.domains
            .iter()
            .filter(|d| {
                let name = d.host.as_str();
                host == name || host.strip_suffix(name).is_some_and(|rest| rest.ends_with('.'))
            })
            .max_by_key(|d| d.host.as_str().len())
    }
}

impl Outlet {
    /// Parses an outlet file; `id` comes from its name.
    pub fn parse(id: String, source: &str, text: &str) -> Result<Outlet, Vec<Diagnostic>> {
        if let Some(line) = text.lines().position(|l| l.starts_with("alternate_domains:")) {
            return Err(vec![
                Diagnostic::error(source, "`alternate_domains` is no longer a key")
                    .at(text, line + 1, 1)
                    .help(
                        "list every domain under `domains`, each with its `role`: `primary`, \
                         `mirror` (another address of the same site), `edition` or `former`",
                    ),
            ]);
        }
        let src = yaml::Source { file: source, text, first_line: 1 };
        let mut meta: OutletMeta = yaml::parse(text, src).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        if meta.name.trim().is_empty() {
            errors.push(
                Diagnostic::error(source, "`name` is empty")
                    .help("give the outlet's name, e.g. `Press TV`"),
            );
        }
        for (i, d) in meta.domains.iter_mut().enumerate() {
            if d.role.is_none() {
                d.role = Some(if i == 0 { DomainRole::Primary } else { DomainRole::Mirror });
            }
        }
        let at_host = |host: &str| {
            let line = text
                .lines()
                .position(|l| {
                    let t = l.trim_start_matches([' ', '-', '{']);
                    (t.starts_with("host:") || t.starts_with("domain:") || t.starts_with(host))
                        && l.contains(host)
                })
                .map_or(1, |i| i + 1);
            let col = text.lines().nth(line - 1).and_then(|l| l.find(host)).map_or(1, |c| c + 1);
            (line, col)
        };
        let mut seen: Vec<&str> = Vec::new();
        for d in &meta.domains {
            let name = d.host.as_str();
            if seen.contains(&name) {
                let (line, col) = at_host(name);
                errors.push(
                    Diagnostic::error(source, format!("domain `{name}` is listed twice"))
                        .at(text, line, col)
                        .help("list each domain once, with its `role`"),
                );
            }
            seen.push(name);
            if let (Some(from), Some(until)) = (d.from, d.until)
                && until.start <= from.start
            {
                let (line, col) = at_host(name);
                errors.push(
                    Diagnostic::error(
                        source,
                        format!("domain `{name}`: `until` ({until}) is not after `from` ({from})"),
                    )
                    .at(text, line, col)
                    .help("`from` is the first day of the role; `until` the day it ended"),
                );
            }
        }
        let primaries: Vec<&Domain> = meta.primaries().collect();
        for (i, a) in primaries.iter().enumerate() {
            for b in &primaries[i + 1..] {
                if overlap(a, b) {
                    let (line, col) = at_host(b.host.as_str());
                    errors.push(
                        Diagnostic::error(
                            source,
                            format!(
                                "`{}` and `{}` are both the primary domain at the same time",
                                a.host, b.host
                            ),
                        )
                        .at(text, line, col)
                        .help(
                            "give each primary domain its period with `from` and `until` (one \
                             ends where the next begins), or make one a `mirror`",
                        ),
                    );
                }
            }
        }
        if errors.is_empty() {
            Ok(Outlet { id, source: source.to_string(), text: text.to_string(), meta })
        } else {
            Err(errors)
        }
    }
}

/// Whether two domains' periods share a day.
fn overlap(a: &Domain, b: &Domain) -> bool {
    let starts = |d: &Domain| d.from.map(|f| f.start);
    let ends = |d: &Domain| d.until.map(|u| u.start);
    let a_before_b = matches!((ends(a), starts(b)), (Some(e), Some(s)) if e <= s);
    let b_before_a = matches!((ends(b), starts(a)), (Some(e), Some(s)) if e <= s);
    !a_before_b && !b_before_a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    #[test]
    fn domains_in_short_and_long_form() {
        let text =
            "name: Press TV\ndomains: [presstv.ir, {domain: presstv.com, status: verified}]\n";
        let o = Outlet::parse("presstv".into(), "content/outlets/presstv.yaml", text).unwrap();
        assert_eq!(o.meta.domains[0].host.as_str(), "presstv.ir");
        assert_eq!(o.meta.domains[0].role(), DomainRole::Primary);
        assert_eq!(o.meta.domains[1].role(), DomainRole::Mirror);
        assert_eq!(o.meta.domains[1].status, Some(Verification::Verified));
    }

    #[test]
    fn the_primary_domain_depends_on_the_date() {
        let text = "name: Press TV\ndomains:\n  - host: presstv.com\n    role: primary\n    until: \
            2021-06-22\n  - host: presstv.ir\n    role: primary\n    from: 2021-06-22\n  - host: \
            presstv.co.uk\n    role: mirror\n  - host: french.presstv.ir\n    role: \
            language-edition\n    language: fr\n";
        let o = Outlet::parse("presstv".into(), "o.yaml", text).unwrap();
        let on = |d: &str| o.meta.primary_on(date(d)).map(|d| d.host.as_str());
        assert_eq!(on("2019-06-13"), Some("presstv.com"));
        assert_eq!(on("2021-06-21"), Some("presstv.com"));
        assert_eq!(on("2021-06-22"), Some("presstv.ir"));
        assert_eq!(on("2024-01-01"), Some("presstv.ir"));
        assert_eq!(o.meta.domains[3].role(), DomainRole::Edition);
        assert_eq!(
            o.meta.domain_of("www.presstv.co.uk").map(|d| d.host.as_str()),
            Some("presstv.co.uk")
        );
        assert_eq!(
            o.meta.domain_of("french.presstv.ir").map(|d| d.host.as_str()),
            Some("french.presstv.ir")
        );
        assert!(o.meta.domain_of("notpresstv.ir").is_none());
        // A month or a year covers the days from its first.
        let text = "name: X\ndomains:\n  - {host: a.example, role: primary, until: 2020}\n  - \
            {host: b.example, role: primary, from: 2020}\n";
        let o = Outlet::parse("x".into(), "o.yaml", text).unwrap();
        assert_eq!(
            o.meta.primary_on(date("2019-12-31")).map(|d| d.host.as_str()),
            Some("a.example")
        );
        assert_eq!(
            o.meta.primary_on(date("2020-01-01")).map(|d| d.host.as_str()),
            Some("b.example")
        );
    }

    #[test]
    fn overlapping_primaries_and_backward_periods_are_errors() {
        let text = "name: X\ndomains:\n  - {host: a.example, role: primary, until: 2021-06-22}\n  \
            - {host: b.example, role: primary, from: 2021-06-01}\n";
        let err = Outlet::parse("x".into(), "o.yaml", text).unwrap_err();
        assert_eq!(err[0].location(), "o.yaml:4:12");
        assert_eq!(
            err[0].message,
            "`a.example` and `b.example` are both the primary domain at the same time"
        );
        let text = "name: X\ndomains:\n  - {host: a.example, from: 2021, until: 2020}\n";
        let err = Outlet::parse("x".into(), "o.yaml", text).unwrap_err();
        assert_eq!(err[0].message, "domain `a.example`: `until` (2020) is not after `from` (2021)");
    }

    #[test]
    fn alternate_domains_is_gone_with_a_pointer_to_roles() {
        let err = Outlet::parse("x".into(), "o.yaml", "name: X\nalternate_domains: [x.org]\n")
            .unwrap_err();
        assert_eq!(err[0].location(), "o.yaml:2:1");
        assert!(err[0].help.as_deref().unwrap().contains("`mirror`"));
    }

    #[test]
    fn attributed_facts_in_short_and_long_form() {
        let text = "name: X\ncountry: Iran\naffiliation:\n  value: state broadcaster\n  status: \
            unverified\n  note: no source\n";
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
    fn sources_need_a_url_or_a_title() {
        let text = "name: X\nsources:\n  - {title: Code on GitHub that reads the feed}\n  - \
            {url: https://x.example/a, agency: reuters, indirect: true}\n";
        let o = Outlet::parse("x".into(), "o.yaml", text).unwrap();
        assert!(o.meta.sources[0].url.is_none());
        assert_eq!(o.meta.sources[1].agency.as_deref(), Some("reuters"));
        assert!(o.meta.sources[1].indirect);
        let err = Outlet::parse("x".into(), "o.yaml", "name: X\nsources:\n  - {agency: afp}\n")
            .unwrap_err();
        assert!(
            err[0].message.contains("a source needs a `url`, or a `title`"),
            "{}",
            err[0].message
        );
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
        let err =
            Outlet::parse("x".into(), "o.yaml", "name: X\ndomains: [x.org, X.org]\n").unwrap_err();
        assert_eq!(err[0].message, "domain `x.org` is listed twice");
    }
}
