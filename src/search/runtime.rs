//! Pagefind's runtime: the scripts and WebAssembly the search page loads to read the index.
//!
//! They are Pagefind's own (the `pagefind` crate carries them), taken from it by building a
//! one-record index in memory: its minified `pagefind.js` and `pagefind-worker.js`, and the
//! WebAssembly for the language (`wasm.en.pagefind`, with that language's stemmer; the
//! generic `wasm.unknown.pagefind` for a language Pagefind does not stem). Their bytes depend
//! only on the crate's version and the language, so they are made once per process and
//! language (a few tens of milliseconds) and shared.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context as _, anyhow};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// The runtime files for one language.
#[derive(Debug)]
pub struct Runtime {
    /// Paths relative to the index directory (`pagefind.js`, `wasm.en.pagefind` …), sorted.
    pub files: Vec<(String, bytes::Bytes)>,
    /// Whether the language has WebAssembly of its own (`wasm.<language>.pagefind`).
    pub language_wasm: bool,
}

/// The files the search page needs.
const KEPT: &[&str] = &["pagefind.js", "pagefind-worker.js"];

/// The runtime for `language`, made on first use.
pub fn runtime(language: &str) -> crate::Result<Arc<Runtime>> {
    static MADE: OnceLock<Mutex<BTreeMap<String, Arc<Runtime>>>> = OnceLock::new();
    let made = MADE.get_or_init(Default::default);
    if let Some(r) = made.lock().unwrap_or_else(|e| e.into_inner()).get(language) {
        return Ok(Arc::clone(r));
    }
    let runtime = Arc::new(harvest(language)?);
    made.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(language.to_string(), Arc::clone(&runtime));
    Ok(runtime)
}

/// Builds a one-record index with Pagefind and keeps its runtime files.
fn harvest(language: &str) -> crate::Result<Runtime> {
    // Pagefind resolves its (unused) output path against the working directory.
    std::env::current_dir().context(
        "search: the working directory no longer exists; run dossier from an existing directory",
    )?;
    let language = language.to_string();
    let go = move || -> crate::Result<Vec<(String, Vec<u8>)>> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .context("search: cannot start Pagefind's runtime")?;
        rt.block_on(async {
            let config = PagefindServiceConfig::builder()
                .force_language(language.clone())
                .keep_index_url(true)
                .build();
            let mut pf =
                PagefindIndex::new(Some(config)).context("search: cannot set up Pagefind")?;
            pf.add_custom_record("x/".into(), "x".into(), language.clone(), None, None, None)
                .await
                .context("search: Pagefind could not index a record")?;
            let files = pf.get_files().await.context("search: Pagefind wrote no runtime")?;
            Ok(files
                .into_iter()
                .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
                .collect())
        })
    };
    // Pagefind's API is async: from inside another runtime (`dossier serve`), on a thread of
    // its own.
    let files = if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(go).join().unwrap_or_else(|_| Err(anyhow!("search: Pagefind panicked")))
        })?
    } else {
        go()?
    };
    let own_wasm =
        files.iter().any(|(n, _)| n.starts_with("wasm.") && n != "wasm.unknown.pagefind");
    let mut kept: Vec<(String, bytes::Bytes)> = files
        .into_iter()
        .filter(|(name, _)| {
            KEPT.contains(&name.as_str())
                || (name.starts_with("wasm.") && (own_wasm != (name == "wasm.unknown.pagefind")))
        })
        .map(|(name, bytes)| (name, bytes.into()))
        .collect();
    kept.sort();
    Ok(Runtime { files: kept, language_wasm: own_wasm })
}
