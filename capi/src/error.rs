//! libolm's error codes (`enum OlmErrorCode`, olm/error.h) and their names.

use std::ffi::{CStr, c_char};

/// The error codes of libolm 3.2, with the same values.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OlmErrorCode {
    /// No error.
    Success = 0,
    /// Too few random bytes, or an object that was never set up.
    NotEnoughRandom = 1,
    /// An output buffer is too short.
    OutputBufferTooSmall = 2,
    /// A message of an unknown version.
    BadMessageVersion = 3,
    /// A message that cannot be parsed.
    BadMessageFormat = 4,
    /// A message that does not decrypt.
    BadMessageMac = 5,
    /// A message for a key the account does not hold.
    BadMessageKeyId = 6,
    /// Malformed base64, or a key refused by design.
    InvalidBase64 = 7,
    /// The pickle key is wrong or the pickle was altered.
    BadAccountKey = 8,
    /// A pickle of an unknown version.
    UnknownPickleVersion = 9,
    /// A pickle whose contents are invalid.
    CorruptedPickle = 10,
    /// A malformed Megolm session key.
    BadSessionKey = 11,
    /// A Megolm message older than the session's first known index.
    UnknownMessageIndex = 12,
    /// An account pickle of version 1, whose Ed25519 key is unsafe.
    BadLegacyAccountPickle = 13,
    /// An Ed25519 signature that does not verify.
    BadSignature = 14,
    /// An input buffer is too short.
    InputBufferTooSmall = 15,
    /// SAS output asked for before the other side's key was set.
    SasTheirKeyNotSet = 16,
    /// A pickle with bytes after its end.
    PickleExtraData = 17,
}

/// Every code, in value order.
const CODES: [OlmErrorCode; 18] = [
    OlmErrorCode::Success,
    OlmErrorCode::NotEnoughRandom,
    OlmErrorCode::OutputBufferTooSmall,
    OlmErrorCode::BadMessageVersion,
    OlmErrorCode::BadMessageFormat,
    OlmErrorCode::BadMessageMac,
    OlmErrorCode::BadMessageKeyId,
    OlmErrorCode::InvalidBase64,
    OlmErrorCode::BadAccountKey,
    OlmErrorCode::UnknownPickleVersion,
    OlmErrorCode::CorruptedPickle,
    OlmErrorCode::BadSessionKey,
    OlmErrorCode::UnknownMessageIndex,
    OlmErrorCode::BadLegacyAccountPickle,
    OlmErrorCode::BadSignature,
    OlmErrorCode::InputBufferTooSmall,
    OlmErrorCode::SasTheirKeyNotSet,
    OlmErrorCode::PickleExtraData,
];

impl OlmErrorCode {
    /// The code with value `value`, if there is one.
    pub fn from_u32(value: u32) -> Option<Self> {
        CODES.get(usize::try_from(value).ok()?).copied()
    }

    /// The name libolm gives the code (the first fifteen without the `OLM_`
    /// prefix, the last three with it, as libolm spells them).
    pub fn name(self) -> &'static CStr {
        match self {
            Self::Success => c"SUCCESS",
            Self::NotEnoughRandom => c"NOT_ENOUGH_RANDOM",
            Self::OutputBufferTooSmall => c"OUTPUT_BUFFER_TOO_SMALL",
            Self::BadMessageVersion => c"BAD_MESSAGE_VERSION",
            Self::BadMessageFormat => c"BAD_MESSAGE_FORMAT",
            Self::BadMessageMac => c"BAD_MESSAGE_MAC",
            Self::BadMessageKeyId => c"BAD_MESSAGE_KEY_ID",
            Self::InvalidBase64 => c"INVALID_BASE64",
            Self::BadAccountKey => c"BAD_ACCOUNT_KEY",
            Self::UnknownPickleVersion => c"UNKNOWN_PICKLE_VERSION",
            Self::CorruptedPickle => c"CORRUPTED_PICKLE",
            Self::BadSessionKey => c"BAD_SESSION_KEY",
            Self::UnknownMessageIndex => c"UNKNOWN_MESSAGE_INDEX",
            Self::BadLegacyAccountPickle => c"BAD_LEGACY_ACCOUNT_PICKLE",
            Self::BadSignature => c"BAD_SIGNATURE",
            Self::InputBufferTooSmall => c"OLM_INPUT_BUFFER_TOO_SMALL",
            Self::SasTheirKeyNotSet => c"OLM_SAS_THEIR_KEY_NOT_SET",
            Self::PickleExtraData => c"OLM_PICKLE_EXTRA_DATA",
        }
    }
}

/// The name of an error code, as a static NUL-terminated string; values
/// outside the enumeration give `UNKNOWN_ERROR`.
///
/// The parameter is the enumeration's integer value, so that any value a C
/// caller passes is well defined here.
#[unsafe(no_mangle)]
pub extern "C" fn _olm_error_to_string(error: u32) -> *const c_char {
    match OlmErrorCode::from_u32(error) {
        Some(code) => code.name().as_ptr(),
        None => c"UNKNOWN_ERROR".as_ptr(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names() {
        for (value, code) in CODES.iter().enumerate() {
            assert_eq!(*code as usize, value);
            assert_eq!(OlmErrorCode::from_u32(value as u32), Some(*code));
        }
        assert_eq!(OlmErrorCode::from_u32(18), None);
        assert_eq!(OlmErrorCode::BadMessageMac.name(), c"BAD_MESSAGE_MAC");
        assert_eq!(OlmErrorCode::PickleExtraData.name(), c"OLM_PICKLE_EXTRA_DATA");
        // SAFETY: the function returns a pointer to a static C string.
        let unknown = unsafe { CStr::from_ptr(_olm_error_to_string(99)) };
        assert_eq!(unknown, c"UNKNOWN_ERROR");
    }
}
