//! Extraction: one article's text → entity and meeting candidates with char spans.
//! Each extractor is a separate stage behind [`Extractor`]; [`default_set`] lists them in
//! order (lexicon names first, then rules that build on them, meetings last). Extraction
//! never sees other articles, mints IRIs or emits triples.

mod agencies;
mod gazetteer;
mod meetings;
mod names;
mod people;
mod relations;

use crate::lexicon::Lexicon;
use crate::model::{Article, Candidate, CharSpan, EntityKind, Extraction, Mention};
use crate::text::{sentences, CharIndex};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

pub use names::{name_key, normalize_name, word_key};
pub use people::{same_person, same_person_keys};

/// One stage of extraction: reads the article (and what earlier stages found) and adds to
/// what was found. Construction may fail (loading data); running cannot.
pub trait Extractor: Send + Sync {
    /// A short name for diagnostics.
    fn name(&self) -> &'static str;
    /// Adds what this stage finds.
    fn extract(&self, doc: &Doc<'_>, found: &mut Found);
}

/// The article being read, with indexes every stage needs.
pub struct Doc<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its whole text.
    pub text: &'a str,
    /// Byte → char offsets.
    pub index: CharIndex,
    /// The body's sentences (byte ranges).
    pub sentences: Vec<Range<usize>>,
    /// The lexicons.
    pub lex: &'a Lexicon,
    /// Byte offsets of the line breaks, in order.
    newlines: Vec<usize>,
    /// The words of every sentence, sentence after sentence (see [`Doc::words`]).
    words: Vec<names::Tok>,
    /// Where each sentence's words start in `words` (and, last, their number).
    word_starts: Vec<usize>,
}

impl<'a> Doc<'a> {
    /// Prepares an article for extraction.
    pub fn new(article: &'a Article, lex: &'a Lexicon) -> Self {
        let sentences = sentences(&article.text, article.body.clone());
        // Each sentence is read word by word by several extractors: split it once.
        let mut words = Vec::new();
        let mut word_starts = Vec::with_capacity(sentences.len() + 1);
        for s in &sentences {
            word_starts.push(words.len());
            words.extend(names::tokens(&article.text, s.clone()));
        }
        word_starts.push(words.len());
        Self {
            article,
            text: &article.text,
            index: CharIndex::new(&article.text),
            sentences,
            lex,
            newlines: memchr::memchr_iter(b'\n', article.text.as_bytes()).collect(),
            words,
            word_starts,
        }
    }

    /// The words ([`names::tokens`]) of sentence `i` of [`Doc::sentences`].
    pub fn words(&self, i: usize) -> &[names::Tok] {
        let (Some(&from), Some(&to)) = (self.word_starts.get(i), self.word_starts.get(i + 1))
        else {
            return &[];
        };
        self.words.get(from..to).unwrap_or_default()
    }

    /// The index in [`Doc::sentences`] of the sentence containing byte `at`.
    pub fn sentence_index_of(&self, at: usize) -> Option<usize> {
        let i = self
            .sentences
            .partition_point(|s| s.start <= at)
            .checked_sub(1)?;
        (at < self.sentences[i].end).then_some(i)
    }

    /// The start of the line holding byte `at` (just after the last line break before it).
    pub fn line_start(&self, at: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < at);
        i.checked_sub(1).map_or(0, |k| self.newlines[k] + 1)
    }

    /// The sentence containing byte `at`.
    pub fn sentence_of(&self, at: usize) -> Option<Range<usize>> {
        // Sentences are in text order and do not overlap: the last one starting at or
        // before `at` is the only one that can hold it.
        self.sentence_index_of(at)
            .map(|i| self.sentences[i].clone())
    }
}

/// A mention in byte offsets, pointing at its entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The entity (index into `Found::entities`).
    pub entity: usize,
    /// A name of the entity (false for a descriptive coreference such as "the ISI DG").
    pub named: bool,
}

/// What the stages found so far in one article.
#[derive(Debug, Default)]
pub struct Found {
    /// The extraction being built.
    pub out: Extraction,
    /// Every mention in byte offsets, in insertion order.
    pub spans: Vec<Span>,
    /// The ranges of `spans`, to refuse a second mention of a span in constant time.
    ranges: HashSet<Range<usize>>,
}

impl Found {
    /// Whether any mention overlaps `r`.
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        self.spans
            .iter()
            .any(|s| s.range.start < r.end && r.start < s.range.end)
    }

    /// The mention covering byte `at`.
    pub fn at(&self, at: usize) -> Option<&Span> {
        self.spans
            .iter()
            .find(|s| s.range.start <= at && at < s.range.end)
    }

    /// The mention that ends exactly at `end` (after trimming), if any.
    pub fn ending_at(&self, end: usize) -> Option<&Span> {
        self.spans.iter().find(|s| s.range.end == end)
    }

    /// Mentions inside `r`, sorted by position.
    pub fn within(&self, r: &Range<usize>) -> Vec<&Span> {
        let mut v: Vec<&Span> = self
            .spans
            .iter()
            .filter(|s| r.start <= s.range.start && s.range.end <= r.end)
            .collect();
        v.sort_by_key(|s| (s.range.start, s.range.end));
        v
    }

    /// The entity with this lexicon key or, failing that, of a compatible kind with this
    /// normalised name.
    pub fn find(&self, kind: EntityKind, name: &str, key: Option<&str>) -> Option<usize> {
        if let Some(k) = key {
            return self
                .out
                .entities
                .iter()
                .position(|c| c.key.as_deref() == Some(k));
        }
        let n = normalize_name(name);
        self.out.entities.iter().position(|c| {
            c.key.is_none() && c.kind.compatible(kind) && normalize_name(&c.name) == n
        })
    }

    /// Adds an entity (or finds the existing one) without a mention.
    pub fn entity(&mut self, kind: EntityKind, name: &str, key: Option<&str>) -> usize {
        if let Some(i) = self.find(kind, name, key) {
            if kind == EntityKind::Official && self.out.entities[i].kind == EntityKind::Person {
                self.out.entities[i].kind = kind;
            }
            return i;
        }
        self.out
            .entities
            .push(Candidate::new(kind, name, key.map(str::to_string)));
        self.out.entities.len() - 1
    }

    /// Records a mention of entity `e` at byte range `r` (ignored when that exact span is
    /// already a mention).
    pub fn mention(&mut self, doc: &Doc<'_>, e: usize, r: Range<usize>, named: bool) {
        if !self.ranges.insert(r.clone()) {
            return;
        }
        if named {
            let span = CharSpan {
                begin: doc.index.char_at(r.start),
                end: doc.index.char_at(r.end),
            };
            self.out.entities[e].mentions.push(Mention {
                span,
                text: doc.text[r.clone()].to_string(),
            });
        }
        self.spans.push(Span {
            range: r,
            entity: e,
            named,
        });
    }

    /// Moves everything known of entity `from` (mentions, titles, affiliations, country)
    /// into entity `into`; `from` is left without mentions and dropped at the end.
    pub fn absorb(&mut self, from: usize, into: usize) {
        if from == into {
            return;
        }
        let src = std::mem::replace(
            &mut self.out.entities[from],
            Candidate::new(EntityKind::Person, "", None),
        );
        let dst = &mut self.out.entities[into];
        dst.mentions.extend(src.mentions);
        for t in src.titles {
            if !dst.titles.contains(&t) {
                dst.titles.push(t);
            }
        }
        for a in src.affiliations {
            if !dst.affiliations.contains(&a) {
                dst.affiliations.push(a);
            }
        }
        if dst.country.is_none() {
            dst.country = src.country;
        }
        if src.kind == EntityKind::Official && dst.kind == EntityKind::Person {
            dst.kind = EntityKind::Official;
        }
        for sp in &mut self.spans {
            if sp.entity == from {
                sp.entity = into;
            }
        }
        for c in &mut self.out.entities {
            for a in &mut c.affiliations {
                if *a == from {
                    *a = into;
                }
            }
            if c.country == Some(from) {
                c.country = Some(into);
            }
        }
    }

    /// Adds an entity with a mention; returns its index.
    pub fn add(
        &mut self,
        doc: &Doc<'_>,
        kind: EntityKind,
        name: &str,
        key: Option<&str>,
        r: Range<usize>,
    ) -> usize {
        let e = self.entity(kind, name, key);
        self.mention(doc, e, r, true);
        e
    }
}

/// The extractors, in the order they run.
pub fn default_set() -> Vec<Arc<dyn Extractor>> {
    vec![
        Arc::new(gazetteer::Gazetteer),
        Arc::new(agencies::Agencies),
        Arc::new(people::People),
        Arc::new(relations::Relations),
        Arc::new(meetings::Meetings),
    ]
}

/// Runs the extractors over one article.
pub fn extract(article: &Article, lex: &Lexicon, set: &[Arc<dyn Extractor>]) -> Extraction {
    let doc = Doc::new(article, lex);
    let mut found = Found::default();
    for x in set {
        x.extract(&doc, &mut found);
    }
    let mut out = found.out;
    for c in &mut out.entities {
        c.mentions.sort();
        c.mentions.dedup();
    }
    compact(&mut out);
    out.shrink_to_fit();
    out
}

/// Drops entities left without mentions (absorbed into another) and renumbers references.
fn compact(x: &mut Extraction) {
    let keep: Vec<bool> = x.entities.iter().map(|c| !c.mentions.is_empty()).collect();
    if keep.iter().all(|k| *k) {
        return;
    }
    let mut map = vec![None; keep.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            map[i] = Some(n);
            n += 1;
        }
    }
    let old = std::mem::take(&mut x.entities);
    for (i, mut c) in old.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        c.affiliations = c.affiliations.iter().filter_map(|&a| map[a]).collect();
        c.country = c.country.and_then(|k| map[k]);
        x.entities.push(c);
    }
    for m in &mut x.meetings {
        m.attendees = m.attendees.iter().filter_map(|&a| map[a]).collect();
        m.hosts = m.hosts.iter().filter_map(|&a| map[a]).collect();
        m.location = m.location.and_then(|l| map[l]);
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::model::Article;
    use std::sync::OnceLock;

    pub fn lex() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| match Lexicon::load(&[]) {
            Ok(l) => l,
            Err(e) => panic!("lexicon: {e}"),
        })
    }

    pub fn article(text: &str, published: Option<&str>) -> Article {
        let mut a =
            crate::article::from_text("t".into(), text.into(), None, None, None, "t.txt".into());
        if let Some(p) = published {
            a.published = p.parse().ok();
        }
        a
    }

    pub fn run(text: &str) -> Extraction {
        extract(&article(text, None), lex(), &default_set())
    }

    pub fn run_dated(text: &str, published: &str) -> Extraction {
        extract(&article(text, Some(published)), lex(), &default_set())
    }

    /// The entity named `name` (canonical or a surface form).
    pub fn ent<'a>(x: &'a Extraction, name: &str) -> Option<&'a Candidate> {
        x.entities
            .iter()
            .find(|c| c.name == name || c.mentions.iter().any(|m| m.text == name))
    }

    /// Checks the extraction invariants: mention text equals the text at its span, every
    /// entity has a name, every reference resolves.
    pub fn assert_invariants(text: &str, x: &Extraction) {
        let chars: Vec<char> = text.chars().collect();
        for c in &x.entities {
            assert!(!c.name.is_empty());
            for m in &c.mentions {
                let s: String = chars[m.span.begin..m.span.end].iter().collect();
                assert_eq!(s, m.text);
            }
            for &a in &c.affiliations {
                assert!(a < x.entities.len());
            }
            assert!(c.country.is_none_or(|i| i < x.entities.len()));
        }
        for m in &x.meetings {
            for &i in m.attendees.iter().chain(&m.hosts).chain(&m.location) {
                assert!(i < x.entities.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::{article, lex};
    use super::*;

    #[test]
    fn a_docs_words_are_its_sentences_tokens() {
        let a = article(
            "Talks in Kabul\n\nPakistan's Gen. Faiz Hameed met Al-Qaeda's envoy. Then O’Brien left.\n\nSources said so.",
            None,
        );
        let doc = Doc::new(&a, lex());
        assert!(doc.sentences.len() >= 3, "{:?}", doc.sentences);
        for (i, s) in doc.sentences.iter().enumerate() {
            let want = names::tokens(doc.text, s.clone());
            assert_eq!(doc.words(i), &want[..]);
            assert_eq!(doc.sentence_index_of(s.start), Some(i));
            assert_eq!(doc.sentence_index_of(s.end - 1), Some(i));
        }
        assert_eq!(doc.words(doc.sentences.len()), &[]);
        assert_eq!(doc.sentence_index_of(doc.text.len()), None);
    }
}
