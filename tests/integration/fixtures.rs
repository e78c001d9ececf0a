//! Every fixture article through extraction: mention text equals the text at its offsets,
//! every entity has a name and a kind, every reference resolves.

use crate::util::root;
use newsgraph::extract::{default_set, extract};
use newsgraph::lexicon::Lexicon;

#[test]
fn extraction_invariants_hold_on_every_fixture() {
    let lex = Lexicon::load(&[]).expect("lexicon");
    let set = default_set();
    let dirs = [
        root().join("articles"),
        root().join("tests/fixtures/articles"),
    ];
    let mut n = 0;
    for d in dirs {
        for f in newsgraph::article::discover(&[d]).expect("discover") {
            for a in newsgraph::article::load(&f).expect("load") {
                let x = extract(&a, &lex, &set);
                let chars: Vec<char> = a.text.chars().collect();
                for c in &x.entities {
                    assert!(!c.name.trim().is_empty(), "{}: empty name", a.id);
                    for m in &c.mentions {
                        let s: String = chars[m.span.begin..m.span.end].iter().collect();
                        assert_eq!(s, m.text, "{}: mention offsets", a.id);
                    }
                    assert!(c.affiliations.iter().all(|&i| i < x.entities.len()));
                    assert!(c.country.is_none_or(|i| i < x.entities.len()));
                }
                for m in &x.meetings {
                    for &i in m.attendees.iter().chain(&m.hosts).chain(&m.location) {
                        assert!(i < x.entities.len(), "{}: dangling meeting ref", a.id);
                    }
                    for t in &m.mentions {
                        let s: String = chars[t.span.begin..t.span.end].iter().collect();
                        assert_eq!(s, t.text);
                    }
                }
                n += 1;
            }
        }
    }
    assert!(n >= 20, "only {n} articles");
}

#[test]
fn page_chrome_gives_no_entities() {
    // The Dawn sample ends with Opinion/Editorial teasers: nothing after its sign-off line.
    let f = root().join("articles/dawn-2021-09-12-spymasters.txt");
    let a = newsgraph::article::load(&f).expect("load").remove(0);
    let lex = Lexicon::load(&[]).expect("lexicon");
    let x = extract(&a, &lex, &default_set());
    let end = a.text[..a.body.end].chars().count();
    let signoff = a.text.find("Published in Dawn").expect("sign-off");
    assert!(
        a.body.end > signoff,
        "the sign-off line is part of the article"
    );
    for c in &x.entities {
        for m in &c.mentions {
            assert!(m.span.end <= end, "{} found in page chrome", m.text);
        }
    }
}
