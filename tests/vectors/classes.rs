//! The Rust API's errors as the format's failure classes: one `match` per
//! error type, every variant named and given exactly one class. The error
//! types are `#[non_exhaustive]`, so Rust demands a wildcard arm; it gives
//! no class, so a variant added later fails every vector that meets it
//! until it is classed here. Variants the format has no class for (an
//! identity key other than the caller named, a pickle that cannot be
//! written) give none too: no vector can expect them.

use olm::{
    DecodeError, KeyError, PickleError, megolm,
    olm::{DecryptionError, SessionCreationError},
    pk::{PkError, PkMessageDecodeError},
};
use vector_runner::class::{
    Class::{self, *},
    Reported,
};

/// A message, key or export that did not decode.
pub fn decode(error: &DecodeError) -> Option<Class> {
    match error {
        DecodeError::Version { .. } => Some(Version),
        DecodeError::Base64(_)
        | DecodeError::TooShort { .. }
        | DecodeError::Length { .. }
        | DecodeError::Varint
        | DecodeError::Truncated
        | DecodeError::WireType(_)
        | DecodeError::MissingField(_)
        | DecodeError::FieldLength { .. }
        | DecodeError::NonCanonicalKey(_)
        | DecodeError::InvalidEd25519Key(_)
        | DecodeError::MessageType(_) => Some(Decode),
        _ => None,
    }
}

/// An Olm message that did not decrypt.
pub fn olm_decryption(error: &DecryptionError) -> Option<Class> {
    match error {
        // Bad padding under a valid MAC is a `mac` failure, as for Megolm:
        // libolm reports both as BAD_MESSAGE_MAC.
        DecryptionError::InvalidMac | DecryptionError::InvalidPadding => Some(Mac),
        DecryptionError::MissingMessageKey(_) => Some(MissingMessageKey),
        DecryptionError::TooBigMessageGap(..) => Some(MessageGap),
        DecryptionError::NonContributoryKey => Some(NonContributory),
        DecryptionError::InvalidMacLength { .. } => Some(Config),
        _ => None,
    }
}

/// An inbound Olm session that was not created.
pub fn session_creation(error: &SessionCreationError) -> Option<Class> {
    match error {
        SessionCreationError::MissingOneTimeKey(_) => Some(UnknownOneTimeKey),
        SessionCreationError::NonContributoryKey => Some(NonContributory),
        SessionCreationError::Decryption(e) => olm_decryption(e),
        SessionCreationError::MismatchedIdentityKey { .. } => None,
        SessionCreationError::MismatchedSessionConfig { .. } => Some(Config),
        _ => None,
    }
}

/// A Megolm message that did not decrypt.
pub fn megolm_decryption(error: &megolm::DecryptionError) -> Option<Class> {
    match error {
        megolm::DecryptionError::Signature => Some(Signature),
        megolm::DecryptionError::InvalidMac | megolm::DecryptionError::InvalidPadding => Some(Mac),
        megolm::DecryptionError::UnknownMessageIndex(..) => Some(UnknownIndex),
        megolm::DecryptionError::InvalidMacLength { .. } => Some(Config),
        _ => None,
    }
}

/// A Megolm session key or export that did not decode.
pub fn session_key(error: &megolm::SessionKeyDecodeError) -> Option<Class> {
    match error {
        megolm::SessionKeyDecodeError::Decode(e) => decode(e),
        megolm::SessionKeyDecodeError::Signature => Some(Signature),
        _ => None,
    }
}

/// A libolm pickle that was not read. libolm's `CORRUPTED_PICKLE` covers
/// contents that end early, run on, or make no valid object alike.
pub fn libolm_pickle(error: &PickleError) -> Option<Class> {
    match error {
        PickleError::Mac => Some(PickleKey),
        PickleError::Version(_) | PickleError::LegacyAccount => Some(Version),
        PickleError::Base64(_)
        | PickleError::Truncated
        | PickleError::TrailingData(_)
        | PickleError::Invalid(_)
        | PickleError::Json { .. } => Some(Decode),
        PickleError::Unrepresentable(_) => None,
        _ => None,
    }
}

/// A vodozemac pickle that was not read. vodozemac counts a pickle shorter
/// than its MAC as one that fails authentication (its `MacMissing`), and
/// an inconsistent state is `invalid`.
pub fn vodozemac_pickle(error: &PickleError) -> Option<Class> {
    match error {
        PickleError::Mac | PickleError::Truncated => Some(PickleKey),
        PickleError::Invalid(_) => Some(Invalid),
        PickleError::Version(_) | PickleError::LegacyAccount => Some(Version),
        PickleError::Base64(_) | PickleError::TrailingData(_) | PickleError::Json { .. } => Some(Decode),
        PickleError::Unrepresentable(_) => None,
        _ => None,
    }
}

/// A key that did not decode or was refused.
pub fn key(error: &KeyError) -> Option<Class> {
    match error {
        KeyError::Base64(_) | KeyError::InvalidKeyLength { .. } | KeyError::InvalidEd25519Key => Some(Decode),
        KeyError::NonContributoryKey => Some(NonContributory),
        _ => None,
    }
}

/// A backup entry whose strings did not decode.
pub fn pk_message(error: &PkMessageDecodeError) -> Option<Class> {
    match error {
        PkMessageDecodeError::Ciphertext(_) => Some(Decode),
        PkMessageDecodeError::Mac(e) => decode(e),
        PkMessageDecodeError::EphemeralKey(e) => key(e),
        _ => None,
    }
}

/// A backup entry that did not decrypt.
pub fn pk(error: &PkError) -> Option<Class> {
    match error {
        PkError::Decryption => Some(Mac),
        PkError::NonContributoryKey => Some(NonContributory),
        _ => None,
    }
}

/// `error` reported with the class `classify` gives it.
pub fn reported<E: std::fmt::Debug>(classify: fn(&E) -> Option<Class>) -> impl Fn(E) -> Reported {
    move |error| Reported::new(classify(&error), &error)
}
