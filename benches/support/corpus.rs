//! The seeded generator of SYNTHETIC benchmark corpora, shared by `examples/gen_corpus.rs` (a
//! thin command over it) and `benches/build.rs` (which includes it with `#[path]`).
//!
//! A corpus has the shape of the real dossier: articles (reports, some republications of other
//! articles, some undated, ~3.6 KB of Markdown each with ~3 topics and a place), outlets,
//! actors, claims whose positions cite articles, and timeline events citing articles. Every
//! name, address and sentence is invented and marked synthetic; addresses use the reserved
//! `.example` domain. The same N and seed always give the same bytes.
//!
//! The corpus is drawn once as a [`Model`] and then written in one of two [`Format`]s: as a
//! dossier, or as the *same articles* as a Hugo site (same titles, dates, bodies, outlets,
//! topics, places and actors) with minimal layouts that render what a dossier build renders:
//! one page per article, per outlet, per actor and per topic and place term, a home page
//! listing every article, a 404 page, a sitemap and one feed (Hugo's built-in RSS template, on
//! the home page only, 50 entries, as the dossier's single Atom feed). The dossier's claims and
//! timeline (two pages and two JSON files) have no Hugo counterpart and are left out of it.
//! The Hugo layouts build term links from the front matter (`urlize`) rather than with
//! `.GetTerms`, as fast Hugo themes do: in Hugo 0.111 `.GetTerms` costs more per call as the
//! site grows.

use std::fmt::Write as _;
use std::path::Path;

/// Which kind of site to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A dossier: `dossier.yaml` and `content/`.
    Dossier,
    /// A Hugo site: `hugo.toml`, `content/`, `layouts/`, `static/`.
    Hugo,
}

impl Format {
    /// Parses `dossier` or `hugo`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "dossier" => Some(Format::Dossier),
            "hugo" => Some(Format::Hugo),
            _ => None,
        }
    }
}

/// Every file of a corpus of `n` articles drawn with `seed`, path → text, in a fixed order.
pub fn files(n: usize, seed: u64, format: Format) -> Vec<(String, String)> {
    let model = Model::draw(n, seed);
    match format {
        Format::Dossier => dossier_files(&model),
        Format::Hugo => hugo_files(&model),
    }
}

/// Writes `files` under `dir`, which must not exist or be empty (so that a corpus is never
/// written over a real dossier).
pub fn write(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    if dir.exists()
        && dir.read_dir().map_err(|e| format!("{}: {e}", dir.display()))?.next().is_some()
    {
        return Err(format!("{} is not empty", dir.display()));
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Invented words for bodies and headlines.
const WORDS: &[&str] = &[
    "ministry",
    "statement",
    "ceasefire",
    "province",
    "convoy",
    "observation",
    "post",
    "shelling",
    "talks",
    "delegation",
    "report",
    "agency",
    "border",
    "village",
    "council",
    "monitor",
    "district",
    "patrol",
    "corridor",
    "briefing",
    "spokesperson",
    "claim",
    "denial",
    "agreement",
    "mortar",
    "strike",
    "evacuation",
    "route",
    "checkpoint",
    "summit",
    "memorandum",
    "envoy",
    "casualties",
    "hospital",
    "market",
    "bridge",
    "highway",
    "airbase",
    "brigade",
    "militia",
];

/// How many of each kind of item a corpus of `n` articles has, in the real dossier's spirit
/// (many outlets and events, a handful of actors and disputed points).
struct Sizes {
    outlets: usize,
    actors: usize,
    claims: usize,
    events: usize,
    topics: usize,
    places: usize,
}

impl Sizes {
    fn for_articles(n: usize) -> Sizes {
        Sizes {
            outlets: (n / 20).clamp(5, 500),
            actors: (n / 200).clamp(5, 60),
            claims: (n / 500).clamp(3, 30),
            events: (n / 10).clamp(5, 2000),
            topics: (n / 50).clamp(10, 200),
            places: (n / 100).clamp(5, 100),
        }
    }
}

/// One synthetic article, before it is written in either format.
struct Article {
    slug: String,
    /// The headline, with its number: `"Words words (12)"`.
    title: String,
    outlet: usize,
    /// `None`: undated.
    date: Option<jiff::civil::Date>,
    number: usize,
    /// The slug of the article it republishes.
    republishes: Option<String>,
    topics: Vec<String>,
    place: String,
    actor: usize,
    body: String,
}

/// A position of a claim: actor, stance index, cited article slug.
struct Position {
    actor: usize,
    cited: String,
}

/// A timeline event: its day, actor and cited article slug.
struct Event {
    day: jiff::civil::Date,
    actor: usize,
    cited: String,
}

/// A whole corpus, drawn from one seeded generator in a fixed order.
struct Model {
    n: usize,
    seed: u64,
    sizes: Sizes,
    articles: Vec<Article>,
    claims: Vec<Vec<Position>>,
    events: Vec<Event>,
}

impl Model {
    fn draw(n: usize, seed: u64) -> Model {
        let mut rng = fastrand::Rng::with_seed(seed);
        let s = Sizes::for_articles(n);
        // Articles, oldest first: dates spread over 2019-05-01 .. 2019-08-31; one in eight
        // undated.
        let start = jiff::civil::date(2019, 5, 1);
        let mut articles: Vec<Article> = Vec::with_capacity(n);
        let mut originals: Vec<usize> = Vec::new();
        for i in 0..n {
            let outlet = rng.usize(0..s.outlets);
            let dated = rng.usize(0..8) != 0;
            let day =
                start + jiff::Span::new().days(i64::try_from(i * 122 / n.max(1)).unwrap_or(0));
            let title_words: Vec<&str> =
                (0..rng.usize(5..10)).map(|_| WORDS[rng.usize(0..WORDS.len())]).collect();
            let title = format!("{} ({i})", capitalise(&title_words.join(" ")));
            let prefix = if dated { day.to_string() } else { "undated".into() };
            let slug = format!("{prefix}-outlet-{outlet:03}-{i:05}");
            // One in five republishes an earlier original of another outlet.
            let republishes = if !originals.is_empty() && rng.usize(0..5) == 0 {
                Some(articles[originals[rng.usize(0..originals.len())]].slug.clone())
            } else {
                originals.push(i);
                None
            };
            let mut topics: Vec<usize> = (0..3).map(|_| rng.usize(0..s.topics)).collect();
            topics.sort_unstable();
            topics.dedup();
            let topics = topics.iter().map(|t| format!("Topic {t}")).collect();
            let place = format!("Place {}", rng.usize(0..s.places));
            let actor = rng.usize(0..s.actors);
            let body = body(&mut rng);
            articles.push(Article {
                slug,
                title,
                outlet,
                date: dated.then_some(day),
                number: i,
                republishes,
                topics,
                place,
                actor,
                body,
            });
        }
        let cite = |rng: &mut fastrand::Rng| {
            articles[rng.usize(0..n.max(1)).min(n.saturating_sub(1))].slug.clone()
        };
        let claims = (0..s.claims)
            .map(|_| {
                (0..3)
                    .map(|_| {
                        let cited = cite(&mut rng);
                        Position { actor: rng.usize(0..s.actors), cited }
                    })
                    .collect()
            })
            .collect();
        let events = (0..s.events)
            .map(|e| {
                let day =
                    start + jiff::Span::new().days(i64::try_from(e * 122 / s.events).unwrap_or(0));
                let cited = cite(&mut rng);
                Event { day, actor: rng.usize(0..s.actors), cited }
            })
            .collect();
        Model { n, seed, sizes: s, articles, claims, events }
    }
}

fn dossier_files(m: &Model) -> Vec<(String, String)> {
    let (n, seed, s) = (m.n, m.seed, &m.sizes);
    let mut files = Vec::new();
    files.push((
        "dossier.yaml".into(),
        format!(
            "# SYNTHETIC corpus written by `cargo run --example gen_corpus -- {n} DIR --seed {seed}`.\n\
             title: \"Synthetic corpus of {n} articles\"\n\
             description: A generated dossier for benchmarks; every item in it is invented.\n\
             language: en\n\
             base_url: https://corpus.example/\n\
             taxonomies: [topics, places]\n\
             feeds:\n  limit: 50\n"
        ),
    ));
    files.push((
        "content/_index.md".into(),
        "---\ntitle: Synthetic corpus\nlede: Every article, outlet and event here is invented, for benchmarks.\n---\n\
         This dossier was generated by `gen_corpus`. Nothing in it reports a real event.\n"
            .into(),
    ));
    for o in 0..s.outlets {
        files.push((
            format!("content/outlets/outlet-{o:03}.yaml"),
            format!(
                "# SYNTHETIC outlet.\nname: Synthetic Outlet {o}\ndomains:\n  - \
                    outlet-{o:03}.example\n"
            ),
        ));
    }
    for a in 0..s.actors {
        files.push((
            format!("content/actors/actor-{a:02}.yaml"),
            format!(
                "# SYNTHETIC actor.\nname: Synthetic Actor {a}\ndescription: An invented party.\n"
            ),
        ));
    }
    for a in &m.articles {
        let (i, outlet) = (a.number, a.outlet);
        let mut fm = String::from("---\n# SYNTHETIC article.\n");
        let _ = writeln!(fm, "title: \"{}\"", a.title);
        let _ = writeln!(fm, "outlet: outlet-{outlet:03}");
        let published = a.date.map_or_else(|| "unknown".into(), |d| d.to_string());
        let _ = writeln!(fm, "published: {published}");
        let _ = writeln!(fm, "kind: report");
        let _ = writeln!(fm, "url: https://outlet-{outlet:03}.example/{i}");
        if let Some(original) = &a.republishes {
            let _ = writeln!(fm, "republishes: {original}");
        }
        let _ = writeln!(fm, "summary: A synthetic report numbered {i}.");
        let _ = writeln!(fm, "topics: [{}]", a.topics.join(", "));
        let _ = writeln!(fm, "places: [{}]", a.place);
        let _ = writeln!(fm, "actors: [actor-{:02}]", a.actor);
        fm.push_str("---\n");
        fm.push_str(&a.body);
        files.push((format!("content/articles/{}.md", a.slug), fm));
    }
    for (c, positions) in m.claims.iter().enumerate() {
        let mut y = format!(
            "# SYNTHETIC claim.\nquestion: Synthetic disputed point {c}?\norder: {c}\npositions:\n"
        );
        for (p, pos) in positions.iter().enumerate() {
            let stance = ["asserts", "denies", "disputes"][p];
            let _ = write!(
                y,
                "  - actor: actor-{:02}\n    stance: {stance}\n    statement: Synthetic statement \
                    {p}.\n    articles: [{}]\n",
                pos.actor, pos.cited
            );
        }
        files.push((format!("content/claims/claim-{c:02}.yaml"), y));
    }
    let mut t = String::from(
        "# SYNTHETIC timeline.\nfocus:\n  start: 2019-06-01\n  end: 2019-06-30\nevents:\n",
    );
    for (e, ev) in m.events.iter().enumerate() {
        let _ = write!(
            t,
            "  - id: event-{e:04}\n    date: {}\n    title: Synthetic event {e}\n    actors: \
                [actor-{:02}]\n    articles: [{}]\n",
            ev.day, ev.actor, ev.cited
        );
    }
    files.push(("content/timeline.yaml".into(), t));
    files
}

fn hugo_files(m: &Model) -> Vec<(String, String)> {
    let (n, seed, s) = (m.n, m.seed, &m.sizes);
    let mut files: Vec<(String, String)> = Vec::new();
    files.push((
        "hugo.toml".into(),
        format!(
            "# SYNTHETIC corpus written by `cargo run --example gen_corpus -- {n} DIR --seed {seed} --format hugo`:\n\
             # the same articles as the dossier corpus of that N and seed, as a Hugo site.\n\
             baseURL = \"https://corpus.example/\"\n\
             title = \"Synthetic corpus of {n} articles\"\n\
             languageCode = \"en\"\n\
             disableKinds = [\"robotsTXT\"]\n\
             \n\
             [taxonomies]\n\
             topic = \"topics\"\n\
             place = \"places\"\n\
             outlet = \"outlets\"\n\
             actor = \"actors\"\n\
             \n\
             # One feed, on the home page, as the dossier's single atom.xml.\n\
             [outputs]\n\
             home = [\"HTML\", \"RSS\"]\n\
             section = [\"HTML\"]\n\
             taxonomy = [\"HTML\"]\n\
             term = [\"HTML\"]\n\
             \n\
             [services.rss]\n\
             limit = 50\n"
        ),
    ));
    files.push((
        "content/_index.md".into(),
        "---\ntitle: Synthetic corpus\n---\n\
         This site was generated by `gen_corpus`. Nothing in it reports a real event.\n"
            .into(),
    ));
    // Term pages with a title, as the dossier's outlet and actor pages have a name.
    for o in 0..s.outlets {
        files.push((
            format!("content/outlets/outlet-{o:03}/_index.md"),
            format!(
                "---\n# SYNTHETIC outlet.\ntitle: Synthetic Outlet {o}\ndomain: \
                outlet-{o:03}.example\n---\n"
            ),
        ));
    }
    for a in 0..s.actors {
        files.push((
            format!("content/actors/actor-{a:02}/_index.md"),
            format!(
                "---\n# SYNTHETIC actor.\ntitle: Synthetic Actor {a}\n---\nAn invented party.\n"
            ),
        ));
    }
    for a in &m.articles {
        let (i, outlet) = (a.number, a.outlet);
        let mut fm = String::from("---\n# SYNTHETIC article.\n");
        let _ = writeln!(fm, "title: \"{}\"", a.title);
        if let Some(date) = a.date {
            let _ = writeln!(fm, "date: {date}");
        }
        let _ = writeln!(fm, "outlet: outlet-{outlet:03}");
        let _ = writeln!(fm, "outlets: [outlet-{outlet:03}]");
        // The outlet's name beside its id, for listings: with `.GetTerms` per listed article
        // instead, Hugo 0.111 took 8.0 s rather than 4.6 s at 3,000 articles.
        let _ = writeln!(fm, "outlet_name: Synthetic Outlet {outlet}");
        let _ = writeln!(fm, "kind: report");
        // Not `url`, which in Hugo sets the page's own address.
        let _ = writeln!(fm, "source_url: https://outlet-{outlet:03}.example/{i}");
        if let Some(original) = &a.republishes {
            let _ = writeln!(fm, "republishes: {original}");
        }
        let _ = writeln!(fm, "summary: A synthetic report numbered {i}.");
        let _ = writeln!(fm, "topics: [{}]", a.topics.join(", "));
        let _ = writeln!(fm, "places: [{}]", a.place);
        let _ = writeln!(fm, "actors: [actor-{:02}]", a.actor);
        fm.push_str("---\n");
        fm.push_str(&a.body);
        files.push((format!("content/articles/{}.md", a.slug), fm));
    }
    for (path, text) in HUGO_LAYOUTS {
        files.push(((*path).into(), (*text).into()));
    }
    files
}

/// Minimal layouts for the Hugo corpus, the counterparts of the dossier's templates.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">{{ end }}
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "outlets/" | relURL }}">Outlets</a> <a href="{{ "actors/" | relURL }}">Actors</a> <a href="{{ "topics/" | relURL }}">Topics</a> <a href="{{ "places/" | relURL }}">Places</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>A SYNTHETIC corpus for benchmarks: every item in it is invented.</p></footer>
</body>
</html>
"#,
    ),
    (
        "layouts/partials/item.html",
        r#"<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.outlet_name }} · {{ if .Date.IsZero }}undated{{ else }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}</li>
"#,
    ),
    (
        "layouts/index.html",
        r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<ul class="articles">
{{ range where site.RegularPages "Section" "articles" }}{{ partial "item.html" . }}{{ end }}
</ul>
{{ end }}
"#,
    ),
    (
        "layouts/_default/single.html",
        r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><a href="{{ printf "outlets/%s/" .Params.outlet | relURL }}">{{ .Params.outlet_name }}</a> · {{ if .Date.IsZero }}undated{{ else }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }} · <a href="{{ .Params.source_url }}">original</a></p>
{{ with .Params.republishes }}{{ with site.GetPage (printf "/articles/%s" .) }}<p class="republishes">Republishes <a href="{{ .RelPermalink }}">{{ .Title }}</a>.</p>{{ end }}{{ end }}
<p class="summary">{{ .Params.summary }}</p>
<ul class="terms">
{{ range .Params.topics }}<li><a href="{{ printf "topics/%s/" (urlize .) | relURL }}">{{ . }}</a></li>{{ end }}
{{ range .Params.places }}<li><a href="{{ printf "places/%s/" (urlize .) | relURL }}">{{ . }}</a></li>{{ end }}
{{ range .Params.actors }}<li><a href="{{ printf "actors/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}
</ul>
{{ .Content }}
</article>
{{ end }}
"#,
    ),
    (
        "layouts/_default/list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul class="articles">
{{ range .Pages }}{{ partial "item.html" . }}{{ end }}
</ul>
{{ end }}
"#,
    ),
    (
        "layouts/_default/terms.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
"#,
    ),
    (
        "layouts/404.html",
        r#"{{ define "main" }}
<h1>Not found</h1>
<p><a href="{{ "" | relURL }}">Back to the front page</a>.</p>
{{ end }}
"#,
    ),
    (
        "static/style.css",
        "body { font-family: sans-serif; max-width: 42rem; margin: 0 auto; padding: 1rem; }\n\
         nav a { margin-right: 0.5rem; }\n\
         .meta, .terms { color: #555; }\n",
    ),
];

/// About 3.6 KB of invented Markdown: paragraphs, a heading, a list.
fn body(rng: &mut fastrand::Rng) -> String {
    let mut out = String::from("\nThis is a SYNTHETIC article generated for benchmarks.\n\n");
    while out.len() < 3500 {
        if rng.usize(0..6) == 0 {
            let _ = writeln!(out, "## {}\n", capitalise(WORDS[rng.usize(0..WORDS.len())]));
        }
        let words: Vec<&str> =
            (0..rng.usize(40..90)).map(|_| WORDS[rng.usize(0..WORDS.len())]).collect();
        let _ = writeln!(out, "{}.\n", capitalise(&words.join(" ")));
        if rng.usize(0..8) == 0 {
            for _ in 0..3 {
                let _ = writeln!(
                    out,
                    "- the {} of the {}",
                    WORDS[rng.usize(0..WORDS.len())],
                    WORDS[rng.usize(0..WORDS.len())]
                );
            }
            out.push('\n');
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
        files.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str()).unwrap_or_else(|| {
            panic!("no {path}");
        })
    }

    #[test]
    fn the_same_n_and_seed_give_the_same_bytes_and_another_seed_does_not() {
        for format in [Format::Dossier, Format::Hugo] {
            assert_eq!(files(200, 7, format), files(200, 7, format));
            assert_ne!(files(200, 7, format), files(200, 8, format));
        }
    }

    #[test]
    fn both_formats_hold_the_same_articles() {
        let d = files(300, 3, Format::Dossier);
        let h = files(300, 3, Format::Hugo);
        let articles = |f: &[(String, String)]| -> Vec<String> {
            f.iter()
                .filter(|(p, _)| p.starts_with("content/articles/"))
                .map(|(p, _)| p.clone())
                .collect()
        };
        assert_eq!(articles(&d).len(), 300);
        assert_eq!(articles(&d), articles(&h));
        for path in articles(&d) {
            let (dt, ht) = (get(&d, &path), get(&h, &path));
            // Same title, topics, places and body; the date moves from `published` to `date`.
            for key in ["title: ", "topics: ", "places: ", "actors: ", "summary: "] {
                let line = |t: &str| t.lines().find(|l| l.starts_with(key)).map(str::to_owned);
                assert_eq!(line(dt), line(ht), "{path}: {key}");
            }
            let body = |t: &str| t.splitn(3, "---\n").nth(2).map(str::to_owned);
            assert_eq!(body(dt), body(ht), "{path}");
            let published = dt.lines().find_map(|l| l.strip_prefix("published: ")).unwrap();
            let date = ht.lines().find_map(|l| l.strip_prefix("date: "));
            assert_eq!(date.unwrap_or("unknown"), published, "{path}");
        }
        assert!(get(&h, "hugo.toml").contains("[taxonomies]"));
        assert!(get(&d, "dossier.yaml").starts_with("# SYNTHETIC"));
    }

    #[test]
    fn write_refuses_a_non_empty_directory() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("keep.md"), "mine").unwrap();
        let err = write(tmp.path(), &files(5, 1, Format::Dossier)).unwrap_err();
        assert!(err.ends_with("is not empty"), "{err}");
        assert_eq!(std::fs::read_to_string(tmp.path().join("keep.md")).unwrap(), "mine");
    }
}
