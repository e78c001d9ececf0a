//! Sorting by text keys for deterministic output: the first 32 bytes of every key are read
//! once, in index order, and held beside the index; the keys are then split by the first
//! byte where they differ into parts (a counting sort, in passes over memory in order)
//! until the parts are small enough to sort in the caches, and only the keys that tie on
//! all 32 bytes are read again, for the next 32 (an MSD radix sort by bytes), so that a
//! sort of many keys with a common start (`person/`, one first name) reads each string
//! about once and costs about the same per key at any number of keys.

use super::names::id32;

/// A key's bytes `d..d + 32` (big-endian, zero-padded), how many of them it has (at most
/// 32) and its index. Two keys that agree before `d` are ordered by `(hi, lo, len)` when
/// it differs (zero padding puts the shorter of a string and its extension first); when it
/// is equal and `len` is 32, by the bytes after `d + 32`; when it is equal and below 32,
/// they are equal.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Window {
    hi: u128,
    lo: u128,
    len: u8,
    index: u32,
    /// Whether it holds the whole key (read from its start, 32 bytes or fewer).
    whole: bool,
}

impl Window {
    fn of(s: &str, d: usize, index: u32) -> Self {
        let rest = s.as_bytes().get(d..).unwrap_or(&[]);
        let n = rest.len().min(32);
        let mut b = [0u8; 32];
        b[..n].copy_from_slice(&rest[..n]);
        let (hi, lo) = b.split_at(16);
        let word = |x: &[u8]| u128::from_be_bytes(x.try_into().unwrap_or([0; 16]));
        Self {
            hi: word(hi),
            lo: word(lo),
            len: n as u8,
            index,
            whole: d == 0 && rest.len() <= 32,
        }
    }

    /// The whole key, when the window holds it, written into `buf`.
    fn text<'b>(&self, buf: &'b mut [u8; 32]) -> Option<&'b str> {
        if !self.whole {
            return None;
        }
        buf[..16].copy_from_slice(&self.hi.to_be_bytes());
        buf[16..].copy_from_slice(&self.lo.to_be_bytes());
        std::str::from_utf8(&buf[..self.len as usize]).ok()
    }

    /// Byte `q` (0 to 31) of the window.
    fn byte(&self, q: u32) -> usize {
        let (w, q) = if q < 16 {
            (self.hi, q)
        } else {
            (self.lo, q - 16)
        };
        ((w >> (8 * (15 - q))) & 0xff) as usize
    }

    fn same_bytes(&self, o: &Self) -> bool {
        (self.hi, self.lo, self.len) == (o.hi, o.lo, o.len)
    }
}

/// Parts at most this long are sorted by comparison.
const SMALL: usize = 48;

/// Sorts `v` (all of it agreeing before the window) by window, then index: split by the
/// first byte of the window where its keys differ, part by part, through `tmp` (as long as
/// `v`).
fn sort_windows(v: &mut [Window], tmp: &mut [Window]) {
    let mut todo: Vec<(usize, usize)> = vec![(0, v.len())];
    while let Some((start, end)) = todo.pop() {
        let part = &mut v[start..end];
        if part.len() <= SMALL {
            part.sort_unstable();
            continue;
        }
        // The first byte where the windows differ: all agree before it.
        let first = part[0];
        let (hi, lo) = part.iter().fold((0, 0), |(h, l), w| {
            (h | (w.hi ^ first.hi), l | (w.lo ^ first.lo))
        });
        let q = if hi != 0 {
            hi.leading_zeros() / 8
        } else if lo != 0 {
            16 + lo.leading_zeros() / 8
        } else {
            // The same 32 bytes: by length, then index.
            part.sort_unstable_by_key(|w| (w.len, w.index));
            continue;
        };
        let mut starts = [0usize; 257];
        for w in part.iter() {
            starts[w.byte(q) + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let out = &mut tmp[start..end];
        let mut next = starts;
        for w in part.iter() {
            let at = &mut next[w.byte(q)];
            out[*at] = *w;
            *at += 1;
        }
        part.copy_from_slice(out);
        for b in 0..256 {
            if starts[b + 1] - starts[b] > 1 {
                todo.push((start + starts[b], start + starts[b + 1]));
            }
        }
    }
}

/// Calls `f(i, whole)` for the indexes `0..n` sorted by `key(i)` (equal keys in index
/// order), `whole` being `key(i)` itself when the sort holds all of it (a key of fewer
/// than 32 bytes, and most of 32): read once for the sort, in index order, so that the
/// caller need not read the keys again in sorted order (all over memory).
pub(super) fn in_text_order<'s>(
    n: usize,
    key: impl Fn(usize) -> &'s str,
    mut f: impl FnMut(u32, Option<&str>),
) {
    let mut buf = [0u8; 32];
    for w in sorted_windows(n, key) {
        f(w.index, w.text(&mut buf));
    }
}

/// The windows of the keys `key(0..n)`, sorted (see `in_text_order`).
fn sorted_windows<'s>(n: usize, key: impl Fn(usize) -> &'s str) -> Vec<Window> {
    let mut v: Vec<Window> = (0..n).map(|i| Window::of(key(i), 0, id32(i))).collect();
    let mut tmp = vec![Window::default(); n];
    // Ranges of `v` that agree on their first `d` bytes and are to be sorted by the next
    // 32 (their windows already read).
    let mut todo: Vec<(usize, usize, usize)> = vec![(0, v.len(), 0)];
    while let Some((start, end, d)) = todo.pop() {
        sort_windows(&mut v[start..end], &mut tmp[start..end]);
        let part = &mut v[start..end];
        let mut at = 0;
        for run in part.chunk_by_mut(|a, b| a.same_bytes(b)) {
            if run.len() > 1 && run[0].len == 32 {
                for w in run.iter_mut() {
                    *w = Window::of(key(w.index as usize), d + 32, w.index);
                }
                todo.push((start + at, start + at + run.len(), d + 32));
            }
            at += run.len();
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (the same keys on every run).
    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        }
    }

    /// Checks that `order_by_text` orders `keys` as the strings compare.
    fn assert_ordered_like_strings(keys: &[String]) {
        let got = order_by_text(keys.len(), |i| keys[i].as_str());
        let mut want: Vec<u32> = (0..keys.len() as u32).collect();
        want.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        assert_eq!(got, want);
    }

    /// The indexes `0..n` sorted by `key(i)`.
    fn order_by_text<'s>(n: usize, key: impl Fn(usize) -> &'s str) -> Vec<u32> {
        let mut order = Vec::with_capacity(n);
        in_text_order(n, key, |i, _| order.push(i));
        order
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
        assert!(order_by_text(0, |_| "").is_empty());
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
        let mut next = lcg(7);
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
        assert_ordered_like_strings(&keys);
    }

    #[test]
    fn orders_many_keys_longer_than_two_windows_like_the_strings() {
        // Keys of 0 to 80 bytes over a small alphabet (NUL among it) with a long common
        // start: parts split by many bytes, windows tie over 32 and 64 bytes.
        let mut next = lcg(11);
        let start = "organization/the-inter-services-intelligence-";
        let keys: Vec<String> = (0..5000)
            .map(|_| {
                let mut k = start[..next() as usize % (start.len() + 1)].to_string();
                for _ in 0..next() % 36 {
                    k.push(['a', 'b', '\0', '-'][next() as usize % 4]);
                }
                k
            })
            .collect();
        assert_ordered_like_strings(&keys);
    }

    #[test]
    fn gives_short_keys_back_in_order() {
        let keys = [
            "person:b",
            "",
            "person:a\u{e9}",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef!",
        ];
        let mut got: Vec<(u32, Option<String>)> = Vec::new();
        in_text_order(
            keys.len(),
            |i| keys[i],
            |i, w| got.push((i, w.map(String::from))),
        );
        let order: Vec<u32> = got.iter().map(|g| g.0).collect();
        assert_eq!(order, [1, 3, 4, 2, 0]);
        for (i, whole) in got {
            let key = keys[i as usize];
            // A key of 32 bytes that another one extends is read again past them.
            match whole {
                Some(w) => assert_eq!(w, key),
                None => assert!(key.len() >= 32, "{key}"),
            }
        }
    }
}
