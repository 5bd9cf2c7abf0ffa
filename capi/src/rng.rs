//! The caller's random bytes, replayed to the core crate's `_with_rng`
//! functions, so that the same bytes give the same keys as in libolm.

use std::convert::Infallible;

/// A generator that hands out the caller's random buffer in order.
///
/// Every caller checks the buffer's length against libolm's amount first, and
/// the core crate draws exactly libolm's amounts (the known-answer vectors,
/// run through this API, check it), so it is never over-drawn; if it were,
/// it would hand out zeros.
pub struct Replay<'a> {
    bytes: &'a [u8],
    position: usize,
    #[cfg_attr(not(test), allow(dead_code))]
    overdrawn: bool,
}

impl<'a> Replay<'a> {
    /// A generator replaying `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            position: 0,
            overdrawn: false,
        }
    }

    /// Whether more bytes were asked for than given.
    #[cfg(test)]
    pub fn overdrawn(&self) -> bool {
        self.overdrawn
    }
}

impl rand::TryRng for Replay<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.position.saturating_add(dst.len());
        match self.bytes.get(self.position..end) {
            Some(src) => {
                dst.copy_from_slice(src);
                self.position = end;
            }
            None => {
                self.overdrawn = true;
                dst.fill(0);
            }
        }
        Ok(())
    }
}

impl rand::TryCryptoRng for Replay<'_> {}

#[cfg(test)]
mod tests {
    use rand::TryRng;

    use super::*;

    #[test]
    fn replays_in_order() {
        let mut rng = Replay::new(&[1, 2, 3, 4, 5]);
        let mut a = [0; 2];
        rng.try_fill_bytes(&mut a).unwrap();
        assert_eq!(a, [1, 2]);
        let mut b = [0; 3];
        rng.try_fill_bytes(&mut b).unwrap();
        assert_eq!(b, [3, 4, 5]);
        assert!(!rng.overdrawn());
        rng.try_fill_bytes(&mut b).unwrap();
        assert!(rng.overdrawn());
        assert_eq!(b, [0; 3]);
    }
}
