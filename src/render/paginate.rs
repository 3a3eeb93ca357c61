//! Long lists split into pages of `paginate_by` items (see [`crate::config::PaginateBy`]).
//!
//! Page 1 of a list stays at the list's own site path (`topics/ceasefire/`); page N ≥ 2 is
//! published at `<list path>page/N/` (`topics/ceasefire/page/2/`), so every address that
//! existed before pagination still shows the start of its list. [`Pagination`] is pure
//! arithmetic over ranges and paths: the page jobs in [`super`] take only each page's slice of
//! items and hand it to the template, with the rest of the `paginator` variable
//! ([`Pagination::paginator`], named as in Zola). Links between the pages are site paths that
//! the templates turn into page-relative URLs with `rel_url`, like every other link.

use std::collections::BTreeMap;
use std::ops::Range;

use tera::Value;

use crate::config::PaginateBy;

/// The site path of page `index` (1-based) of the list at `base`.
pub fn pager_path(base: &str, index: usize) -> String {
    if index <= 1 { base.to_string() } else { format!("{base}page/{index}/") }
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// Its number, from 1.
    pub index: usize,
    /// Its site path.
    pub path: String,
    /// The positions in the whole list of the items it holds.
    pub items: Range<usize>,
}

/// How a list of `total_items` items at `base` is split into pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    base: String,
    total_items: usize,
    paginate_by: usize,
}

impl Pagination {
    /// The pages of a list of `total_items` items whose first page is at the site path `base`.
    pub fn new(base: impl Into<String>, total_items: usize, paginate_by: PaginateBy) -> Self {
        Pagination { base: base.into(), total_items, paginate_by: paginate_by.get() }
    }

    /// How many pages there are: at least one, so that an empty list still has its page.
    pub fn number_pagers(&self) -> usize {
        self.total_items.div_ceil(self.paginate_by).max(1)
    }

    /// Page `index` (from 1; at most [`Self::number_pagers`]).
    pub fn pager(&self, index: usize) -> Pager {
        let start = ((index - 1) * self.paginate_by).min(self.total_items);
        let end = (start + self.paginate_by).min(self.total_items);
        Pager { index, path: pager_path(&self.base, index), items: start..end }
    }

    /// Every page, in order.
    pub fn pagers(&self) -> impl Iterator<Item = Pager> + '_ {
        (1..=self.number_pagers()).map(|i| self.pager(i))
    }

    /// The `paginator` variable of `pager`'s page, holding `items` (that page's items only):
    /// `current_index`, `number_pagers`, `paginate_by`, `total_items`, `base_path`, the site
    /// paths `current_path`, `first`, `last`, `previous` and `next` (the last two are none at
    /// either end), and `pages`, the items.
    pub fn paginator(&self, pager: &Pager, items: Vec<Value>) -> Value {
        let n = self.number_pagers();
        let neighbour = |i: usize| {
            if (1..=n).contains(&i) && i != pager.index {
                Value::from(pager_path(&self.base, i))
            } else {
                Value::none()
            }
        };
        let mut map: BTreeMap<&'static str, Value> = BTreeMap::new();
        map.insert("current_index", pager.index.into());
        map.insert("current_path", pager.path.as_str().into());
        map.insert("number_pagers", n.into());
        map.insert("paginate_by", self.paginate_by.into());
        map.insert("total_items", self.total_items.into());
        map.insert("base_path", self.base.as_str().into());
        map.insert("first", pager_path(&self.base, 1).into());
        map.insert("last", pager_path(&self.base, n).into());
        map.insert("previous", neighbour(pager.index.wrapping_sub(1)));
        map.insert("next", neighbour(pager.index + 1));
        map.insert("pages", Value::from(items));
        Value::from(map)
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;

    use super::*;

    fn by(n: usize) -> PaginateBy {
        PaginateBy::new(NonZeroUsize::new(n).unwrap())
    }

    fn split(total: usize, per: usize) -> Vec<(usize, String, Range<usize>)> {
        Pagination::new("topics/x/", total, by(per))
            .pagers()
            .map(|p| (p.index, p.path, p.items))
            .collect()
    }

    #[test]
    fn page_one_keeps_the_list_path_and_later_pages_go_under_page() {
        assert_eq!(pager_path("topics/x/", 1), "topics/x/");
        assert_eq!(pager_path("topics/x/", 2), "topics/x/page/2/");
        assert_eq!(pager_path("articles/", 12), "articles/page/12/");
    }

    #[test]
    fn items_are_split_into_full_pages_and_a_remainder() {
        assert_eq!(
            split(5, 2),
            vec![
                (1, "topics/x/".into(), 0..2),
                (2, "topics/x/page/2/".into(), 2..4),
                (3, "topics/x/page/3/".into(), 4..5),
            ]
        );
        assert_eq!(split(4, 2).len(), 2);
        assert_eq!(split(4, 2)[1].2, 2..4);
        assert_eq!(split(3, 100), vec![(1, "topics/x/".into(), 0..3)]);
    }

    #[test]
    fn an_empty_list_has_one_empty_page() {
        assert_eq!(split(0, 10), vec![(1, "topics/x/".into(), 0..0)]);
    }

    fn field<'a>(v: &'a Value, key: &'static str) -> &'a Value {
        v.as_map().and_then(|m| m.get(&tera::value::Key::from(key))).unwrap()
    }

    #[test]
    fn the_paginator_names_its_neighbours_and_holds_only_its_items() {
        let p = Pagination::new("articles/", 5, by(2));
        let middle = p.paginator(&p.pager(2), vec![Value::from("c"), Value::from("d")]);
        assert_eq!(field(&middle, "current_index"), &Value::from(2usize));
        assert_eq!(field(&middle, "number_pagers"), &Value::from(3usize));
        assert_eq!(field(&middle, "total_items"), &Value::from(5usize));
        assert_eq!(field(&middle, "paginate_by"), &Value::from(2usize));
        assert_eq!(field(&middle, "current_path"), &Value::from("articles/page/2/"));
        assert_eq!(field(&middle, "first"), &Value::from("articles/"));
        assert_eq!(field(&middle, "previous"), &Value::from("articles/"));
        assert_eq!(field(&middle, "next"), &Value::from("articles/page/3/"));
        assert_eq!(field(&middle, "last"), &Value::from("articles/page/3/"));
        assert_eq!(field(&middle, "pages"), &Value::from(vec!["c", "d"]));

        let first = p.paginator(&p.pager(1), Vec::new());
        assert!(field(&first, "previous").is_none());
        assert_eq!(field(&first, "next"), &Value::from("articles/page/2/"));
        let last = p.paginator(&p.pager(3), Vec::new());
        assert_eq!(field(&last, "previous"), &Value::from("articles/page/2/"));
        assert!(field(&last, "next").is_none());
    }
}
