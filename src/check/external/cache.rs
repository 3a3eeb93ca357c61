//! The cache of external-link answers, so a second `dossier check --external` within
//! `--cache-max-age` asks no server again.
//!
//! It is a JSON file (by default `<root>/.dossier/link-cache.json`, outside `content/`,
//! `templates/`, `static/` and the output, so neither the loader nor the output walker sees
//! it): `{"schema_version": 1, "entries": {"<url>": {"checked": "<RFC 3339>", "outcome": …}}}`,
//! sorted by URL. Only [cacheable](super::Outcome::cacheable) answers are stored; an entry
//! older than the maximum age is ignored and dropped at the next save. Times here are wall-clock
//! times, which is fine: the cache is a working file, not build output. An unreadable or
//! malformed cache is not an error: it is reported and replaced.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::Outcome;

/// The cache file's format version.
const SCHEMA_VERSION: u32 = 1;

/// Cached answers by URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    schema_version: u32,
    entries: BTreeMap<String, Entry>,
}

/// One cached answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// When it was asked for (RFC 3339).
    checked: String,
    outcome: Outcome,
}

impl Cache {
    /// Reads the cache at `path`. A missing file is an empty cache; an unreadable or malformed
    /// one is an empty cache plus a warning saying so.
    pub fn load(path: &Path) -> (Cache, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::default(), None),
            Err(e) => {
                return (
                    Cache::default(),
                    Some(format!(
                        "cannot read the link cache `{}`: {e}; starting afresh",
                        path.display()
                    )),
                );
            }
        };
        match serde_json::from_str::<Cache>(&text) {
            Ok(cache) if cache.schema_version == SCHEMA_VERSION => (cache, None),
            Ok(_) => (Cache::default(), None),
            Err(e) => (
                Cache::default(),
                Some(format!(
                    "the link cache `{}` is not valid ({e}); starting afresh",
                    path.display()
                )),
            ),
        }
    }

    /// The answer for `url`, if it is younger than `max_age` at `now`.
    pub fn get(&self, url: &str, now: jiff::Timestamp, max_age: Duration) -> Option<&Outcome> {
        let entry = self.entries.get(url)?;
        fresh(&entry.checked, now, max_age).then_some(&entry.outcome)
    }

    /// Records the answer for `url`, asked for at `now`.
    pub fn insert(&mut self, url: &str, now: jiff::Timestamp, outcome: Outcome) {
        self.entries.insert(url.to_string(), Entry { checked: now.to_string(), outcome });
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the cache to `path` (creating its directory), dropping entries older than
    /// `max_age` at `now`. The file is written beside its final name and renamed over it, so
    /// an interrupted run leaves the old cache whole.
    pub fn save(&self, path: &Path, now: jiff::Timestamp, max_age: Duration) -> anyhow::Result<()> {
        let kept = Cache {
            schema_version: SCHEMA_VERSION,
            entries: self
                .entries
                .iter()
                .filter(|(_, e)| fresh(&e.checked, now, max_age))
                .map(|(u, e)| (u.clone(), e.clone()))
                .collect(),
        };
        let mut json = serde_json::to_string_pretty(&kept)?;
        json.push('\n');
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!("cannot create the directory `{}` for the link cache", dir.display())
            })?;
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, json).with_context(|| {
            format!("cannot write the link cache `{}`", Path::new(&tmp).display())
        })?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot write the link cache `{}`", path.display()))
    }
}

/// Whether an entry checked at `checked` (RFC 3339) is younger than `max_age` at `now`.
fn fresh(checked: &str, now: jiff::Timestamp, max_age: Duration) -> bool {
    let Ok(checked) = checked.parse::<jiff::Timestamp>() else { return false };
    let age = now.duration_since(checked);
    !age.is_negative() && age.unsigned_abs() < max_age
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::external::Verdict;

    fn ts(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn entries_expire_after_max_age_and_survive_a_round_trip() {
        let day = Duration::from_secs(86_400);
        let mut cache = Cache::default();
        cache.insert(
            "https://a.example/",
            ts("2026-11-28T12:00:00Z"),
            Outcome::from_status(200, None),
        );
        cache.insert(
            "https://b.example/",
            ts("2026-11-27T11:00:00Z"),
            Outcome::from_status(404, None),
        );
        let now = ts("2026-11-29T10:00:00Z");
        assert_eq!(cache.get("https://a.example/", now, day).map(|o| o.verdict), Some(Verdict::Ok));
        assert_eq!(cache.get("https://b.example/", now, day), None, "older than a day");
        assert_eq!(
            cache.get("https://a.example/", now, Duration::ZERO),
            None,
            "max age 0 ignores the cache"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".dossier/link-cache.json");
        cache.save(&path, now, day).unwrap();
        let (loaded, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        assert_eq!(loaded.len(), 1, "the stale entry was dropped");
        assert!(loaded.get("https://a.example/", now, day).is_some());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(
                "{\n  \"schema_version\": 1,\n  \"entries\": {\n    \"https://a.example/\""
            ),
            "{text}"
        );
    }

    #[test]
    fn a_missing_cache_is_empty_and_a_broken_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, warning) = Cache::load(&dir.path().join("none.json"));
        assert!(cache.is_empty() && warning.is_none());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{not json").unwrap();
        let (cache, warning) = Cache::load(&bad);
        assert!(cache.is_empty());
        assert!(warning.unwrap().contains("is not valid"));
    }
}
