//! Unit-test helpers: deterministic randomness (replays of the fixed streams
//! that libolm's test values were made with) and the start of a session.

use alloc::vec::Vec;
use core::convert::Infallible;

/// Hands out fixed bytes in order, then zeros, and counts what was drawn.
pub(crate) struct Replay {
    bytes: Vec<u8>,
    pub(crate) drawn: usize,
}

impl Replay {
    pub(crate) fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            drawn: 0,
        }
    }

    /// `count` blocks of 32 equal bytes counting up from `first`: the
    /// `A1×32 ‖ A2×32` notation of the libolm values the tests pin (made with test-vectors/generator).
    pub(crate) fn blocks(first: u8, count: u8) -> Self {
        Self::new(
            (0..count)
                .flat_map(|i| [first.wrapping_add(i); 32])
                .collect::<Vec<u8>>(),
        )
    }
}

impl rand::TryRng for Replay {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst {
            *b = self.bytes.get(self.drawn).copied().unwrap_or(0);
            self.drawn += 1;
        }
        Ok(())
    }
}

impl rand::TryCryptoRng for Replay {}

#[cfg(any(feature = "libolm-compat", feature = "vodozemac-compat"))]
/// Alice's outbound session to a new account of Bob's, before she sends,
/// and Bob's account: the start of most session tests.
pub(crate) fn outbound_session<R: rand::CryptoRng + ?Sized>(
    rng: &mut R,
) -> (crate::olm::Account, crate::olm::Session, crate::olm::Account) {
    use crate::olm::{Account, SessionConfig};
    let alice = Account::new_with_rng(rng);
    let mut bob = Account::new_with_rng(rng);
    let otk = bob.generate_one_time_keys_with_rng(1, rng).created[0];
    let session = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, rng)
        .unwrap();
    (alice, session, bob)
}
