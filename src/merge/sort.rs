//! Sorting by text keys for deterministic output: keys are compared sixteen bytes at a
//! time as integers held beside the index, and only the keys that tie on their first
//! sixteen bytes are read again, for the next sixteen (an MSD sort by 16-byte digits), so
//! that a sort of many keys with a common start (`person/`, one first name) reads each
//! string about once instead of once per comparison.

use super::names::id32;

/// Bytes `d..d + 16` of `s`, big-endian, zero-padded, and how many of them `s` has (at
/// most 16). Two strings that agree before `d` are ordered by this pair when it differs
/// (zero padding puts the shorter of a string and its extension first); when it is equal
/// and the count is 16, by the bytes after `d + 16`; when it is equal and below 16, they
/// are equal.
fn digit(s: &str, d: usize) -> (u128, u8) {
    let rest = s.as_bytes().get(d..).unwrap_or(&[]);
    let n = rest.len().min(16);
    let mut b = [0u8; 16];
    b[..n].copy_from_slice(&rest[..n]);
    (u128::from_be_bytes(b), n as u8)
}

/// The indexes `0..n` sorted by `key(i)`, equal keys in index order.
pub(super) fn order_by_text<'s>(n: usize, key: impl Fn(usize) -> &'s str) -> Vec<u32> {
    let mut v: Vec<(u128, u8, u32)> = (0..n)
        .map(|i| {
            let (x, len) = digit(key(i), 0);
            (x, len, id32(i))
        })
        .collect();
    // Ranges of `v` that agree on their first `d` bytes and are to be sorted by the next
    // sixteen (their digits already computed).
    let mut todo: Vec<(usize, usize, usize)> = vec![(0, v.len(), 0)];
    while let Some((start, end, d)) = todo.pop() {
        let part = &mut v[start..end];
        part.sort_unstable();
        let mut at = 0;
        for run in part.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
            if run.len() > 1 && run[0].1 == 16 {
                for e in run.iter_mut() {
                    let (x, len) = digit(key(e.2 as usize), d + 16);
                    (e.0, e.1) = (x, len);
                }
                todo.push((start + at, start + at + run.len(), d + 16));
            }
            at += run.len();
        }
    }
    v.into_iter().map(|(_, _, i)| i).collect()
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
            "person:mohammed bin salman al saud\0",
            "person:mohammed bin salman al sau",
            "person:mohammed bin salman al saud",
            "person:mohammed bin salman al sa\u{e9}d",
            "0123456789abcdef",
            "0123456789abcdef\0",
            "0123456789abcde",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef",
        ];
        let got: Vec<u32> = order_by_text(keys.len(), |i| keys[i]);
        let mut want: Vec<u32> = (0..keys.len() as u32).collect();
        want.sort_by(|&a, &b| keys[a as usize].cmp(keys[b as usize]));
        assert_eq!(got, want);
    }

    #[test]
    fn orders_long_keys_with_long_common_starts_like_the_strings() {
        // Keys cut from three long ones at any length, with up to three more bytes (NUL
        // among them): many share their first 16 or 32 bytes, and many are equal.
        let long = [
            "person:mohammed bin salman al saud",
            "person:mohammed bin zayed al nahyan",
            "person:mohammed\0bin salman al saud",
        ];
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        let keys: Vec<String> = (0..3000)
            .map(|_| {
                let base = long[next() as usize % 3];
                let mut k = base[..next() as usize % (base.len() + 1)].to_string();
                for _ in 0..next() % 4 {
                    k.push(['a', 's', '\0'][next() as usize % 3]);
                }
                k
            })
            .collect();
        let got = order_by_text(keys.len(), |i| keys[i].as_str());
        let mut want: Vec<u32> = (0..keys.len() as u32).collect();
        want.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        assert_eq!(got, want);
    }
}
