//! Sorting by text keys for deterministic output: each key's first 16 bytes, compared as
//! one integer held beside the index, order most pairs without reading the strings (whose
//! common prefixes, `person/`, would otherwise cost a cache miss and a `memcmp` each).

use super::names::id32;

/// The first 16 bytes of `s`, big-endian, zero-padded: comparing two of them orders the
/// strings whenever they differ; when they are equal the strings must be compared.
fn prefix(s: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = s.len().min(16);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// The indexes `0..n` sorted by `key(i)`, equal keys in index order.
pub(super) fn order_by_text<'s>(n: usize, key: impl Fn(usize) -> &'s str) -> Vec<u32> {
    let mut v: Vec<(u128, u32)> = (0..n).map(|i| (prefix(key(i)), id32(i))).collect();
    v.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| key(a.1 as usize).cmp(key(b.1 as usize)))
            .then(a.1.cmp(&b.1))
    });
    v.into_iter().map(|(_, i)| i).collect()
}

/// Reorders `v` so that `v[k]` is the former `v[order[k]]` (`order` is a permutation of
/// the indexes), in place: each element moves once, and no second vector is allocated.
pub(super) fn permute<T>(v: &mut [T], order: &[u32]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let from = order[k] as usize;
            if from == start {
                break;
            }
            v.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutes_in_place() {
        let order = [3u32, 0, 4, 1, 2, 6, 5, 7];
        let mut v: Vec<char> = "abcdefgh".chars().collect();
        permute(&mut v, &order);
        let want: Vec<char> = order
            .iter()
            .map(|&i| "abcdefgh".as_bytes()[i as usize] as char)
            .collect();
        assert_eq!(v, want);
    }

    #[test]
    fn orders_like_the_strings() {
        let keys = [
            "person:mohammed bin salman",
            "person:mohammed bin salman al saud",
            "person:mohammed",
            "",
            "person:mohammed bin salman",
            "org:isi",
            "person:mohammed\0",
            "z",
            "person:mohammed bin zayed",
        ];
        let got: Vec<u32> = order_by_text(keys.len(), |i| keys[i]);
        let mut want: Vec<u32> = (0..keys.len() as u32).collect();
        want.sort_by(|&a, &b| keys[a as usize].cmp(keys[b as usize]));
        assert_eq!(got, want);
    }
}
