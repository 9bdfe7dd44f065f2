//! Identifier generation: trace ids, request ids (UUID-shaped) and opaque tokens.
//!
//! Values are unique within the process (a counter mixed with a per-process random seed);
//! they carry no security meaning.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(1);

fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| RandomState::new().build_hasher().finish())
}

/// A fresh pseudo-random 64-bit value.
pub(crate) fn next_u64() -> u64 {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    mix(seed() ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// SplitMix64 finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 16-hex-digit trace id, as QIWI edge errors carry (`dfe5e6296491abfb`).
pub(crate) fn trace_id() -> String {
    format!("{:016x}", next_u64())
}

/// A version-4-shaped UUID (`293f2ab1-77a7-42d7-8b3f-de4db3fe9d7d`).
pub(crate) fn uuid() -> String {
    let a = next_u64();
    let b = next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        8 + (b >> 62),
        (b >> 48) & 0x0fff,
        b & 0xffff_ffff_ffff
    )
}

/// An opaque access token of 48 hex digits.
pub(crate) fn token() -> String {
    format!("{:016x}{:016x}{:016x}", next_u64(), next_u64(), next_u64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_canonical_shape() {
        let u = uuid();
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert_ne!(uuid(), uuid());
        assert_eq!(trace_id().len(), 16);
        assert_eq!(token().len(), 48);
    }
}
