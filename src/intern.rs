//! Strings by number, shared by the threads of a build: what is kept of every page (its links,
//! its words) holds numbers rather than copies of the same few strings.

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// Interned strings. Numbers are dense from 0 and never reused; a string keeps its number for
/// as long as the interner lives.
#[derive(Debug, Default)]
pub struct Interner {
    inner: Mutex<Table>,
}

/// Numbers by string (hashed with rustc's Fx hash: every link and word of a build is looked up
/// here, and SipHash's resistance to chosen keys buys nothing against the dossier's own text), and
/// strings by number.
type Table = (FxHashMap<Arc<str>, u32>, Vec<Arc<str>>);

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of each of `strings`, in order, under one lock.
    pub fn intern_all<'a>(&self, strings: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (ids, names) = &mut *guard;
        strings
            .into_iter()
            .map(|s| {
                if let Some(&id) = ids.get(s) {
                    return id;
                }
                let id = u32::try_from(names.len()).unwrap_or(u32::MAX);
                let s: Arc<str> = s.into();
                names.push(Arc::clone(&s));
                ids.insert(s, id);
                id
            })
            .collect()
    }

    /// The number of `s`, if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).0.get(s).copied()
    }

    /// Runs `f` with the strings by number.
    pub fn with_names<T>(&self, f: impl FnOnce(&[Arc<str>]) -> T) -> T {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&guard.1)
    }

    /// The strings by number (shared, cheap to copy).
    pub fn names(&self) -> Vec<Arc<str>> {
        self.with_names(<[Arc<str>]>::to_vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_string_gets_the_same_number() {
        let i = Interner::new();
        assert_eq!(i.intern_all(["a", "b", "a"]), [0, 1, 0]);
        assert_eq!(i.intern_all(["b", "c"]), [1, 2]);
        assert_eq!(i.get("c"), Some(2));
        assert_eq!(i.get("d"), None);
        let names: Vec<String> = i.names().iter().map(|s| s.to_string()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }
}
