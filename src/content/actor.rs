//! A party whose statements the dossier tracks: `content/actors/<id>.yaml`.
//!
//! Actors are governments, ministries, officials and monitors. Articles name the actors they
//! quote (`actors:`), claims attribute positions to them, and each actor gets a page listing its
//! positions across the claims ledger.

use serde::Deserialize;

use super::outlet::{Attributed, SourceRef};
use crate::diagnostics::Diagnostic;
use crate::yaml::{self, shorthand_list, shorthand_option};

/// The contents of an actor file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorMeta {
    /// Full name, e.g. `Turkey's Ministry of National Defence`.
    pub name: String,
    /// A shorter name for tables, e.g. `Turkish Defence Ministry`.
    #[serde(default)]
    pub short_name: Option<String>,
    /// The country it belongs to, if any.
    #[serde(default)]
    pub country: Option<String>,
    /// The id of the actor it is part of (a ministry's centre, a minister's government …).
    #[serde(default)]
    pub part_of: Option<String>,
    /// How its leaning or standing is described, with the evidence (as for outlets): a text, or
    /// `{value, status, note, sources}`.
    #[serde(default, deserialize_with = "shorthand_option")]
    pub affiliation: Option<Attributed>,
    /// One to three neutral sentences on who it is and its part in the events (Markdown).
    pub description: String,
    /// Sources for the description.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
}

/// An actor, with its id (the file name) and its file.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The id claims and articles refer to.
    pub id: String,
    /// The file, relative to the root.
    pub source: String,
    /// The file's text, for locating errors found later.
    pub text: String,
    /// What the file says.
    pub meta: ActorMeta,
}

impl Actor {
    /// The name used in tables: `short_name`, or else `name`.
    pub fn label(&self) -> &str {
        self.meta.short_name.as_deref().unwrap_or(&self.meta.name)
    }

    /// Parses an actor file; `id` comes from its name.
    pub fn parse(id: String, source: &str, text: String) -> Result<Actor, Vec<Diagnostic>> {
        let src = yaml::Source { file: source, text: &text, first_line: 1 };
        let meta: ActorMeta = yaml::parse(&text, src).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        for (key, value) in [("name", &meta.name), ("description", &meta.description)] {
            if value.trim().is_empty() {
                let (line, col) = yaml::locate_key(&text, key);
                errors.push(
                    Diagnostic::error(source, format!("`{key}` is empty"))
                        .at(&text, line, col)
                        .help("actors need a name and a short neutral description"),
                );
            }
        }
        if meta.part_of.as_deref() == Some(id.as_str()) {
            let (line, col) = yaml::locate_key(&text, "part_of");
            errors.push(
                Diagnostic::error(source, format!("`{id}` cannot be part of itself"))
                    .at(&text, line, col)
                    .help("give the id of the larger body, or leave `part_of` out"),
            );
        }
        if errors.is_empty() {
            Ok(Actor { id, source: source.to_string(), text, meta })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_labels() {
        let a = Actor::parse(
            "mod".into(),
            "content/actors/mod.yaml",
            "name: Ministry of Defence\nshort_name: MoD\ndescription: A ministry.\n".into(),
        )
        .unwrap();
        assert_eq!(a.label(), "MoD");
        assert!(a.meta.part_of.is_none());
    }

    #[test]
    fn empty_description_and_self_reference_are_located() {
        let err =
            Actor::parse("x".into(), "a.yaml", "name: X\npart_of: x\ndescription: \"\"\n".into())
                .unwrap_err();
        assert_eq!(err[0].location(), "a.yaml:3:14");
        assert_eq!(err[0].message, "`description` is empty");
        assert_eq!(err[1].location(), "a.yaml:2:10");
    }
}
