//! A simple byte mutator: each input is a seed with a few stacked mutations (bit flips, byte
//! changes, inserts and deletes, splices of other seeds, interesting values such as huge
//! numbers, and deep nesting).

use fastrand::Rng;

/// Largest input the mutator produces.
pub const MAX_INPUT: usize = 64 * 1024;

/// Values that break naive decoders: huge and tiny numbers, integer and `Decimal` limits,
/// odd dates, escapes, entities, structure openers.
const INTERESTING: &[&[u8]] = &[
    b"0",
    b"-0",
    b"-1",
    b"1e309",
    b"-1e309",
    b"1e-400",
    b"1E+2147483648",
    b"0.0000000000000000000000000001",
    b"0.00000000000000000000000000001",
    b"79228162514264337593543950335",
    b"79228162514264337593543950336",
    b"-79228162514264337593543950336",
    b"18446744073709551615",
    b"18446744073709551616",
    b"9223372036854775808",
    b"-9223372036854775809",
    b"4294967296",
    b"340282366920938463463374607431768211456",
    b"123456789012345678901234567890.123456789",
    b"NaN",
    b"Infinity",
    b"null",
    b"true",
    b"\"\"",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"0000-00-00 00:00:00\"",
    b"\"9999-12-31T23:59:59+14:00\"",
    b"\"2024-02-30\"",
    b"\"-0001-01-01\"",
    b"{}",
    b"[]",
    b"<!DOCTYPE x [<!ENTITY e \"boom\">]>",
    b"&e;",
    b"&#x110000;",
    b"&#0;",
    b"&amp;",
    b"<![CDATA[x]]>",
    b"<?xml version=\"1.0\"?>",
    b"result-\xd1\x81ode",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3\x28",
];

/// Bytes that matter to JSON and XML syntax.
const SYNTAX: &[u8] = b"{}[]<>/=\"':,.-+eE0123456789 \n\t&;#!?";

/// How deep the nesting mutation goes.
const DEEP: usize = 4096;

/// Makes inputs from seeds.
#[derive(Debug)]
pub struct Mutator {
    rng: Rng,
    seeds: Vec<Vec<u8>>,
}

impl Mutator {
    /// A mutator over `seeds` (an empty list is read as one empty seed), reproducible from
    /// `seed`.
    pub fn new(seeds: Vec<Vec<u8>>, seed: u64) -> Self {
        let seeds = if seeds.is_empty() {
            vec![Vec::new()]
        } else {
            seeds
        };
        Self {
            rng: Rng::with_seed(seed),
            seeds,
        }
    }

    /// The next input: a seed, then one to eight mutations.
    pub fn next_input(&mut self, out: &mut Vec<u8>) {
        out.clear();
        let seed = &self.seeds[self.rng.usize(..self.seeds.len())];
        out.extend_from_slice(seed);
        for _ in 0..self.rng.usize(1..=8) {
            self.mutate(out);
        }
        out.truncate(MAX_INPUT);
    }

    fn mutate(&mut self, data: &mut Vec<u8>) {
        let rng = &mut self.rng;
        match rng.u8(..10) {
            0 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] ^= 1 << rng.u8(..8);
            }
            1 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] = if rng.bool() {
                    rng.u8(..)
                } else {
                    SYNTAX[rng.usize(..SYNTAX.len())]
                };
            }
            2 => {
                let at = rng.usize(..=data.len());
                let n = rng.usize(1..=8);
                let bytes: Vec<u8> = (0..n).map(|_| SYNTAX[rng.usize(..SYNTAX.len())]).collect();
                data.splice(at..at, bytes);
            }
            3 if !data.is_empty() => {
                let (start, end) = range(rng, data.len());
                data.drain(start..end);
            }
            4 if !data.is_empty() => {
                let (start, end) = range(rng, data.len());
                let copy = data[start..end].to_vec();
                let at = rng.usize(..=data.len());
                data.splice(at..at, copy);
            }
            5 => {
                let other = &self.seeds[rng.usize(..self.seeds.len())];
                if !other.is_empty() {
                    let (start, end) = range(rng, other.len());
                    let at = rng.usize(..=data.len());
                    let cut = (at + rng.usize(..=data.len() - at)).min(data.len());
                    data.splice(at..cut, other[start..end].iter().copied());
                }
            }
            6 | 7 => {
                let value = INTERESTING[rng.usize(..INTERESTING.len())];
                match number_at(data, rng) {
                    Some((start, end)) => {
                        data.splice(start..end, value.iter().copied());
                    }
                    None => {
                        let at = rng.usize(..=data.len());
                        data.splice(at..at, value.iter().copied());
                    }
                }
            }
            8 => nest(rng, data),
            _ => {
                // Repeat a range many times: long strings, long arrays.
                if !data.is_empty() {
                    let (start, end) = range(rng, data.len().min(64));
                    let copy = data[start..end].to_vec();
                    let at = rng.usize(..=data.len());
                    let times = rng.usize(1..=256);
                    data.splice(
                        at..at,
                        copy.iter().copied().cycle().take(copy.len() * times),
                    );
                }
            }
        }
    }
}

/// A random non-empty range of `0..len` (`len` > 0).
fn range(rng: &mut Rng, len: usize) -> (usize, usize) {
    let start = rng.usize(..len);
    let end = start + rng.usize(1..=(len - start).min(64));
    (start, end)
}

/// A run of number-like bytes around a random position, if there is one.
fn number_at(data: &[u8], rng: &mut Rng) -> Option<(usize, usize)> {
    if data.is_empty() {
        return None;
    }
    let is_num = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+');
    let from = rng.usize(..data.len());
    let start = data[from..].iter().position(|b| b.is_ascii_digit())? + from;
    let mut begin = start;
    while begin > 0 && is_num(data[begin - 1]) {
        begin -= 1;
    }
    let end = data[start..]
        .iter()
        .position(|b| !is_num(*b))
        .map_or(data.len(), |n| start + n);
    Some((begin, end))
}

/// Wraps a range (or inserts at a point) in deep nesting of arrays, objects or elements.
fn nest(rng: &mut Rng, data: &mut Vec<u8>) {
    let depth = if rng.bool() { rng.usize(1..=64) } else { DEEP };
    let (open, close): (&[u8], &[u8]) = match rng.u8(..3) {
        0 => (b"[", b"]"),
        1 => (b"{\"a\":", b"}"),
        _ => (b"<a>", b"</a>"),
    };
    let at = rng.usize(..=data.len());
    let end = (at + rng.usize(..=data.len() - at)).min(data.len());
    let closing: Vec<u8> = close.repeat(depth);
    data.splice(end..end, closing);
    data.splice(at..at, open.repeat(depth));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_vary_stay_bounded_and_repeat_from_the_same_seed() {
        let seeds = vec![br#"{"amount": 12.5, "currency": "643"}"#.to_vec()];
        let mut a = Mutator::new(seeds.clone(), 7);
        let mut b = Mutator::new(seeds.clone(), 7);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..2000 {
            a.next_input(&mut x);
            b.next_input(&mut y);
            assert_eq!(x, y);
            assert!(x.len() <= MAX_INPUT);
            distinct.insert(x.clone());
        }
        assert!(distinct.len() > 1900, "{} distinct inputs", distinct.len());
        assert!(distinct.iter().any(|d| d.windows(2).any(|w| w == b"[[")));
        assert!(
            distinct
                .iter()
                .any(|d| d.windows(20).any(|w| w == b"79228162514264337593"))
        );
    }

    #[test]
    fn an_empty_seed_list_still_makes_inputs() {
        let mut m = Mutator::new(Vec::new(), 1);
        let mut out = Vec::new();
        for _ in 0..100 {
            m.next_input(&mut out);
            assert!(out.len() <= MAX_INPUT);
        }
    }
}
