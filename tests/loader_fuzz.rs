//! The loader never panics, whatever it is fed: random bytes, random text, and the bundled
//! scenarios with one random mutation each. An error always carries at least one diagnostic
//! placed on a real line of the text.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use worthit::scenario::{LoadError, load, load_str};

/// Every bundled `scenarios/*.toml`: (path, text).
fn bundled() -> &'static [(PathBuf, String)] {
    static FILES: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
            .expect("scenarios/ exists")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                (p, text)
            })
            .collect();
        files.sort();
        files
    })
}

/// What must hold of any result: an error has diagnostics, each on a line of `src` (or the
/// line just after a final newline), and renders without panicking.
fn check(src: &str, result: Result<worthit::scenario::Scenario, LoadError>) {
    let Err(err) = result else { return };
    assert!(!err.diagnostics.is_empty(), "an error without diagnostics");
    let lines = src.split('\n').count();
    for d in &err.diagnostics {
        assert!(d.line >= 1, "line {} < 1: {d:?}", d.line);
        assert!(
            d.line <= lines,
            "line {} of a {lines}-line text: {d:?}",
            d.line
        );
        assert!(d.column >= 1, "{d:?}");
        assert!(!d.found.is_empty() && !d.allowed.is_empty(), "{d:?}");
    }
    let text = err.to_string();
    let first = &err.diagnostics[0];
    let at = format!("{}:{}:{}", first.file.display(), first.line, first.column);
    assert!(text.contains(&at), "{text}");
}

/// 256 cases per property keeps the suite fast; `PROPTEST_CASES=20000` searches deeper.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Byte ranges of the number tokens of `src`: a digit run (with `_`, `.`, `e`, a sign) not
/// glued to a name (the `90` of `p90` is not a number).
fn number_tokens(src: &str) -> Vec<std::ops::Range<usize>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if !starts {
            i += 1;
            continue;
        }
        let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || matches!(b[j], b'_' | b'.' | b'e' | b'E')
                || (matches!(b[j], b'+' | b'-') && matches!(b[j - 1], b'e' | b'E')))
        {
            j += 1;
        }
        out.push(start..j);
        i = j;
    }
    out
}

/// One mutation of a scenario's text.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceNumber(usize, String),
    Truncate(usize),
}

fn replacement() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:?}")),
        any::<i64>().prop_map(|x| x.to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("{x}")),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("+inf".to_string()),
        Just("-0.0".to_string()),
        Just("0".to_string()),
        Just("1e400".to_string()),
        Just("9223372036854775808".to_string()),
        Just("\"text\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("1979-05-27".to_string()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        // Numbers are mutated more often: that is where the validation rules bite.
        3 => (any::<usize>(), replacement()).prop_map(|(i, r)| Mutation::ReplaceNumber(i, r)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(src: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = src.split_inclusive('\n').collect();
    let n = lines.len();
    let tokens = number_tokens(src);
    match m {
        _ if n == 0 => src.to_string(),
        Mutation::ReplaceNumber(..) if tokens.is_empty() => src.to_string(),
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
            lines.concat()
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n];
            let l = if l.ends_with('\n') {
                l.to_string()
            } else {
                format!("{l}\n")
            };
            let mut out: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            out.insert(i % n, l);
            out.concat()
        }
        Mutation::SwapLines(a, b) => {
            let mut out: Vec<String> = lines
                .iter()
                .map(|s| s.trim_end_matches('\n').to_string())
                .collect();
            out.swap(a % n, b % n);
            out.join("\n") + "\n"
        }
        Mutation::ReplaceNumber(i, r) => {
            let t = tokens[i % tokens.len()].clone();
            format!("{}{r}{}", &src[..t.start], &src[t.end..])
        }
        Mutation::Truncate(at) => {
            // At a byte: back off to a character boundary (load_str takes text).
            let mut at = at % (src.len() + 1);
            while !src.is_char_boundary(at) {
                at -= 1;
            }
            src[..at].to_string()
        }
    }
}

#[test]
fn the_bundled_scenarios_load_and_have_numbers_to_mutate() {
    let files = bundled();
    assert!(files.len() >= 5, "{} bundled scenarios", files.len());
    for (path, src) in files {
        if let Err(e) = load_str(src, path) {
            panic!("a bundled scenario does not load:\n{e}");
        }
        assert!(number_tokens(src).len() > 20, "{}", path.display());
    }
    // The tokenizer finds numbers, not pieces of names.
    let toks = number_tokens("salary = { median = 72_000, p90 = -1.5e-3 }\nx2 = 3");
    let src = "salary = { median = 72_000, p90 = -1.5e-3 }\nx2 = 3";
    let found: Vec<&str> = toks.into_iter().map(|r| &src[r]).collect();
    assert_eq!(found, ["72_000", "-1.5e-3", "3"]);
}

#[test]
fn mutations_are_what_they_say() {
    let src = "a = 1\nb = 2\nc = 3\n";
    assert_eq!(apply(src, &Mutation::DeleteLine(1)), "a = 1\nc = 3\n");
    assert_eq!(
        apply(src, &Mutation::DuplicateLine(5)),
        "a = 1\nb = 2\nc = 3\nc = 3\n"
    );
    assert_eq!(
        apply(src, &Mutation::SwapLines(0, 2)),
        "c = 3\nb = 2\na = 1\n"
    );
    assert_eq!(
        apply(src, &Mutation::ReplaceNumber(1, "nan".into())),
        "a = 1\nb = nan\nc = 3\n"
    );
    assert_eq!(apply(src, &Mutation::Truncate(7)), "a = 1\nb");
    assert_eq!(apply("", &Mutation::DeleteLine(3)), "");
    // The mutations bite: a number replaced by a string is rejected, except in comments.
    let (path, text) = &bundled()[0];
    let n = number_tokens(text).len();
    let rejected = (0..n)
        .filter(|&i| {
            load_str(
                &apply(text, &Mutation::ReplaceNumber(i, "\"text\"".into())),
                path,
            )
            .is_err()
        })
        .count();
    assert!(
        rejected * 4 >= n,
        "only {rejected} of {n} replacements rejected"
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let src = String::from_utf8_lossy(&bytes);
        check(&src, load_str(&src, Path::new("fuzz.toml")));
    }

    #[test]
    fn random_text_never_panics(src in any::<String>()) {
        check(&src, load_str(&src, Path::new("fuzz.toml")));
    }

    #[test]
    fn toml_like_text_never_panics(
        src in "([a-z_]{1,8}|\\[[a-z.]{0,12}\\]{0,2}|=|\\{|\\}|\\[|\\]|,|\"[a-z ]{0,6}\"?|-?[0-9_.e]{1,6}|nan|inf|true| |\n|#){0,60}"
    ) {
        check(&src, load_str(&src, Path::new("fuzz.toml")));
    }

    #[test]
    fn mutated_scenarios_never_panic(file in any::<usize>(), m in mutation()) {
        let files = bundled();
        let (path, text) = &files[file % files.len()];
        let src = apply(text, &m);
        check(&src, load_str(&src, path));
    }

    #[test]
    fn two_mutations_never_panic(file in any::<usize>(), m1 in mutation(), m2 in mutation()) {
        let files = bundled();
        let (path, text) = &files[file % files.len()];
        let src = apply(&apply(text, &m1), &m2);
        check(&src, load_str(&src, path));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Through `load`, which also sees bytes that are not UTF-8.
    #[test]
    fn random_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.toml");
        std::fs::write(&path, &bytes).unwrap();
        let lossy = String::from_utf8_lossy(&bytes);
        check(&lossy, load(&path));
    }
}
