//! Number and list formatting shared by every stage (scenario messages, the terminal, the reports),
//! so that an amount reads the same wherever it appears.

/// A count with thousands separators: `1234567` -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count and its noun, with thousands separators: `1 trial`, `200,000 trials` (the plural
/// by adding `s`, which every noun counted here takes).
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(n))
    }
}

/// A count of lives: `1 life`, `200,000 lives`.
pub fn lives(n: u64) -> String {
    if n == 1 {
        "1 life".to_string()
    } else {
        format!("{} lives", thousands(n))
    }
}

/// Names as a message lists them, each in backticks: `` `a`, `b`, `c` ``.
pub fn code_list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `s` with a capital first letter, for a title or a column's header.
pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `words` after "the", once: "the placement", "the mean of placement"; a phrase that
/// already has its article ("its placement", "the discount rate") as it is.
pub fn the(words: &str) -> String {
    if words.starts_with("the ") || words.starts_with("its ") {
        words.to_string()
    } else {
        format!("the {words}")
    }
}

/// A duration for people: "12.3 s", and two decimals below a tenth of a second ("0.04 s")
/// so that a quick run does not read as taking no time at all ("under 0.01 s").
pub fn seconds(s: f64) -> String {
    // The bounds are where the rounding would print the next form ("0.10 s", "0.00 s").
    if s < 0.005 {
        "under 0.01 s".to_string()
    } else if s < 0.095 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// Words of a role key written in capitals in a label (`ml_engineer` -> "ML engineer").
const ACRONYMS: [&str; 10] = ["ml", "ai", "ux", "ui", "it", "qa", "hr", "bi", "nlp", "ds"];

/// A role's name for a sentence: its label, or its key in words (`ml_engineer` -> "ML
/// engineer") when it has none.
pub fn role_name(key: &str, label: &str) -> String {
    if label != key {
        return label.to_string();
    }
    key.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            if ACRONYMS.contains(&w.to_ascii_lowercase().as_str()) {
                w.to_ascii_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_backticks() {
        assert_eq!(super::code_list(["a", "b"]), "`a`, `b`");
        assert_eq!(super::code_list(Vec::<String>::new()), "");
    }

    #[test]
    fn groups_of_three() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn role_names_read_as_words() {
        assert_eq!(
            super::role_name("ml_engineer", "ml_engineer"),
            "ML engineer"
        );
        assert_eq!(
            super::role_name("data_scientist", "data_scientist"),
            "data scientist"
        );
        assert_eq!(
            super::role_name("ml_engineer", "Machine-learning engineer"),
            "Machine-learning engineer"
        );
    }

    #[test]
    fn the_article_once() {
        assert_eq!(super::the("placement of A"), "the placement of A");
        assert_eq!(super::the("the discount rate"), "the discount rate");
        assert_eq!(super::the("its placement"), "its placement");
    }
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn a_count_names_one_and_many() {
        assert_eq!(super::count(1, "trial"), "1 trial");
        assert_eq!(super::count(0, "trial"), "0 trials");
        assert_eq!(super::count(200_000, "trial"), "200,000 trials");
        assert_eq!(super::lives(1), "1 life");
        assert_eq!(super::lives(2_000), "2,000 lives");
    }

    #[test]
    fn a_quick_run_does_not_read_as_no_time() {
        assert_eq!(super::seconds(17.26), "17.3 s");
        assert_eq!(super::seconds(0.1), "0.1 s");
        assert_eq!(super::seconds(0.042), "0.04 s");
        assert_eq!(super::seconds(0.004), "under 0.01 s");
        assert_eq!(super::seconds(0.0996), "0.1 s");
        assert_eq!(super::seconds(0.094), "0.09 s");
        assert_eq!(super::seconds(0.006), "0.01 s");
    }
}
