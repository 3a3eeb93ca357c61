//! End-to-end tests: the real binary (and the library) over fixture dossiers in
//! `tests/fixtures/`, and over the repository's own dossier.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

mod authoring;
mod bagit;
mod build;
mod check;
mod determinism;
mod dossier;
mod editorial;
mod faults;
mod hostile;
mod incremental;
mod invalid;
mod links;
mod pagination;
mod properties;
mod provenance;
mod publish;
mod safety;
mod search;
mod serve;
mod snapshot;
mod validators;
mod xss;
