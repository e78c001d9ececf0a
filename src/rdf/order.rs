//! The output order of quads, without building strings: terms compare exactly as their
//! N-Triples forms (`to_string()`) do, which is the order [`super::sort_quads`] defines, but
//! from slices of the terms themselves (`<` + IRI + `>`, `"` + value + `"^^<` + datatype +
//! `>`…). Only a literal whose value needs escaping gets its string built.

use foldhash::{HashMap, HashMapExt};
use oxigraph::model::{LiteralRef, NamedOrBlankNodeRef, Quad, TermRef, Triple};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A term's N-Triples form as up to five slices.
struct TermKey<'a> {
    pre: &'static [u8],
    body: Cow<'a, str>,
    post: [&'a [u8]; 3],
}

impl<'a> TermKey<'a> {
    fn whole(s: String) -> Self {
        Self {
            pre: b"",
            body: Cow::Owned(s),
            post: [b"", b"", b""],
        }
    }

    fn iri(iri: &'a str) -> Self {
        Self {
            pre: b"<",
            body: Cow::Borrowed(iri),
            post: [b">", b"", b""],
        }
    }

    fn subject(s: NamedOrBlankNodeRef<'a>) -> Self {
        match s {
            NamedOrBlankNodeRef::NamedNode(n) => Self::iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => Self {
                pre: b"_:",
                body: Cow::Borrowed(b.as_str()),
                post: [b"", b"", b""],
            },
        }
    }

    fn literal(l: LiteralRef<'a>) -> Self {
        let v = l.value();
        // Anything the N-Triples form escapes: control characters, quote, backslash,
        // U+FFFE and U+FFFF (EF BF BE / EF BF BF).
        let plain = !v
            .bytes()
            .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f || b == 0xef)
            || !v
                .chars()
                .any(|c| c < ' ' || matches!(c, '"' | '\\' | '\u{7f}' | '\u{fffe}' | '\u{ffff}'));
        if !plain {
            return Self::whole(l.to_string());
        }
        let post: [&'a [u8]; 3] = if let Some(lang) = l.language() {
            [b"\"@", lang.as_bytes(), b""]
        } else if l.datatype() == oxigraph::model::vocab::xsd::STRING {
            [b"\"", b"", b""]
        } else {
            [b"\"^^<", l.datatype().as_str().as_bytes(), b">"]
        };
        Self {
            pre: b"\"",
            body: Cow::Borrowed(v),
            post,
        }
    }

    fn term(t: TermRef<'a>) -> Self {
        #[allow(unreachable_patterns)]
        match t {
            TermRef::NamedNode(n) => Self::iri(n.as_str()),
            TermRef::BlankNode(b) => Self::subject(NamedOrBlankNodeRef::BlankNode(b)),
            TermRef::Literal(l) => Self::literal(l),
            other => Self::whole(other.to_string()),
        }
    }

    fn parts(&self) -> [&[u8]; 5] {
        [
            self.pre,
            self.body.as_bytes(),
            self.post[0],
            self.post[1],
            self.post[2],
        ]
    }
}

/// Compares two byte strings given as concatenations of slices.
pub(super) fn cmp_parts(a: &[&[u8]], b: &[&[u8]]) -> Ordering {
    let (mut ai, mut ao, mut bi, mut bo) = (0, 0, 0, 0);
    loop {
        while ai < a.len() && ao == a[ai].len() {
            ai += 1;
            ao = 0;
        }
        while bi < b.len() && bo == b[bi].len() {
            bi += 1;
            bo = 0;
        }
        let (x, y) = match (a.get(ai), b.get(bi)) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => (&x[ao..], &y[bo..]),
        };
        let n = x.len().min(y.len());
        match x[..n].cmp(&y[..n]) {
            Ordering::Equal => {
                ao += n;
                bo += n;
            }
            o => return o,
        }
    }
}

/// The rank of every item's term in column `col`: equal terms get equal ranks, and ranks
/// order as the terms do. Terms are told apart by their slices (the static prefix by address,
/// the rest by content); only the distinct terms are compared in full.
fn ranks(keys: &[[TermKey<'_>; 3]], col: usize) -> Vec<u32> {
    // Subjects and predicates are IRIs and blank nodes, whose suffix follows from their
    // prefix: (prefix address, body) is equal exactly when the N-Triples forms are.
    debug_assert!(col < 2, "objects are not ranked");
    type Id<'k> = (usize, &'k str);
    let mut distinct: HashMap<Id<'_>, u32> = HashMap::with_capacity(keys.len() / 4 + 1);
    let mut first: Vec<usize> = Vec::new();
    let mut ids: Vec<u32> = Vec::with_capacity(keys.len());
    let mut last: Option<(Id<'_>, u32)> = None;
    for (i, k) in keys.iter().enumerate() {
        let t = &k[col];
        // Each kind of term has one prefix, from one site: its address tells kinds apart.
        let id: Id<'_> = (t.pre.as_ptr() as usize, t.body.as_ref());
        // Quads come in runs of one subject: most lookups repeat the one before.
        let d = match last {
            Some((prev, d)) if prev.1.len() == id.1.len() && prev == id => d,
            _ => *distinct.entry(id).or_insert_with(|| {
                first.push(i);
                (first.len() - 1) as u32
            }),
        };
        last = Some((id, d));
        ids.push(d);
    }
    let mut order: Vec<usize> = (0..first.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        cmp_parts(&keys[first[a]][col].parts(), &keys[first[b]][col].parts())
    });
    let mut rank = vec![0u32; first.len()];
    for (r, &d) in order.iter().enumerate() {
        rank[d] = r as u32;
    }
    ids.into_iter().map(|d| rank[d as usize]).collect()
}

/// Sorts `items` by their (subject, predicate, object) and removes duplicates.
fn sort_by_spo<T>(items: Vec<T>, spo: impl Fn(&T) -> [TermKey<'_>; 3]) -> Vec<T> {
    let order: Vec<u32> = {
        let keys: Vec<[TermKey<'_>; 3]> = items.iter().map(&spo).collect();
        // Subjects and predicates repeat: rank the distinct ones once, then compare ranks;
        // objects are compared in full only between quads of one subject and predicate.
        let (s, p) = (ranks(&keys, 0), ranks(&keys, 1));
        let mut idx: Vec<(u32, u32, u32)> =
            (0..keys.len()).map(|i| (s[i], p[i], i as u32)).collect();
        let full = |a: &(u32, u32, u32), b: &(u32, u32, u32)| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
                cmp_parts(
                    &keys[a.2 as usize][2].parts(),
                    &keys[b.2 as usize][2].parts(),
                )
            })
        };
        idx.sort_unstable_by(full);
        idx.dedup_by(|a, b| full(a, b) == Ordering::Equal);
        idx.into_iter().map(|(_, _, i)| i).collect()
    };
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots[i as usize].take())
        .collect()
}

/// Sorts quads of one graph by subject, predicate and object; removes duplicates.
pub fn sort_graph_quads(quads: Vec<Quad>) -> Vec<Quad> {
    sort_by_spo(quads, |q| {
        [
            TermKey::subject(q.subject.as_ref()),
            TermKey::iri(q.predicate.as_str()),
            TermKey::term(q.object.as_ref()),
        ]
    })
}

/// Sorts triples by subject, predicate and object; removes duplicates.
pub fn sort_triples(triples: Vec<Triple>) -> Vec<Triple> {
    sort_by_spo(triples, |t| {
        [
            TermKey::subject(t.subject.as_ref()),
            TermKey::iri(t.predicate.as_str()),
            TermKey::term(t.object.as_ref()),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode, Term};

    #[test]
    fn terms_compare_as_their_strings() {
        let terms: Vec<Term> = vec![
            NamedNode::new_unchecked("https://x.org/a").into(),
            NamedNode::new_unchecked("https://x.org/a-2").into(),
            NamedNode::new_unchecked("https://x.org/a#char=0,5").into(),
            NamedNode::new_unchecked("https://x.org/a/evidence/1").into(),
            NamedNode::new_unchecked("https://x.org/ab").into(),
            BlankNode::new_unchecked("b1").into(),
            Literal::new_simple_literal("Ab").into(),
            Literal::new_simple_literal("A").into(),
            Literal::new_simple_literal("A\"b").into(),
            Literal::new_simple_literal("A\nb").into(),
            Literal::new_simple_literal("A\\b").into(),
            Literal::new_simple_literal("A\u{1}b").into(),
            Literal::new_simple_literal("A\u{fffe}").into(),
            Literal::new_simple_literal("Aé").into(),
            Literal::new_simple_literal("").into(),
            Literal::new_language_tagged_literal_unchecked("A", "en").into(),
            Literal::new_typed_literal("12", oxigraph::model::vocab::xsd::INTEGER).into(),
            Literal::new_typed_literal("1", oxigraph::model::vocab::xsd::INTEGER).into(),
        ];
        for a in &terms {
            for b in &terms {
                let (ka, kb) = (TermKey::term(a.as_ref()), TermKey::term(b.as_ref()));
                assert_eq!(
                    cmp_parts(&ka.parts(), &kb.parts()),
                    a.to_string().cmp(&b.to_string()),
                    "{a} vs {b}"
                );
            }
        }
    }
}
