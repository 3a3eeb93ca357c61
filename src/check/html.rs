//! What one built HTML page holds for the checker: its links (with the element and attribute
//! they came from and their text), the anchors other pages may point at, and its images' `alt`
//! text.
//!
//! Read in one streaming pass with `lol_html` (Cloudflare's HTML rewriter), never with patterns:
//! its tokenizer follows the HTML5 rules (unquoted attributes, `<script>`/`<style>` text that is
//! not markup, SVG and MathML as foreign content) but builds no tree. Only the elements named in
//! `SELECTORS` reach `State::element`, and only the text inside `<a>` reaches `State::text`.
//! What a tree builder would do is done here by hand, only as far as the checker needs it:
//!
//! - Attribute values and text come raw, so character references are decoded by
//!   `charref::decode`, as the HTML tokenizer does, with newlines normalised.
//! - A link's text is gathered from the text nodes inside its `<a>` until the `</a>`, one word
//!   per text node as a tree walk over them gives; a new HTML `<a>` closes one still open (what
//!   the adoption agency does), and an `<a>` never closed ends at the end of the page.
//! - `<noscript>` is text, as a browser with scripts on (and html5ever) reads it.
//!
//! Mis-nested markup that a tree builder repairs (an `<a>` left open across a `</p>`, which a
//! browser reopens in the next paragraph) is not repaired here; the pages checked are our own.

mod charref;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::{Element, EndTag, TextChunk, TextType};
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};

use self::charref::decode;

/// One URL-valued attribute of one element, as written in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The element's name (`a`, `img`, `link` …).
    pub element: &'static str,
    /// The URL as written (entities decoded, surrounding whitespace trimmed).
    pub href: String,
    /// What a reader sees: an `a`'s text (whitespace collapsed) or an `img`'s `alt`.
    pub text: Option<String>,
}

/// An `<img>` and its `alt` attribute, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The `src` as written.
    pub src: String,
    /// The `alt` attribute: `None` when absent.
    pub alt: Option<String>,
    /// Marked decorative (`role="presentation"`/`"none"` or `aria-hidden="true"`).
    pub decorative: bool,
}

/// The parts of one page the checker needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Every URL-valued attribute, in document order.
    pub links: Vec<Link>,
    /// Every `id`, and every `<a name>`: the targets of `#fragment`s.
    pub anchors: BTreeSet<String>,
    /// Every `<img>`.
    pub images: Vec<Image>,
}

/// The URL-valued attributes checked, by element.
const URL_ATTRS: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
];

/// The namespace of HTML elements (everything outside `<svg>` and `<math>`).
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The elements [`State::element`] reads (those with a URL attribute, and any with an `id`), and
/// those whose text it reads; parsed once, not for every page.
static SELECTORS: LazyLock<(Selector, Selector)> = LazyLock::new(|| {
    let parse = |s: &str| s.parse::<Selector>().expect("a valid constant selector");
    (
        parse(
            "a, area, link, img, script, iframe, source, video, audio, track, embed, object, \
                form, [id]",
        ),
        parse("a"),
    )
});

/// Reads `html` in one streaming pass and collects its links, anchors and images.
pub fn extract(html: &str) -> PageLinks {
    let reader = Reader::new();
    scan(html, reader.handlers());
    reader.finish()
}

/// Element and text handlers for one [`scan`].
pub type Handlers = Vec<(Cow<'static, Selector>, ElementContentHandlers<'static>)>;

/// Runs one streaming pass of lol_html over `html` with `handlers` (which may come from several
/// readers: the page is tokenized once for all of them).
pub fn scan(html: &str, handlers: Handlers) {
    let mut settings = Settings::new()
        // Never bail out on markup whose parse depends on a tree builder: read it as best it can.
        .with_strict(false);
    for handler in handlers {
        settings = settings.append_element_content_handler(handler);
    }
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // With `strict` off, no memory limit and handlers that never fail, neither call can return
    // an error; were one to, the page keeps what was read before it.
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
}

/// Collects a page's links, anchors and images during a [`scan`].
pub struct Reader {
    state: Rc<RefCell<State>>,
}

impl Default for Reader {
    fn default() -> Self {
        Self::new()
    }
}

impl Reader {
    /// A reader with nothing read yet.
    pub fn new() -> Reader {
        Reader { state: Rc::new(RefCell::new(State::default())) }
    }

    /// Its handlers, for [`scan`].
    pub fn handlers(&self) -> Handlers {
        let on_element = {
            let state = Rc::clone(&self.state);
            move |el: &mut Element<'_, '_>| {
                State::element(&state, el);
                Ok(())
            }
        };
        let on_text = {
            let state = Rc::clone(&self.state);
            move |chunk: &mut TextChunk<'_>| {
                state.borrow_mut().text(chunk);
                Ok(())
            }
        };
        vec![
            (Cow::Borrowed(&SELECTORS.0), ElementContentHandlers::default().element(on_element)),
            (Cow::Borrowed(&SELECTORS.1), ElementContentHandlers::default().text(on_text)),
        ]
    }

    /// What was read, once the scan is over.
    pub fn finish(self) -> PageLinks {
        let mut state = self.state.take();
        state.finish();
        state.page
    }
}

/// The extraction under way: what is collected so far and what is open.
#[derive(Default)]
struct State {
    page: PageLinks,
    /// The `<a href>` elements open around the current text, outermost first.
    open: Vec<OpenLink>,
    /// The raw text of the current text node, gathered while a link is open.
    pending: String,
    /// Names the next [`OpenLink`].
    serial: usize,
}

/// An `<a href>` whose text is still being read.
struct OpenLink {
    serial: usize,
    /// An HTML `<a>` (not SVG's), which the next HTML `<a>` closes.
    html: bool,
    /// Its entry in [`PageLinks::links`].
    index: usize,
    /// The words of its text so far, joined by single spaces.
    text: String,
    /// Its `aria-label`, or else its `alt`: its text when it has none.
    fallback: Option<String>,
}

impl State {
    /// A start tag: its `id`/`name` anchors, its URL attributes, its image, and, for an `<a href>`,
    /// a handler for its end tag.
    fn element(state: &Rc<RefCell<State>>, el: &mut Element<'_, '_>) {
        let name = el.tag_name();
        let html = el.namespace_uri() == HTML_NS;
        let mut st = state.borrow_mut();
        if let Some(id) = attr(el, "id") {
            st.page.anchors.insert(id);
        }
        if name == "a" {
            if html {
                // A browser closes an open `<a>` when another starts.
                while let Some(serial) = st.open.iter().find(|o| o.html).map(|o| o.serial) {
                    st.close(serial);
                }
            }
            if let Some(anchor) = attr(el, "name") {
                st.page.anchors.insert(anchor);
            }
        }
        for (element, url_attr) in URL_ATTRS.iter().filter(|(e, _)| *e == name) {
            let Some(href) = attr(el, url_attr) else { continue };
            let href = trimmed(href);
            if name == "a" {
                let serial = st.serial;
                st.serial += 1;
                let fallback = attr(el, "aria-label").or_else(|| attr(el, "alt"));
                st.page.links.push(Link { element, href, text: None });
                let index = st.page.links.len() - 1;
                st.open.push(OpenLink { serial, html, index, text: String::new(), fallback });
                let state = Rc::clone(state);
                let registered = el.on_end_tag(Box::new(move |_: &mut EndTag<'_>| {
                    state.borrow_mut().close(serial);
                    Ok(())
                }));
                if registered.is_err() {
                    // `<a href="…"/>` in SVG: no content, so no end tag.
                    st.close(serial);
                }
            } else {
                let text = match name.as_str() {
                    "img" => collapse(attr(el, "alt").as_deref().unwrap_or("")),
                    "area" => collapse(
                        &attr(el, "aria-label").or_else(|| attr(el, "alt")).unwrap_or_default(),
                    ),
                    _ => None,
                };
                st.page.links.push(Link { element, href, text });
            }
        }
        if matches!(name.as_str(), "img" | "source")
            && let Some(srcset) = attr(el, "srcset")
        {
            let (element, text) = if name == "img" {
                ("img", collapse(attr(el, "alt").as_deref().unwrap_or("")))
            } else {
                ("source", None)
            };
            for candidate in srcset_urls(&srcset) {
                st.page.links.push(Link {
                    element,
                    href: candidate.to_string(),
                    text: text.clone(),
                });
            }
        }
        if name == "img" {
            let role = attr(el, "role").unwrap_or_default();
            st.page.images.push(Image {
                src: attr(el, "src").unwrap_or_default().trim().to_string(),
                alt: attr(el, "alt"),
                decorative: matches!(role.as_str(), "presentation" | "none")
                    || attr(el, "aria-hidden").as_deref() == Some("true"),
            });
        }
    }

    /// A piece of text: its words, for the open links.
    fn text(&mut self, chunk: &TextChunk<'_>) {
        if self.open.is_empty() {
            return;
        }
        self.pending.push_str(chunk.as_str());
        if !chunk.last_in_text_node() {
            return;
        }
        let text = match chunk.text_type() {
            TextType::Data | TextType::RCData => decode(&self.pending, false),
            _ => Cow::Borrowed(self.pending.as_str()),
        };
        for open in &mut self.open {
            for word in text.split_whitespace() {
                if !open.text.is_empty() {
                    open.text.push(' ');
                }
                open.text.push_str(word);
            }
        }
        self.pending.clear();
    }

    /// The end of the `<a>` named `serial` (if still open): its text is known.
    fn close(&mut self, serial: usize) {
        let Some(at) = self.open.iter().position(|o| o.serial == serial) else { return };
        let open = self.open.remove(at);
        // The words were joined by single spaces as they came; only the fallback is as written.
        self.page.links[open.index].text = if open.text.is_empty() {
            open.fallback.as_deref().and_then(collapse)
        } else {
            Some(open.text)
        };
    }

    /// The end of the page: whatever is still open ends here.
    fn finish(&mut self) {
        while let Some(open) = self.open.first() {
            self.close(open.serial);
        }
    }
}

/// The value of `el`'s attribute `name`, decoded.
fn attr(el: &Element<'_, '_>, name: &str) -> Option<String> {
    let value = el.get_attribute(name)?;
    Some(match decode(&value, true) {
        Cow::Borrowed(_) => value,
        Cow::Owned(decoded) => decoded,
    })
}

/// `s` without surrounding whitespace, copied only when there is some.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() { s } else { s.trim().to_string() }
}

/// `text` with its whitespace collapsed; `None` when nothing is left.
fn collapse(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The URLs of a `srcset`: comma-separated candidates, each a URL and an optional descriptor.
fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    srcset.split(',').filter_map(|c| c.split_whitespace().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_links_with_their_text_and_element() {
        let page = extract(
            r#"<p>See <a href=" ../x/index.html#a&amp;b ">the <em>other</em>
            page</a>, <a href="https://example.org/">x</a>.</p>
            <link rel="stylesheet" href="style.css"><script src="app.js"></script>"#,
        );
        let got: Vec<(&str, &str, Option<&str>)> =
            page.links.iter().map(|l| (l.element, l.href.as_str(), l.text.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("a", "../x/index.html#a&b", Some("the other page")),
                ("a", "https://example.org/", Some("x")),
                ("link", "style.css", None),
                ("script", "app.js", None),
            ]
        );
    }

    #[test]
    fn anchors_are_ids_and_a_names_including_svg() {
        let page = extract(
            r##"<h2 id="one">1</h2><a name="two"></a><svg><g id="three"><a href="#one"><text>t</text></a></g></svg>"##,
        );
        assert_eq!(
            page.anchors.iter().map(String::as_str).collect::<Vec<_>>(),
            ["one", "three", "two"]
        );
        assert_eq!(page.links.len(), 1, "the SVG link is collected too");
    }

    #[test]
    fn images_record_missing_empty_and_decorative_alt() {
        let page = extract(
            r#"<img src="a.png"><img src="b.png" alt=""><img src="c.png" alt="A cat" srcset="c2.png 2x, c3.png 3x"><img src="d.png" role="presentation">"#,
        );
        let alts: Vec<(&str, Option<&str>, bool)> =
            page.images.iter().map(|i| (i.src.as_str(), i.alt.as_deref(), i.decorative)).collect();
        assert_eq!(
            alts,
            [
                ("a.png", None, false),
                ("b.png", Some(""), false),
                ("c.png", Some("A cat"), false),
                ("d.png", None, true)
            ]
        );
        let srcs: Vec<&str> = page.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(srcs, ["a.png", "b.png", "c.png", "c2.png", "c3.png", "d.png"]);
        assert_eq!(page.links[2].text.as_deref(), Some("A cat"));
    }

    /// (element, href, text) of each link, in order.
    fn links(html: &str) -> Vec<(String, String, Option<String>)> {
        extract(html).links.into_iter().map(|l| (l.element.to_string(), l.href, l.text)).collect()
    }

    fn link(element: &str, href: &str, text: Option<&str>) -> (String, String, Option<String>) {
        (element.to_string(), href.to_string(), text.map(str::to_string))
    }

    #[test]
    fn entities_are_decoded_in_hrefs_text_alt_and_ids() {
        let page = extract(
            r#"<a href="a&amp;b?x=1&lt;2&#47;&#x41;&euro;">Turkey &amp; Russia&nbsp;&mdash; &#8220;Idlib&#8221;</a>
            <img src="c&amp;d.png" alt="A &lt;b&gt; &quot;cat&quot;"><h2 id="x&amp;y">t</h2>"#,
        );
        assert_eq!(page.links[0].href, "a&b?x=1<2/A€");
        assert_eq!(page.links[0].text.as_deref(), Some("Turkey & Russia — “Idlib”"));
        assert_eq!(page.links[1].href, "c&d.png");
        assert_eq!(page.images[0].alt.as_deref(), Some("A <b> \"cat\""));
        assert!(page.anchors.contains("x&y"));
    }

    #[test]
    fn unquoted_and_single_quoted_attributes() {
        assert_eq!(
            links(
                "<a href=../x/index.html#a&amp;b>x</a><img src='y.png' alt=Y><link href=s.css \
                    rel=stylesheet>"
            ),
            [
                link("a", "../x/index.html#a&b", Some("x")),
                link("img", "y.png", Some("Y")),
                link("link", "s.css", None)
            ]
        );
    }

    #[test]
    fn link_text_spans_nested_inline_elements_word_by_word() {
        assert_eq!(
            links(
                "<a href=a>the <em>other <b>bold</b></em>\n  page</a><a \
                    href=b>Idlib<sup>2</sup></a><a href=c><img src=i.png alt=pic></a>"
            ),
            [
                link("a", "a", Some("the other bold page")),
                // One word per text node, as a tree walk over the text nodes gives.
                link("a", "b", Some("Idlib 2")),
                link("a", "c", None),
                link("img", "i.png", Some("pic")),
            ]
        );
    }

    #[test]
    fn link_text_falls_back_to_aria_label_then_alt() {
        assert_eq!(
            links(
                r#"<a href=a aria-label="Open  menu"> </a><a href=b alt=B></a><a href=c aria-label="" alt=C></a><area href=d alt="A map"><area href=e>"#
            ),
            [
                link("a", "a", Some("Open menu")),
                link("a", "b", Some("B")),
                // An empty aria-label still wins over alt, as before.
                link("a", "c", None),
                link("area", "d", Some("A map")),
                link("area", "e", None),
            ]
        );
    }

    #[test]
    fn an_a_without_href_is_an_anchor_not_a_link() {
        let page = extract(r#"<a name="top"></a><a id="second">text</a><p>after</p>"#);
        assert!(page.links.is_empty());
        assert_eq!(page.anchors.iter().map(String::as_str).collect::<Vec<_>>(), ["second", "top"]);
    }

    #[test]
    fn void_elements_and_self_closing_syntax() {
        let page = extract(
            r#"<a href=a>one<br>two<img src=x.png alt=X><input value=v>three</a><embed src=e.swf/><svg><a href="s"/></svg><a href=b>after</a>"#,
        );
        let got: Vec<_> =
            page.links.into_iter().map(|l| (l.element.to_string(), l.href, l.text)).collect();
        assert_eq!(
            got,
            [
                link("a", "a", Some("one two three")),
                link("img", "x.png", Some("X")),
                link("embed", "e.swf/", None),
                link("a", "s", None),
                link("a", "b", Some("after")),
            ]
        );
    }

    #[test]
    fn script_style_and_comment_text_is_not_markup_but_template_content_is() {
        let page = extract(
            r#"<script>var s = '<a href="nope.html" id="no">'; x = "href=nope2";</script>
            <style>a[href="nope3"] { }</style><!-- <a href="nope4">c</a> --><noscript><a href="nope5">n</a></noscript>
            <template><a href="tpl.html">t</a></template><textarea><a href="nope6"></textarea>"#,
        );
        assert_eq!(page.links.iter().map(|l| l.href.as_str()).collect::<Vec<_>>(), ["tpl.html"]);
        assert!(page.anchors.is_empty());
    }

    #[test]
    fn uppercase_tag_and_attribute_names() {
        let page = extract(
            r#"<A HREF="x.html">X</A><IMG SRC=y.png ALT=Y ROLE=presentation><H2 ID=up>u</H2>"#,
        );
        assert_eq!(
            page.links
                .iter()
                .map(|l| (l.element, l.href.as_str(), l.text.as_deref()))
                .collect::<Vec<_>>(),
            [("a", "x.html", Some("X")), ("img", "y.png", Some("Y"))]
        );
        assert!(page.images[0].decorative);
        assert!(page.anchors.contains("up"));
    }

    #[test]
    fn a_new_a_closes_an_open_one_and_an_unclosed_a_ends_with_the_page() {
        assert_eq!(
            links("<a href=1>one <a href=2>two</a> three</a><p><a href=3>four <em>five"),
            [
                link("a", "1", Some("one")),
                link("a", "2", Some("two")),
                link("a", "3", Some("four five"))
            ]
        );
    }

    #[test]
    fn an_svg_a_inside_an_html_a_shares_its_text() {
        assert_eq!(
            links("<a href=h>out <svg><a href=s><text>in</text></a></svg></a>"),
            [link("a", "h", Some("out in")), link("a", "s", Some("in"))]
        );
    }

    #[test]
    fn srcset_candidates_of_source_have_no_text() {
        assert_eq!(
            links(
                r#"<picture><source srcset="a.webp 1x, b.webp 2x"><img src=c.jpg alt="C" srcset="d.jpg 2x"></picture>"#
            ),
            [
                link("source", "a.webp", None),
                link("source", "b.webp", None),
                link("img", "c.jpg", Some("C")),
                link("img", "d.jpg", Some("C")),
            ]
        );
    }

    proptest::proptest! {
        /// Whatever the bytes, extraction finishes, and every link's href is trimmed.
        #[test]
        fn any_text_is_read_without_panicking(s in "(<a href=|<img src=|</a>|&[a-z#x0-9]{0,8};?|[ \
            -~é\r\n]{0,6}|<svg>|<script>|\"|'){0,40}") {
            for l in extract(&s).links {
                proptest::prop_assert_eq!(l.href.trim(), l.href.as_str());
            }
        }
    }
}
