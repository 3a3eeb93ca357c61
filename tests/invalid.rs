//! Invalid fixtures (`tests/fixtures/invalid/<case>/`): each build fails with exit code 1, writes
//! nothing, and prints exactly the error pinned in `tests/snapshots/`.

use crate::support::{TestSite, fixture};

fn check(case: &str) {
    let site = TestSite::from_dir(&fixture("invalid").join(case));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{case}: expected failure\n{}", run.stderr);
    assert!(run.stdout.is_empty(), "{case}: nothing on stdout on failure: {}", run.stdout);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{case}: {}",
        run.stderr
    );
    assert!(!site.public().exists(), "{case}: a failed first build must not create the output");
    assert_eq!(site.tmp_entries(), ["site"], "{case}: no staging directory left behind");
    insta::assert_snapshot!(case, site.normalize(&run.stderr));
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { check(stringify!($name)); })*

        /// Every fixture directory has a test (and every test a fixture).
        #[test]
        fn every_invalid_fixture_is_tested() {
            let mut dirs: Vec<String> = std::fs::read_dir(fixture("invalid")).unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            dirs.sort();
            let mut tested = vec![$(stringify!($name).to_string()),*];
            tested.sort();
            assert_eq!(dirs, tested);
        }
    };
}

cases!(
    actor_part_of_unknown,
    article_impossible_date,
    article_published_word,
    article_republishes_a_copy,
    article_republishes_unknown,
    article_unknown_actor,
    article_unknown_agency,
    article_unknown_key,
    article_wrong_type,
    broken_internal_link,
    claim_position_without_articles,
    claim_unknown_actor,
    claim_unknown_article,
    claim_unknown_outlet,
    config_actors_taxonomy,
    config_bad_base_url,
    config_unknown_key,
    content_and_template_errors,
    duplicate_outlet_id,
    duplicate_slug,
    empty_content,
    full_text_without_source_note,
    image_file_missing,
    image_path_escapes,
    invalid_utf8,
    missing_front_matter,
    missing_index,
    multiple_errors,
    output_collision,
    remote_image_in_body,
    report_without_url,
    reserved_page_slug,
    source_title_restates_an_article,
    status_looser_than_sources,
    template_runtime_error,
    template_syntax_error,
    term_spelling,
    timeline_duplicate_event_id,
    timeline_unknown_actor,
    timeline_unknown_article,
    unknown_outlet,
    unparsed_file_reported_once,
    unterminated_front_matter,
    yaml_alias_bomb,
    yaml_bad_indentation,
    yaml_deep_nesting,
    yaml_tab_indentation,
    yaml_unclosed_quote,
);
