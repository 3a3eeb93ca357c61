//! How deeply a piece of HTML nests its elements, measured in one linear pass (lol_html).
//!
//! The sanitizer (ammonia, over html5ever) takes time in the square of the nesting depth: each
//! new element looks down the whole stack of open ones, so 100,000 `<div>`s (500 KB) take
//! minutes. Browsers stop nesting at a few hundred levels anyway (Chromium at 512), so a body
//! nested deeper than [`MAX_HTML_DEPTH`] is refused before it reaches the sanitizer.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use lol_html::html_content::{Element, EndTag};
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};

/// The deepest element nesting a sanitized body may have; Chromium's own limit.
pub const MAX_HTML_DEPTH: usize = 512;

/// The deepest nesting of elements in `html`. An element whose end tag is left out (`<p>a<p>b`)
/// counts as still open, so the figure is an upper bound; void elements (`<br>`) count as closed.
pub fn max_depth(html: &str) -> usize {
    let depth = Rc::new(Cell::new(0usize));
    let deepest = Rc::new(Cell::new(0usize));
    let on_element = {
        let (depth, deepest) = (Rc::clone(&depth), Rc::clone(&deepest));
        move |el: &mut Element<'_, '_>| {
            depth.set(depth.get() + 1);
            deepest.set(deepest.get().max(depth.get()));
            let at_end = Rc::clone(&depth);
            let closes = el.on_end_tag(Box::new(move |_: &mut EndTag<'_>| {
                at_end.set(at_end.get().saturating_sub(1));
                Ok(())
            }));
            if closes.is_err() {
                // A void element, or a self-closed one in SVG: it holds nothing.
                depth.set(depth.get().saturating_sub(1));
            }
            Ok(())
        }
    };
    let all: Selector = "*".parse().unwrap_or_else(|_| unreachable!("`*` is a valid selector"));
    let settings = Settings::new().with_strict(false).append_element_content_handler((
        Cow::Owned(all),
        ElementContentHandlers::default().element(on_element),
    ));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // With `strict` off, no memory limit and handlers that never fail, neither call can fail.
    let _ = rewriter.write(html.as_bytes()).and_then(|()| rewriter.end());
    deepest.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_and_not_void_ones() {
        assert_eq!(max_depth("plain text"), 0);
        assert_eq!(max_depth("<p>a <em>b</em></p><p>c</p>"), 2);
        assert_eq!(max_depth("<div><br><img src=x><hr><div>x</div></div>"), 2);
        assert_eq!(max_depth(&format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600))), 600);
        // Tags inside attribute values and comments are not elements.
        assert_eq!(max_depth(r#"<a title="<b><b><b>"><!-- <i><i> -->x</a>"#), 1);
        // Left-open elements are counted as open: an upper bound.
        assert_eq!(max_depth("<p>a<p>b<p>c"), 3);
    }
}
