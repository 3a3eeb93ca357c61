//! End-to-end tests: the real binary (and the library) over fixture dossiers in
//! `tests/fixtures/`, and over the repository's own dossier.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

// The seeded generator of synthetic corpora; its own tests run (again) here, in milliseconds.
#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

mod authoring;
mod bagit;
mod build;
mod check;
mod determinism;
mod dossier;
mod editorial;
mod faults;
mod hostile;
mod import;
mod incremental;
mod invalid;
mod links;
mod pagination;
mod properties;
mod provenance;
mod publication;
mod publish;
mod safety;
mod search;
mod search_fidelity;
mod search_index;
mod serve;
mod snapshot;
mod validators;
mod xss;
