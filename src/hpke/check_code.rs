//! The two-byte check code both QR-login channels derive, and how it is
//! shown to users.

use core::fmt;

use subtle::ConstantTimeEq;

/// Two bytes that both ends of an established channel derive from their
/// shared secret and the two public keys.
///
/// The device that scanned the QR code shows it (usually as two digits, see
/// [`CheckCode::to_digit`]) and the user types or confirms it on the other
/// device. If a man in the middle replaced the unauthenticated public key
/// sent over the rendezvous channel, the two codes differ (with probability
/// 99/100 for the two-digit form), and the login must be abandoned.
///
/// Equality is checked in constant time.
#[derive(Clone, Copy)]
pub struct CheckCode {
    pub(crate) bytes: [u8; 2],
}

/// How [`CheckCode::to_digit`] turns the check code into a two-digit number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitMode {
    /// `00` to `99`: the first digit may be zero, as in the first version of
    /// MSC4108.
    AllowLeadingZero,
    /// `10` to `99`: the first digit is never zero, as MSC4388 defines it, so
    /// the code is always shown as two digits.
    NoLeadingZero,
}

impl CheckCode {
    /// The check code's two bytes.
    pub const fn as_bytes(&self) -> &[u8; 2] {
        &self.bytes
    }

    /// The check code as a number from 0 to 99: the first byte gives the
    /// tens digit and the second byte the units digit (each byte modulo 10,
    /// or, for the tens with [`DigitMode::NoLeadingZero`], modulo 9 plus 1).
    ///
    /// Show it with two digits (`{:02}`) so that `7` reads as `07`.
    pub const fn to_digit(&self, mode: DigitMode) -> u8 {
        let [first, second] = self.bytes;
        let tens = match mode {
            DigitMode::AllowLeadingZero => first % 10,
            DigitMode::NoLeadingZero => first % 9 + 1,
        };
        tens * 10 + second % 10
    }
}

impl PartialEq for CheckCode {
    fn eq(&self, other: &Self) -> bool {
        self.bytes.ct_eq(&other.bytes).into()
    }
}

impl Eq for CheckCode {}

impl fmt::Debug for CheckCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The check code is shown to users; it is not a secret.
        f.debug_tuple("CheckCode").field(&self.bytes).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_in_both_modes() {
        let cases = [
            ([0, 0], 0, 10),
            ([9, 9], 99, 19),
            ([8, 9], 89, 99),
            ([0xff, 0xff], 55, 45),
            ([17, 3], 73, 93),
        ];
        for (bytes, leading_zero, no_leading_zero) in cases {
            let code = CheckCode { bytes };
            assert_eq!(code.to_digit(DigitMode::AllowLeadingZero), leading_zero, "{bytes:?}");
            assert_eq!(code.to_digit(DigitMode::NoLeadingZero), no_leading_zero, "{bytes:?}");
        }
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let code = CheckCode { bytes: [a, b] };
                assert!(code.to_digit(DigitMode::AllowLeadingZero) <= 99);
                assert!((10..=99).contains(&code.to_digit(DigitMode::NoLeadingZero)));
            }
        }
    }

    #[test]
    fn equality() {
        assert_eq!(CheckCode { bytes: [1, 2] }, CheckCode { bytes: [1, 2] });
        assert_ne!(CheckCode { bytes: [1, 2] }, CheckCode { bytes: [1, 3] });
        assert_eq!(alloc::format!("{:?}", CheckCode { bytes: [1, 2] }), "CheckCode([1, 2])");
    }
}
