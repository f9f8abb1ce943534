//! Deterministic pseudo-random numbers for tests that generate their own data (the same
//! numbers on every run and machine, so a failure can be replayed).

/// A xorshift64 generator from `seed` (not zero): each call gives the next number.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
