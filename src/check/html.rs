//! What one built HTML page holds for the checker: its links (with the element and attribute
//! they came from and their text), the anchors other pages may point at, and its images' `alt`
//! text. Parsed with a real HTML5 parser (`scraper`, i.e. html5ever), never with patterns, so
//! entities, unquoted attributes and SVG inside HTML are read as a browser reads them.

use std::collections::BTreeSet;

use scraper::{ElementRef, Html};

/// One URL-valued attribute of one element, as written in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The element's name (`a`, `img`, `link` …).
    pub element: String,
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

/// Parses `html` and collects its links, anchors and images.
pub fn extract(html: &str) -> PageLinks {
    let doc = Html::parse_document(html);
    let mut page = PageLinks::default();
    for el in doc.root_element().descendent_elements() {
        let v = el.value();
        let name = v.name();
        if let Some(id) = v.id() {
            page.anchors.insert(id.to_string());
        }
        if name == "a"
            && let Some(anchor) = v.attr("name")
        {
            page.anchors.insert(anchor.to_string());
        }
        for (_, attr) in URL_ATTRS.iter().filter(|(e, _)| *e == name) {
            if let Some(href) = v.attr(attr) {
                page.links.push(Link {
                    element: name.to_string(),
                    href: href.trim().to_string(),
                    text: link_text(&el),
                });
            }
        }
        if matches!(name, "img" | "source")
            && let Some(srcset) = v.attr("srcset")
        {
            for candidate in srcset_urls(srcset) {
                page.links.push(Link {
                    element: name.to_string(),
                    href: candidate.to_string(),
                    text: link_text(&el),
                });
            }
        }
        if name == "img" {
            let role = v.attr("role").unwrap_or("");
            page.images.push(Image {
                src: v.attr("src").unwrap_or("").trim().to_string(),
                alt: v.attr("alt").map(str::to_string),
                decorative: matches!(role, "presentation" | "none")
                    || v.attr("aria-hidden") == Some("true"),
            });
        }
    }
    page
}

/// An `a`'s visible text, or an `img`'s `alt`; `None` when there is none.
fn link_text(el: &ElementRef<'_>) -> Option<String> {
    let text = match el.value().name() {
        "img" => el.value().attr("alt").unwrap_or("").to_string(),
        "a" | "area" => {
            let words: Vec<&str> = el.text().flat_map(str::split_whitespace).collect();
            let joined = words.join(" ");
            if joined.is_empty() {
                el.value().attr("aria-label").or(el.value().attr("alt")).unwrap_or("").to_string()
            } else {
                joined
            }
        }
        _ => String::new(),
    };
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
        let got: Vec<(&str, &str, Option<&str>)> = page
            .links
            .iter()
            .map(|l| (l.element.as_str(), l.href.as_str(), l.text.as_deref()))
            .collect();
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
}
