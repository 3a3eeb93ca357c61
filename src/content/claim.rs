//! A disputed point of the story and who took which side: `content/claims/<id>.yaml`.
//!
//! A claim is a neutral question ("Who attacked the post?") and a list of positions. Each
//! position is an actor's (or an outlet's own) stance, stated in one line in our words, with the
//! date it was stated and the dossier's articles that carry it — so every statement in the
//! claims ledger can be traced to a report.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::values::{PartialDate, Verification};
use crate::yaml;

/// What a position does with the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// States it as fact.
    Asserts,
    /// Says it is untrue.
    Denies,
    /// Challenges it, or says it is not (yet) so.
    Disputes,
    /// Relays or observes something bearing on it, without taking a side.
    Reports,
}

impl Stance {
    /// Every stance, in display order.
    pub const ALL: [Stance; 4] =
        [Stance::Asserts, Stance::Denies, Stance::Disputes, Stance::Reports];

    /// The word used in files, tables and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Denies => "denies",
            Stance::Disputes => "disputes",
            Stance::Reports => "reports",
        }
    }
}

/// One side's position on a claim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The actor holding it (an id from `content/actors/`) …
    #[serde(default)]
    pub actor: Option<String>,
    /// … or the outlet, when the position is the outlet's own reporting.
    #[serde(default)]
    pub outlet: Option<String>,
    /// What it does with the claim.
    pub stance: Stance,
    /// The position in one line, in our words.
    pub statement: String,
    /// When it was stated.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// How well it is established that the actor said this.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Slugs of the dossier's articles that carry it (at least one).
    #[serde(default)]
    pub articles: Vec<String>,
    /// What the articles support (set by the loader, which also sets `status` to the status
    /// shown).
    #[serde(skip)]
    pub evidence: Option<super::verify::Evidence>,
}

/// The contents of a claim file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMeta {
    /// The disputed point, as a neutral question.
    pub question: String,
    /// Position in the ledger (lower first; then by id).
    #[serde(default)]
    pub order: i64,
    /// Background in one to three sentences (Markdown).
    #[serde(default)]
    pub context: Option<String>,
    /// The sides.
    pub positions: Vec<Position>,
}

/// A claim, with its id (the file name) and its file.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Its id, also its anchor on the dispute page.
    pub id: String,
    /// The file, relative to the root.
    pub source: String,
    /// The file's text, for locating errors found later.
    pub text: String,
    /// What the file says.
    pub meta: ClaimMeta,
}

impl Position {
    /// The id this position is attributed to, and whether it is an outlet's.
    pub fn holder(&self) -> (&str, bool) {
        match (&self.actor, &self.outlet) {
            (Some(a), _) => (a, false),
            (None, Some(o)) => (o, true),
            (None, None) => ("", false),
        }
    }
}

impl Claim {
    /// Parses a claim file; `id` comes from its name.
    pub fn parse(id: String, source: &str, text: String) -> Result<Claim, Vec<Diagnostic>> {
        let src = yaml::Source { file: source, text: &text, first_line: 1 };
        let meta: ClaimMeta = yaml::parse(&text, src).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let err = |key: &str, nth: usize, message: String, help: &str| {
            let (line, col) = nth_item(&text, key, nth);
            Diagnostic::error(source, message).at(&text, line, col).help(help)
        };
        if meta.question.trim().is_empty() {
            errors.push(err(
                "question",
                0,
                "`question` is empty".into(),
                "ask the disputed point as a neutral question",
            ));
        }
        if meta.positions.is_empty() {
            errors.push(err(
                "positions",
                0,
                "the claim has no positions".into(),
                "add at least one position: `actor`, `stance`, `statement`, `articles`",
            ));
        }
        for (i, p) in meta.positions.iter().enumerate() {
            let n = i + 1;
            match (&p.actor, &p.outlet) {
                (None, None) => errors.push(err(
                    "positions",
                    i,
                    format!("position {n} names neither an `actor` nor an `outlet`"),
                    "say whose position it is: `actor: <id>` (content/actors/) or \
                     `outlet: <id>` for an outlet's own reporting",
                )),
                (Some(_), Some(_)) => errors.push(err(
                    "positions",
                    i,
                    format!("position {n} names both an `actor` and an `outlet`"),
                    "a position belongs to one side: keep `actor`, or `outlet` for an outlet's \
                     own reporting",
                )),
                _ => {}
            }
            if p.statement.trim().is_empty() {
                errors.push(err(
                    "positions",
                    i,
                    format!("position {n} has an empty `statement`"),
                    "state the position in one line, in our words",
                ));
            }
            if p.articles.is_empty() {
                errors.push(err(
                    "positions",
                    i,
                    format!("position {n} cites no articles"),
                    "list \
                    in `articles` the slugs of the dossier's articles that carry this position, so \
                    it can be traced",
                ));
            }
        }
        if errors.is_empty() {
            Ok(Claim { id, source: source.to_string(), text, meta })
        } else {
            Err(errors)
        }
    }
}

/// The position of the `nth` item (`- …`) of the block list under `key:`, or of `key:` itself.
pub(crate) fn nth_item(text: &str, key: &str, nth: usize) -> (usize, usize) {
    let (key_line, key_col) = yaml::locate_key(text, key);
    let mut item_indent = None;
    let mut seen = 0;
    for (i, line) in text.lines().enumerate().skip(key_line) {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !t.starts_with("- ") {
            if item_indent.is_none_or(|ind| indent < ind) {
                break;
            }
            continue;
        }
        let ind = *item_indent.get_or_insert(indent);
        if indent == ind {
            if seen == nth {
                return (i + 1, indent + 1);
            }
            seen += 1;
        } else if indent < ind {
            break;
        }
    }
    (key_line, key_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "question: Who attacked the post?\norder: 2\npositions:\n  - actor: \
        turkey\n    stance: asserts\n    statement: Government forces did.\n    date: \
        2019-06-13\n    articles: [a]\n  - outlet: enab\n    stance: reports\n    statement: Fire \
        came from a checkpoint.\n    articles:\n      - b\n";

    #[test]
    fn parses_positions() {
        let c = Claim::parse("who".into(), "content/claims/who.yaml", GOOD.into()).unwrap();
        assert_eq!(c.meta.order, 2);
        assert_eq!(c.meta.positions[0].holder(), ("turkey", false));
        assert_eq!(c.meta.positions[1].holder(), ("enab", true));
        assert_eq!(c.meta.positions[1].stance, Stance::Reports);
    }

    #[test]
    fn bad_positions_are_located() {
        let text = GOOD
            .replace("  - outlet: enab\n", "  - actor: x\n    outlet: enab\n")
            .replace("articles: [a]", "articles: []");
        let err = Claim::parse("who".into(), "c.yaml", text).unwrap_err();
        assert_eq!(err[0].message, "position 1 cites no articles");
        assert_eq!(err[0].location(), "c.yaml:4:3");
        assert_eq!(err[1].message, "position 2 names both an `actor` and an `outlet`");
        assert_eq!(err[1].location(), "c.yaml:9:3");
        let err =
            Claim::parse("who".into(), "c.yaml", GOOD.replace("stance: reports", "stance: says"))
                .unwrap_err();
        assert!(err[0].message.contains("unknown variant `says`"), "{}", err[0].message);
        assert_eq!(err[0].location(), "c.yaml:10:13");
    }
}
