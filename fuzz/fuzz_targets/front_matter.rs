//! The front-matter splitter and the YAML parse of one article file, as the loader runs them
//! (`content::load::parse_article_bytes`: UTF-8 decoding, `---` fences, YAML, the article's own
//! checks). Errors are fine; a panic is a bug. Also checked: the split's ranges cut the text at
//! character boundaries and in order, and every error message (with its snippet) can be shown.
#![no_main]

use dossier::content::front_matter;
use dossier::content::load::parse_article_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(s) = front_matter::split(text)
    {
        assert!(s.front_matter.start <= s.front_matter.end);
        assert!(s.front_matter.end <= s.body.start && s.body.end == text.len());
        // Slicing panics unless the ranges fall on character boundaries.
        let (fm, body) = (&text[s.front_matter.clone()], &text[s.body.clone()]);
        let before_body = text[..s.body.start].matches('\n').count();
        assert_eq!(
            s.body_line,
            before_body + 1 + usize::from(!text[..s.body.start].ends_with('\n'))
        );
        let _ = (fm, body);
    }
    match parse_article_bytes("content/articles/2020-01-05-fuzz.md", data.to_vec()) {
        Ok(article) => {
            assert_eq!(article.slug, "2020-01-05-fuzz");
            assert_eq!(article.source_sha256.len(), 64);
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error without a diagnostic");
            for d in &problems {
                let shown = d.to_string();
                assert!(shown.contains("content/articles/2020-01-05-fuzz.md"), "{shown}");
            }
        }
    }
});
