//! Validated scalar values shared by `dossier.yaml` and the content files.
//!
//! Each type checks itself while it is deserialized, so a bad value is reported by `yaml_serde`
//! at the value's own line and column (see [`crate::yaml`]). They serialize to the plain strings
//! templates expect.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Implements `Deserialize` (from a string, via `FromStr`) and `Serialize` (via `Display`).
/// Parsing happens inside the visitor, so a bad value is reported at its own position.
macro_rules! string_value {
    ($ty:ty, $expecting:literal) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}
pub(crate) use string_value;

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// The URL as written (after validation).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for HttpUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "`{}` has {}: a URL cannot; percent-encode it (a space is `%20`)",
                s.escape_debug(),
                if c == ' ' { "a space".to_string() } else { format!("the character {c:?}") }
            ));
        }
        match url::Url::parse(s) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                Ok(HttpUrl(s.to_string()))
            }
            Ok(u) => Err(format!(
                "`{s}` uses the `{}:` scheme; only absolute `http://` or `https://` URLs are \
                    accepted",
                u.scheme()
            )),
            Err(e) => Err(format!(
                "`{s}` is not an absolute URL ({e}); write it in full, e.g. \
                    `https://example.org/page`"
            )),
        }
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(HttpUrl, "an absolute http(s) URL");

/// `url: ""`, `url: ~` and `url:` all mean "not known"; anything else must be a valid URL.
pub fn optional_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HttpUrl>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Option<HttpUrl>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an absolute http(s) URL, or nothing when it is not known")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() { Ok(None) } else { v.parse().map(Some).map_err(E::custom) }
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// A host name such as `presstv.ir`: lowercase, no scheme, no path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainName(String);

impl DomainName {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DomainName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let name = s.trim().trim_end_matches('.').to_ascii_lowercase();
        if name.contains("://") || name.contains('/') {
            return Err(format!(
                "`{s}` is a URL, not a domain; write only the host name, e.g. `presstv.ir`"
            ));
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if name.len() > 253 || !name.contains('.') || !name.split('.').all(label_ok) {
            return Err(format!(
                "`{s}` is not a domain name; use letters, digits, hyphens and dots, e.g. \
                    `presstv.co.uk`"
            ));
        }
        Ok(DomainName(name))
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(DomainName, "a domain name such as `presstv.ir`");

/// A BCP 47 language tag such as `en`, `de` or `pt-BR` (checked for shape, not registry).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguageTag(String);

impl LanguageTag {
    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LanguageTag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.split('-');
        let primary = parts.next().unwrap_or("");
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(LanguageTag(s.to_string()))
        } else {
            Err(format!("`{s}` is not a language tag; use a code such as `en`, `fr` or `pt-BR`"))
        }
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(LanguageTag, "a language tag such as `en`");

/// How well a fact is established, following the dossier's sourcing legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// Two independent sources, or a primary/wire source and a consistent secondary one.
    Verified,
    /// The main point is supported; a detail is missing or conflicting.
    PartlyVerified,
    /// Not found, or supported only indirectly.
    Unverified,
}

/// A calendar date, or an instant with its UTC offset (RFC 3339).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrTime {
    /// `2019-06-13`
    Date(jiff::civil::Date),
    /// `2019-06-13T11:12:00Z`: the local date-time as written, and its offset.
    DateTime(jiff::civil::DateTime, jiff::tz::Offset),
}

impl DateOrTime {
    /// The calendar date, in the offset it was written in.
    pub fn date(&self) -> jiff::civil::Date {
        match self {
            DateOrTime::Date(d) => *d,
            DateOrTime::DateTime(dt, _) => dt.date(),
        }
    }

    /// As an RFC 3339 date-time (Atom's dates): a bare date is taken as its midnight, UTC.
    pub fn rfc3339(&self) -> String {
        match self {
            DateOrTime::Date(d) => format!("{d}T00:00:00Z"),
            DateOrTime::DateTime(..) => self.to_string(),
        }
    }

    /// Whether a time of day was given.
    pub fn has_time(&self) -> bool {
        matches!(self, DateOrTime::DateTime(..))
    }

    /// Sort key: the date, then (when known) the instant; a bare date sorts before times that day.
    pub fn sort_key(&self) -> (jiff::civil::Date, Option<jiff::Timestamp>) {
        match self {
            DateOrTime::Date(d) => (*d, None),
            DateOrTime::DateTime(dt, off) => (dt.date(), off.to_timestamp(*dt).ok()),
        }
    }
}

impl FromStr for DateOrTime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let help = "write a date as `YYYY-MM-DD` (e.g. `2019-06-13`) or an RFC 3339 date-time \
                    with its offset (e.g. `2019-06-13T11:12:00Z`)";
        if s.len() == 10 {
            return parse_date(s).map(DateOrTime::Date).map_err(|e| format!("{e}; {help}"));
        }
        let ts: jiff::Timestamp =
            s.parse().map_err(|_| format!("`{s}` is not a valid date; {help}"))?;
        let pieces = jiff::fmt::temporal::Pieces::parse(s).map_err(|e| format!("`{s}`: {e}"))?;
        let offset = pieces
            .to_numeric_offset()
            .ok_or_else(|| format!("`{s}` has no numeric UTC offset; {help}"))?;
        Ok(DateOrTime::DateTime(offset.to_datetime(ts), offset))
    }
}

impl fmt::Display for DateOrTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrTime::Date(d) => write!(f, "{d}"),
            DateOrTime::DateTime(dt, off) => {
                // `+00:00` for UTC, as written in feeds and JSON-LD (not `Z`).
                let mut time = jiff::fmt::strtime::BrokenDownTime::from(*dt);
                time.set_offset(Some(*off));
                let text = time.to_string("%Y-%m-%dT%H:%M:%S%:z").map_err(|_| fmt::Error)?;
                f.write_str(&text)
            }
        }
    }
}
string_value!(DateOrTime, "a date (YYYY-MM-DD) or an RFC 3339 date-time");

/// When an article was published: a [`DateOrTime`], or `unknown` when no date was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// The date (and perhaps time) the outlet gave.
    Known(DateOrTime),
    /// No date was recorded; shown as such, sorted after every dated item.
    Unknown,
}

impl Published {
    /// The date, if known.
    pub fn known(&self) -> Option<DateOrTime> {
        match self {
            Published::Known(d) => Some(*d),
            Published::Unknown => None,
        }
    }

    /// Newest-first sort key: known dates by [`DateOrTime::sort_key`], unknown ones last.
    pub fn sort_key(&self) -> Option<(jiff::civil::Date, Option<jiff::Timestamp>)> {
        self.known().map(|d| d.sort_key())
    }
}

impl FromStr for Published {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.trim() == "unknown" {
            return Ok(Published::Unknown);
        }
        s.parse()
            .map(Published::Known)
            .map_err(|e| format!("{e}, or `unknown` when no date was recorded"))
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Published::Known(d) => d.fmt(f),
            Published::Unknown => f.write_str("unknown"),
        }
    }
}
string_value!(Published, "a date (YYYY-MM-DD), an RFC 3339 date-time, or `unknown`");

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{s}` is not a date"));
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
    jiff::civil::Date::new(y, m, d).map_err(|_| format!("`{s}` is not a real calendar date"))
}

/// How much of a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year: `2017`.
    Year,
    /// Year and month: `2017-05`.
    Month,
    /// A full date: `2017-05-04`.
    Day,
}

/// A date known to the year, the month or the day — shown only to that precision, so "May
/// 2017" is never displayed as "1 May 2017".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    /// The first day of the period (for sorting).
    pub start: jiff::civil::Date,
    /// How much is known.
    pub precision: Precision,
}

impl PartialDate {
    /// A date known to the day.
    pub fn day(date: jiff::civil::Date) -> Self {
        PartialDate { start: date, precision: Precision::Day }
    }

    /// The last day of the period: the date itself, or the month's or year's last day.
    pub fn end(&self) -> jiff::civil::Date {
        match self.precision {
            Precision::Year => self.start.last_of_year(),
            Precision::Month => self.start.last_of_month(),
            Precision::Day => self.start,
        }
    }

    /// English display at the known precision: `2017`, `May 2017`, `4 May 2017`.
    pub fn display(&self) -> String {
        let month = self.start.strftime("%B");
        match self.precision {
            Precision::Year => self.start.year().to_string(),
            Precision::Month => format!("{month} {}", self.start.year()),
            Precision::Day => format!("{} {month} {}", self.start.day(), self.start.year()),
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let help = "write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, giving only the parts that are known";
        let (full, precision) = match s.len() {
            4 => (format!("{s}-01-01"), Precision::Year),
            7 => (format!("{s}-01"), Precision::Month),
            10 => (s.to_string(), Precision::Day),
            _ => return Err(format!("`{s}` is not a date; {help}")),
        };
        let start = parse_date(&full).map_err(|_| format!("`{s}` is not a real date; {help}"))?;
        Ok(PartialDate { start, precision })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{:04}", self.start.year()),
            Precision::Month => write!(f, "{:04}-{:02}", self.start.year(), self.start.month()),
            Precision::Day => write!(f, "{}", self.start),
        }
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
            // `taken: 2019` arrives as a number.
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PartialDate, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// Templates get `{iso, precision, display}`.
impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PartialDate", 3)?;
        st.serialize_field("iso", &self.to_string())?;
        st.serialize_field("precision", &self.precision)?;
        st.serialize_field("display", &self.display())?;
        st.end()
    }
}

/// The URL-safe form of a name: lowercase ASCII letters, digits and single hyphens.
///
/// The same function backs the templates' `slug` filter (tera-contrib uses the `slug` crate too),
/// so a slug computed in Rust and one computed in a template agree.
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http() {
        assert!("https://news.trust.org/item/20190613105459-3rrr2/".parse::<HttpUrl>().is_ok());
        assert!(
            "javascript:alert(1)".parse::<HttpUrl>().unwrap_err().contains("`javascript:` scheme")
        );
        assert!(
            "www.presstv.com/x".parse::<HttpUrl>().unwrap_err().contains("not an absolute URL")
        );
    }

    #[test]
    fn domains_are_host_names_only() {
        assert_eq!("PressTV.co.uk".parse::<DomainName>().unwrap().as_str(), "presstv.co.uk");
        assert!("https://presstv.ir".parse::<DomainName>().unwrap_err().contains("is a URL"));
        assert!("localhost".parse::<DomainName>().is_err());
        assert!("a..b".parse::<DomainName>().is_err());
    }

    #[test]
    fn language_tags() {
        assert!("en".parse::<LanguageTag>().is_ok());
        assert!("pt-BR".parse::<LanguageTag>().is_ok());
        assert!("english".parse::<LanguageTag>().is_err());
        assert!("".parse::<LanguageTag>().is_err());
    }

    #[test]
    fn dates_and_datetimes() {
        let d: DateOrTime = "2019-06-13".parse().unwrap();
        assert_eq!(d.to_string(), "2019-06-13");
        assert!(!d.has_time());
        let t: DateOrTime = "2019-06-13T11:12:00Z".parse().unwrap();
        assert_eq!(t.to_string(), "2019-06-13T11:12:00+00:00");
        let t: DateOrTime = "2019-06-13T23:30:00-04:00".parse().unwrap();
        assert_eq!(t.date().to_string(), "2019-06-13", "the date stays in its own offset");
        assert!(
            "2019-02-30".parse::<DateOrTime>().unwrap_err().contains("not a real calendar date")
        );
        assert!("yesterday".parse::<DateOrTime>().unwrap_err().contains("not a valid date"));
        assert!("2019-06-13T11:12:00".parse::<DateOrTime>().is_err(), "an offset is required");
        assert!(d.sort_key() < t.sort_key());
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let p: PartialDate = "2017-05".parse().unwrap();
        assert_eq!(p.display(), "May 2017");
        assert_eq!(p.to_string(), "2017-05");
        assert_eq!("2019-03-17".parse::<PartialDate>().unwrap().display(), "17 March 2019");
        assert_eq!("2016".parse::<PartialDate>().unwrap().display(), "2016");
        assert!("2017-13".parse::<PartialDate>().is_err());
        assert!("17 March 2019".parse::<PartialDate>().is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Turkey disputes Russia: Idlib!"), "turkey-disputes-russia-idlib");
        assert_eq!(slugify("Çavuşoğlu"), "cavusoglu");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn http_urls_with_spaces_or_control_characters_are_refused() {
        assert_eq!(
            "https://example.org/a b".parse::<HttpUrl>().unwrap_err(),
            "`https://example.org/a b` has a space: a URL cannot; percent-encode it (a space \
                is `%20`)"
        );
        assert_eq!(
            "https://example.org/a\u{7}b".parse::<HttpUrl>().unwrap_err(),
            "`https://example.org/a\\u{7}b` has the character '\\u{7}': a URL cannot; \
                percent-encode it (a space is `%20`)"
        );
        assert_eq!(
            " https://example.org/a%20b ".parse::<HttpUrl>().unwrap().to_string(),
            "https://example.org/a%20b"
        );
    }
}
