//! The lexicons under `ontology/lexicon/` (countries, cities, agencies, organisations,
//! titles, first names): parsing the TSV files, merging user lexicon directories, and one
//! Aho-Corasick automaton over every surface form. Knows nothing of articles.

use crate::model::EntityKind;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why a lexicon could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A file could not be read.
    #[error("cannot read lexicon {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is malformed.
    #[error("lexicon {file}:{line}: {message}")]
    Format {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The automaton could not be built.
    #[error("cannot build the lexicon matcher: {0}")]
    Build(String),
}

/// A lexicon entry: one real-world thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `kind/id`, e.g. `country/pakistan`.
    pub key: String,
    /// What it is.
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// The country's key, for cities, agencies and organisations.
    pub country: Option<String>,
    /// Sub-kind (agency kind, organisation kind, "capital").
    pub subkind: String,
    /// Wikidata QID, when the lexicon is certain.
    pub wikidata: Option<String>,
    /// ISO 3166-1 alpha-2 code (countries).
    pub iso2: Option<String>,
}

/// How a surface form names its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The name or an alias.
    Name,
    /// An acronym ("ISI").
    Acronym,
    /// A demonym/adjective ("Pakistani").
    Demonym,
}

/// A title or rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// As written.
    pub text: String,
    /// rank, position or honorific.
    pub kind: String,
    /// The full form of an abbreviation.
    pub full: Option<String>,
}

/// What a match of the surface automaton refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// An entity surface form.
    Entity(usize, Form),
    /// A title.
    Title(usize),
}

/// All lexicons, loaded once.
#[derive(Debug)]
pub struct Lexicon {
    /// The entries.
    pub entries: Vec<Entry>,
    /// The titles.
    pub titles: Vec<Title>,
    by_key: HashMap<String, usize>,
    first_names: HashSet<String>,
    place_given_names: HashSet<String>,
    forms: Vec<(String, Hit)>,
    matcher: AhoCorasick,
    fingerprint: String,
}

struct Source {
    name: String,
    text: String,
}

const BUILTIN: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../ontology/lexicon/countries.tsv"),
    ),
    ("cities.tsv", include_str!("../ontology/lexicon/cities.tsv")),
    (
        "agencies.tsv",
        include_str!("../ontology/lexicon/agencies.tsv"),
    ),
    (
        "organizations.tsv",
        include_str!("../ontology/lexicon/organizations.tsv"),
    ),
    ("titles.tsv", include_str!("../ontology/lexicon/titles.tsv")),
    (
        "first_names.txt",
        include_str!("../ontology/lexicon/first_names.txt"),
    ),
    (
        "place_given_names.txt",
        include_str!("../ontology/lexicon/place_given_names.txt"),
    ),
];

fn fingerprint(sources: &[Source]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in sources {
        for part in [s.name.as_bytes(), s.text.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Rows of a TSV file: comment lines skipped, the first row is the header.
fn rows<'a>(file: &str, text: &'a str) -> Result<Vec<HashMap<&'a str, &'a str>>, LexiconError> {
    let mut header: Option<Vec<&str>> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        match &header {
            None => header = Some(cells),
            Some(h) => {
                if cells.len() > h.len() {
                    return Err(LexiconError::Format {
                        file: file.to_string(),
                        line: i + 1,
                        message: format!("{} cells, header has {}", cells.len(), h.len()),
                    });
                }
                out.push(
                    h.iter()
                        .zip(cells.iter().chain(std::iter::repeat(&"")))
                        .map(|(k, v)| (*k, v.trim()))
                        .collect(),
                );
            }
        }
    }
    Ok(out)
}

fn multi<'a>(v: Option<&&'a str>) -> impl Iterator<Item = String> + 'a {
    v.copied()
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn opt(v: Option<&&str>) -> Option<String> {
    v.map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Lexicon {
    /// The built-in lexicons plus the same-named files found in `extra` directories.
    pub fn load(extra: &[PathBuf]) -> Result<Self, LexiconError> {
        let mut sources: Vec<Source> = BUILTIN
            .iter()
            .map(|(n, t)| Source {
                name: (*n).to_string(),
                text: (*t).to_string(),
            })
            .collect();
        for dir in extra {
            for (n, _) in BUILTIN {
                let p: PathBuf = Path::new(dir).join(n);
                if p.exists() {
                    let text =
                        std::fs::read_to_string(&p).map_err(|source| LexiconError::Read {
                            path: p.clone(),
                            source,
                        })?;
                    sources.push(Source {
                        name: (*n).to_string(),
                        text,
                    });
                }
            }
        }
        Self::from_sources(&sources)
    }

    fn from_sources(sources: &[Source]) -> Result<Self, LexiconError> {
        let mut b = Builder::default();
        // Countries first: other files refer to them.
        for kind in [
            "countries.tsv",
            "cities.tsv",
            "agencies.tsv",
            "organizations.tsv",
            "titles.tsv",
            "first_names.txt",
            "place_given_names.txt",
        ] {
            for s in sources.iter().filter(|s| s.name == kind) {
                b.read(&s.name, &s.text)?;
            }
        }
        let mut lex = b.finish()?;
        lex.fingerprint = fingerprint(sources);
        Ok(lex)
    }

    /// A digest of every lexicon file read (names and contents, in order): two lexicons
    /// with the same fingerprint match the same names.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    /// The index of the entry with this key.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// Whether `name` is a known given name.
    pub fn is_first_name(&self, name: &str) -> bool {
        self.first_names.contains(name)
    }

    /// Whether the place name `name` is also a given name ("Jordan", "Georgia").
    pub fn is_place_given_name(&self, name: &str) -> bool {
        self.place_given_names.contains(name)
    }

    /// Every lexicon match in `text`, leftmost-longest: (byte range, what it is).
    pub fn find_all<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, Hit)> + 'a {
        self.matcher
            .find_iter(text)
            .map(move |m| (m.range(), self.forms[m.pattern().as_usize()].1))
    }

    /// The hit for an exact surface form, if the lexicon knows it.
    pub fn lookup(&self, surface: &str) -> Option<Hit> {
        let m = self.matcher.find(surface)?;
        (m.start() == 0 && m.end() == surface.len()).then(|| self.forms[m.pattern().as_usize()].1)
    }
}

#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    titles: Vec<Title>,
    by_key: HashMap<String, usize>,
    first_names: HashSet<String>,
    place_given_names: HashSet<String>,
    forms: Vec<(String, Hit)>,
    seen_forms: HashSet<String>,
}

impl Builder {
    fn add_form(&mut self, form: String, hit: Hit) {
        if form.chars().count() >= 2 && self.seen_forms.insert(form.clone()) {
            self.forms.push((form, hit));
        }
    }

    fn add_entry(&mut self, e: Entry) -> usize {
        if let Some(&i) = self.by_key.get(&e.key) {
            return i; // a user lexicon may repeat a built-in entry: extra forms only
        }
        let i = self.entries.len();
        self.by_key.insert(e.key.clone(), i);
        self.entries.push(e);
        i
    }

    fn read(&mut self, file: &str, text: &str) -> Result<(), LexiconError> {
        if file.ends_with(".txt") {
            let set = if file == "first_names.txt" {
                &mut self.first_names
            } else {
                &mut self.place_given_names
            };
            for l in text.lines() {
                let l = l.trim();
                if !l.is_empty() && !l.starts_with('#') {
                    set.insert(l.to_string());
                }
            }
            return Ok(());
        }
        for r in rows(file, text)? {
            match file {
                "titles.tsv" => {
                    let Some(t) = opt(r.get("title")) else {
                        continue;
                    };
                    let i = self.titles.len();
                    self.titles.push(Title {
                        text: t.clone(),
                        kind: opt(r.get("kind")).unwrap_or_default(),
                        full: opt(r.get("abbrev_of")),
                    });
                    self.add_form(t, Hit::Title(i));
                }
                _ => {
                    let (kind, prefix) = match file {
                        "countries.tsv" => (EntityKind::Country, "country"),
                        "cities.tsv" => (EntityKind::City, "city"),
                        "agencies.tsv" => (EntityKind::Agency, "agency"),
                        _ => (EntityKind::Organization, "organization"),
                    };
                    let Some(id) = opt(r.get("id")) else { continue };
                    let Some(name) = opt(r.get("name")) else {
                        continue;
                    };
                    let subkind = if kind == EntityKind::City {
                        if r.get("capital") == Some(&"1") {
                            "capital".to_string()
                        } else {
                            String::new()
                        }
                    } else {
                        opt(r.get("kind")).unwrap_or_default()
                    };
                    let i = self.add_entry(Entry {
                        key: format!("{prefix}/{id}"),
                        kind,
                        name: name.clone(),
                        country: opt(r.get("country")).map(|c| format!("country/{c}")),
                        subkind,
                        wikidata: opt(r.get("wikidata")),
                        iso2: opt(r.get("iso2")),
                    });
                    self.add_form(name, Hit::Entity(i, Form::Name));
                    for a in multi(r.get("aliases")) {
                        self.add_form(a, Hit::Entity(i, Form::Name));
                    }
                    for a in multi(r.get("acronyms")) {
                        self.add_form(a, Hit::Entity(i, Form::Acronym));
                    }
                    for a in multi(r.get("demonyms")) {
                        self.add_form(a, Hit::Entity(i, Form::Demonym));
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Lexicon, LexiconError> {
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(self.forms.iter().map(|(f, _)| f.as_str()))
            .map_err(|e| LexiconError::Build(e.to_string()))?;
        Ok(Lexicon {
            entries: self.entries,
            titles: self.titles,
            by_key: self.by_key,
            first_names: self.first_names,
            place_given_names: self.place_given_names,
            forms: self.forms,
            matcher,
            fingerprint: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_loads_and_finds_forms() -> Result<(), LexiconError> {
        let lex = Lexicon::load(&[])?;
        assert!(matches!(
            lex.lookup("Pakistan"),
            Some(Hit::Entity(_, Form::Name))
        ));
        assert!(matches!(
            lex.lookup("Pakistani"),
            Some(Hit::Entity(_, Form::Demonym))
        ));
        assert!(matches!(
            lex.lookup("Director General"),
            Some(Hit::Title(_))
        ));
        assert!(lex.get("country/pakistan").is_some());
        Ok(())
    }

    #[test]
    fn user_lexicon_adds_entries() -> Result<(), LexiconError> {
        let sources = vec![Source {
            name: "agencies.tsv".into(),
            text:
                "id\tname\tacronyms\tcountry\tkind\taliases\nzz\tZed Bureau\tZB\t\tintelligence\t\n"
                    .into(),
        }];
        let lex = Lexicon::from_sources(&sources)?;
        assert_eq!(
            lex.get("agency/zz").map(|e| e.name.as_str()),
            Some("Zed Bureau")
        );
        assert!(matches!(
            lex.lookup("ZB"),
            Some(Hit::Entity(_, Form::Acronym))
        ));
        Ok(())
    }

    #[test]
    fn malformed_rows_are_errors() {
        let sources = vec![Source {
            name: "agencies.tsv".into(),
            text: "id\tname\nzz\tZed\textra\n".into(),
        }];
        assert!(Lexicon::from_sources(&sources).is_err());
    }
}
