//! The output order of quads, without building strings: terms compare exactly as their
//! N-Triples forms (`to_string()`) do, which is the order [`super::sort_quads`] defines, but
//! from slices of the terms themselves (`<` + IRI + `>`, `"` + value + `"^^<` + datatype +
//! `>`…). Only a literal whose value needs escaping gets its string built.

use super::stmts::{spo, Stmt, Stmts};
use foldhash::HashMap;
use oxigraph::model::{LiteralRef, NamedOrBlankNodeRef, TermRef};
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

/// The rank of each of `iris` among them in N-Triples order (`<` + IRI + `>`): equal IRIs
/// get equal ranks.
fn iri_ranks(iris: &[&str]) -> Vec<u32> {
    fn key(s: &str) -> [&[u8]; 2] {
        [s.as_bytes(), b">"]
    }
    let mut order: Vec<u32> = (0..iris.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| cmp_parts(&key(iris[a as usize]), &key(iris[b as usize])));
    let mut rank = vec![0u32; iris.len()];
    let mut r = 0;
    for (k, w) in order.iter().enumerate() {
        if k > 0 && iris[order[k - 1] as usize] != iris[*w as usize] {
            r += 1;
        }
        rank[*w as usize] = r;
    }
    rank
}

/// The indexes of `ranks` (subject and predicate ranks, below `subjects` and `predicates`)
/// sorted by ranks then index, each with its ranks as one integer. Sorted as one packed
/// integer each when ranks and index fit in 64 bits (all but graphs of billions of
/// statements), else as pairs.
fn by_subject_and_predicate(
    ranks: &[(u32, u32)],
    subjects: usize,
    predicates: usize,
) -> Vec<(u64, u32)> {
    let bits = |n: usize| usize::BITS - n.leading_zeros();
    let (pred_bits, index_bits) = (bits(predicates), bits(ranks.len()));
    let sp = |(s, p): (u32, u32)| (u64::from(s), u64::from(p));
    if bits(subjects) + pred_bits + index_bits <= 64 && index_bits < 64 {
        let mut keys: Vec<u64> = ranks
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let (s, p) = sp(r);
                (((s << pred_bits) | p) << index_bits) | i as u64
            })
            .collect();
        keys.sort_unstable();
        let mask = (1u64 << index_bits) - 1;
        keys.iter()
            .map(|k| {
                let (s, p) = sp(ranks[(k & mask) as usize]);
                ((s << 32) | p, (k & mask) as u32)
            })
            .collect()
    } else {
        let mut idx: Vec<(u64, u32)> = ranks
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let (s, p) = sp(r);
                ((s << 32) | p, i as u32)
            })
            .collect();
        idx.sort_unstable();
        idx
    }
}

/// Sorts statements (of one graph) by subject, predicate and object; removes duplicates.
pub fn sort_stmts(mut st: Stmts) -> Stmts {
    let order = {
        let st = &st;
        // Subjects are nodes (ranked once each); predicates are few (ranked once each);
        // objects are compared in full only between statements of one subject and predicate.
        let nodes: Vec<&str> = st.nodes.iter().map(|n| n.as_str()).collect();
        let subject_rank = iri_ranks(&nodes);
        // Predicates are vocabulary terms: found by address (a term spelled in two places
        // is found by content).
        let mut predicates: Vec<&str> = Vec::new();
        let mut by_address: HashMap<(usize, usize), u32> = HashMap::default();
        let seq: Vec<&Stmt> = (0..st.len()).filter_map(|k| st.at(k)).collect();
        let pred_ids: Vec<u32> = seq
            .iter()
            .map(|x| {
                let p = x.p.as_str();
                *by_address
                    .entry((p.as_ptr() as usize, p.len()))
                    .or_insert_with(|| match predicates.iter().position(|q| *q == p) {
                        Some(k) => k as u32,
                        None => {
                            predicates.push(p);
                            (predicates.len() - 1) as u32
                        }
                    })
            })
            .collect();
        let predicate_rank = iri_ranks(&predicates);
        // Sorted by (subject, predicate), then index; statements of one subject and
        // predicate then by object, compared in full (few: types, mentions, names).
        let ranks: Vec<(u32, u32)> = seq
            .iter()
            .zip(&pred_ids)
            .map(|(x, &p)| (subject_rank[x.s as usize], predicate_rank[p as usize]))
            .collect();
        let mut idx = by_subject_and_predicate(&ranks, nodes.len(), predicates.len());
        let object = |k: u32| TermKey::term(spo(st, seq[k as usize]).2);
        let by_object =
            |a: &(u64, u32), b: &(u64, u32)| cmp_parts(&object(a.1).parts(), &object(b.1).parts());
        let mut from = 0;
        while from < idx.len() {
            let sp = idx[from].0;
            let to = from + idx[from..].iter().take_while(|x| x.0 == sp).count();
            if to - from > 1 {
                let run = &mut idx[from..to];
                run.sort_unstable_by(by_object);
            }
            from = to;
        }
        idx.dedup_by(|a, b| a.0 == b.0 && by_object(a, b) == Ordering::Equal);
        idx.into_iter().map(|(_, i)| i).collect::<Vec<u32>>()
    };
    st.reorder(&order);
    st
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode, Term};

    #[test]
    fn packed_and_paired_keys_sort_alike() {
        let ranks: Vec<(u32, u32)> = (0..500u32)
            .map(|i| ((i * 7919) % 37, (i * 104_729) % 5))
            .collect();
        let packed = by_subject_and_predicate(&ranks, 37, 5);
        // Too many subjects to pack: sorted as pairs.
        let paired = by_subject_and_predicate(&ranks, usize::MAX, 5);
        assert_eq!(packed, paired);
        assert!(packed.is_sorted());
        assert_eq!(packed.len(), ranks.len());
    }

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
