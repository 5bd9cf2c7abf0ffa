//! Pickles of Megolm [`GroupSession`]s and [`InboundGroupSession`]s.
//!
//! libolm's layouts:
//!
//! ```text
//! GroupSession, version 1:
//!   u32 version · ratchet (128) · u32 index · Ed25519 public (32) · Ed25519 expanded secret (64)
//! InboundGroupSession, version 2 (1 is read too: no flag, verified):
//!   u32 version · initial ratchet (128) · u32 index · latest ratchet (128) · u32 index
//!   · Ed25519 public (32) · u8 signing key verified
//! ```

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

#[cfg(feature = "libolm-compat")]
use super::methods::LibolmBody;
use super::{
    PickleError,
    checks::{self, Ed25519Form, read_flag},
    codec::{Reader, Writer},
    envelope::Kind,
    methods::{OurBody, pickle_methods},
};
use crate::{
    Ed25519PublicKey,
    megolm::{
        GroupSession, InboundGroupSession, SessionConfig,
        ratchet::{RATCHET_LEN, Ratchet},
    },
    types::SecretBox,
};

const GROUP_LIBOLM_VERSION: u32 = 1;
const INBOUND_LIBOLM_VERSION: u32 = 2;
const INBOUND_LIBOLM_VERSION_UNFLAGGED: u32 = 1;
const CONFIG_V1: u8 = 1;
const CONFIG_V2: u8 = 2;

fn read_ratchet(r: &mut Reader<'_>, libolm: bool) -> Result<Ratchet, PickleError> {
    let bytes = SecretBox::new(r.array::<RATCHET_LEN>()?);
    let index = if libolm { r.u32_be()? } else { r.varint_u32()? };
    Ok(Ratchet::new(bytes, index))
}

fn write_ratchet(w: &mut Writer, ratchet: &Ratchet, libolm: bool) {
    w.bytes(ratchet.as_bytes());
    if libolm {
        w.u32_be(ratchet.index());
    } else {
        w.varint(ratchet.index().into());
    }
}

fn read_config(r: &mut Reader<'_>) -> Result<SessionConfig, PickleError> {
    match r.u8()? {
        CONFIG_V1 => Ok(SessionConfig::version_1()),
        CONFIG_V2 => Ok(SessionConfig::version_2()),
        _ => Err(PickleError::Invalid("unknown session configuration")),
    }
}

fn write_config(w: &mut Writer, config: SessionConfig) {
    w.u8(if config == SessionConfig::version_2() {
        CONFIG_V2
    } else {
        CONFIG_V1
    });
}

/// libolm speaks Megolm v1 only: a v2 session written there would come
/// back as v1 and fail on every message.
#[cfg(feature = "libolm-compat")]
fn check_libolm_config(config: SessionConfig) -> Result<(), PickleError> {
    if config == SessionConfig::version_1() {
        Ok(())
    } else {
        Err(PickleError::Unrepresentable(
            "libolm has no Megolm version 2; this session uses it",
        ))
    }
}

impl OurBody for GroupSession {
    const KIND: Kind = Kind::GroupSession;

    fn write(&self, w: &mut Writer) {
        write_config(w, self.session_config());
        write_ratchet(w, self.ratchet(), false);
        checks::write_ed25519(w, self.signing_key_pair(), 0);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let config = read_config(r)?;
        let ratchet = read_ratchet(r, false)?;
        let signing_key = match r.u8()? {
            form @ 0..=1 => checks::read_ed25519(r, Ed25519Form::from_bit(form))?,
            _ => return Err(PickleError::Invalid("unknown Ed25519 key form")),
        };
        Ok(Self::from_parts(ratchet, signing_key, config))
    }
}

#[cfg(feature = "libolm-compat")]
impl LibolmBody for GroupSession {
    fn check_libolm(&self) -> Result<(), PickleError> {
        check_libolm_config(self.session_config())
    }

    fn write_libolm(&self, w: &mut Writer) {
        w.u32_be(GROUP_LIBOLM_VERSION);
        write_ratchet(w, self.ratchet(), true);
        let pair = self.signing_key_pair();
        w.bytes(pair.public_key().as_bytes());
        w.bytes(pair.expanded_bytes().as_bytes());
    }

    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        r.version(&[GROUP_LIBOLM_VERSION])?;
        let ratchet = read_ratchet(r, true)?;
        let signing_key = checks::read_libolm_ed25519(r)?;
        Ok(Self::from_parts(ratchet, signing_key, SessionConfig::version_1()))
    }
}

pickle_methods!(
    GroupSession,
    "session",
    ours: "The body is the configuration, the ratchet and its index, and the Ed25519 signing key.",
    to_libolm: "libolm's outbound group session pickle, version 1. A Megolm v2 session is an [`Unrepresentable`](crate::PickleError::Unrepresentable) error: libolm has no v2.",
    from_libolm: "Version 1. The session keeps libolm's expanded signing key and writes it back unchanged. It is a Megolm v1 session.",
);

impl OurBody for InboundGroupSession {
    const KIND: Kind = Kind::InboundGroupSession;

    fn write(&self, w: &mut Writer) {
        write_config(w, self.session_config());
        write_ratchet(w, self.initial_ratchet(), false);
        w.bytes(self.signing_key().as_bytes());
        w.bool(self.is_verified());
        // No cache follows (a pickle with one is still read).
        w.u8(0);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let config = read_config(r)?;
        let initial = read_ratchet(r, false)?;
        let signing_key = read_signing_key(r)?;
        let verified = read_flag(r)?;
        let latest = if read_flag(r)? {
            Some(read_ratchet(r, false)?)
        } else {
            None
        };
        Self::from_stored(initial, latest, signing_key, verified, config)
    }
}

#[cfg(feature = "libolm-compat")]
impl LibolmBody for InboundGroupSession {
    fn check_libolm(&self) -> Result<(), PickleError> {
        check_libolm_config(self.session_config())
    }

    fn write_libolm(&self, w: &mut Writer) {
        w.u32_be(INBOUND_LIBOLM_VERSION);
        write_ratchet(w, self.initial_ratchet(), true);
        write_ratchet(w, self.latest_ratchet(), true);
        w.bytes(self.signing_key().as_bytes());
        w.bool(self.is_verified());
    }

    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let version = r.version(&[INBOUND_LIBOLM_VERSION, INBOUND_LIBOLM_VERSION_UNFLAGGED])?;
        let initial = read_ratchet(r, true)?;
        let latest = read_ratchet(r, true)?;
        let signing_key = read_signing_key(r)?;
        let verified = if version == INBOUND_LIBOLM_VERSION {
            r.bool()?
        } else {
            true
        };
        Self::from_stored(initial, Some(latest), signing_key, verified, SessionConfig::version_1())
    }
}

pickle_methods!(
    InboundGroupSession,
    "session",
    ours: "The latest-ratchet cache is left out, as vodozemac leaves it out: it only spares work, a second 128-byte ratchet would make the pickle larger than libolm's, and the first decryption after loading rebuilds it with the same one jump from the first known index. Every message decrypts exactly as before.",
    to_libolm: "libolm's inbound group session pickle, version 2. A Megolm v2 session is an [`Unrepresentable`](crate::PickleError::Unrepresentable) error: libolm has no v2.",
    from_libolm: "Version 2, or 1, which lacks the verified flag and counts as verified, as in libolm. It is a Megolm v1 session.",
);

fn read_signing_key(r: &mut Reader<'_>) -> Result<Ed25519PublicKey, PickleError> {
    Ed25519PublicKey::from_bytes(&r.public_key()?).map_err(|_| PickleError::Invalid("invalid Ed25519 public key"))
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::{
        megolm::{ExportedSessionKey, SessionKey},
        test_rng::Replay,
    };

    /// libolm 3.2.7 (as test-vectors/generator runs it): the outbound session made from 0x10…0x14 × 32,
    /// pickled by libolm with the empty key after two messages.
    const OUTBOUND_AT_2: &str = "K6lrXRvh/jc9oMioNMX7ynmsf1x+6Vwr1za+8LUjLskPV1QZlXtcwl1SuNPpag3UUQDbj+t0ZXYsYC+OZy+9m7vDd1E6VJ2mau3OKOraT0eV7mLLi5DwSc0L7Ypbhjr/8tAhIz0hb2qwQGJ9jQ/3B/ZH8ohTWzkSCS5A5XdASuULyMshFl4hUS40OL2Kgc2bn85Im6sMsx88p/1Lk8zyCTUSYePeE+9MpkkN3A96ci2w+8oxof/w6pu9nO9p5llDtzA2NPDOsHt/ywf0rQ+s4jTJx0QWP18bekqvMNOOqZzHsN4PcT9Z3NcvsnhAvrz2IrzHWvsP0c4";

    #[test]
    fn libolm_outbound_both_ways() {
        let mut session = GroupSession::new_with_rng(SessionConfig::version_1(), &mut Replay::blocks(0x10, 5));
        session.encrypt("Hello, group");
        session.encrypt("Hello, group");
        assert_eq!(session.to_libolm_pickle(b"").unwrap().as_str(), OUTBOUND_AT_2);
        let mut imported = GroupSession::from_libolm_pickle(OUTBOUND_AT_2, b"").unwrap();
        assert_eq!(imported.session_id(), "IIKL9cW9ystoSGMzbCAvtVmdpIvlWWYVdCFwcFvsqfc");
        assert_eq!(imported.message_index(), 2);
        assert_eq!(imported.to_libolm_pickle(b"").unwrap().as_str(), OUTBOUND_AT_2);
        assert_eq!(imported.encrypt("x").to_bytes(), session.encrypt("x").to_bytes());
        assert_eq!(
            GroupSession::from_libolm_pickle(OUTBOUND_AT_2, b"k").unwrap_err(),
            PickleError::Mac
        );
    }

    #[test]
    fn ours_round_trip() {
        let key = [4u8; 32];
        let mut rng = StdRng::seed_from_u64(1);
        let mut outbound = GroupSession::new_with_rng(SessionConfig::version_1(), &mut rng);
        let mut inbound = InboundGroupSession::new(&outbound.session_key(), SessionConfig::version_1());
        let messages: alloc::vec::Vec<_> = (0..5).map(|i| outbound.encrypt([i])).collect();
        inbound.decrypt(&messages[3]).unwrap();

        let mut restored = GroupSession::from_pickle(&outbound.pickle_with_rng(&key, &mut rng), &key).unwrap();
        assert_eq!(
            restored.to_libolm_pickle(b"k").unwrap(),
            outbound.to_libolm_pickle(b"k").unwrap()
        );
        assert_eq!(restored.encrypt("same").to_bytes(), outbound.encrypt("same").to_bytes());

        // The cache (at 3) is left out of our pickle and rebuilt by the
        // first decryption ahead of it.
        let pickle = inbound.pickle_with_rng(&key, &mut rng);
        let mut back = InboundGroupSession::from_pickle(&pickle, &key).unwrap();
        assert_eq!(back.latest_index(), 0);
        let mut via_libolm =
            InboundGroupSession::from_libolm_pickle(inbound.to_libolm_pickle(b"k").unwrap().as_str(), b"k").unwrap();
        assert_eq!(via_libolm.latest_index(), 3);
        for message in &messages {
            assert_eq!(back.decrypt(message).unwrap(), inbound.decrypt(message).unwrap());
            assert_eq!(via_libolm.decrypt(message).unwrap(), inbound.decrypt(message).unwrap());
        }
        assert_eq!(
            back.to_libolm_pickle(b"k").unwrap(),
            inbound.to_libolm_pickle(b"k").unwrap()
        );
        assert!(back.is_verified());

        // A pickle that carries a cache (flag 1) is still read, cache and all.
        let mut w = Writer::with_capacity(320);
        w.u8(CONFIG_V1);
        write_ratchet(&mut w, inbound.initial_ratchet(), false);
        w.bytes(inbound.signing_key().as_bytes());
        w.bool(inbound.is_verified());
        w.u8(1);
        write_ratchet(&mut w, inbound.latest_ratchet(), false);
        let with_cache = crate::pickle::envelope::seal(Kind::InboundGroupSession, &w.into_bytes(), &key, &mut rng);
        let read = InboundGroupSession::from_pickle(&with_cache, &key).unwrap();
        assert_eq!(read.latest_index(), 4);
        assert_eq!(
            read.to_libolm_pickle(b"k").unwrap(),
            inbound.to_libolm_pickle(b"k").unwrap()
        );

        let imported = InboundGroupSession::import(&inbound.export_at(2).unwrap(), SessionConfig::version_1());
        let back = InboundGroupSession::from_pickle(&imported.pickle_with_rng(&key, &mut rng), &key).unwrap();
        assert!(!back.is_verified());
        assert_eq!(back.first_known_index(), 2);
        assert!(InboundGroupSession::from_pickle(&imported.pickle_with_rng(&key, &mut rng), &[5; 32]).is_err());
        assert!(GroupSession::from_pickle(&imported.pickle_with_rng(&key, &mut rng), &key).is_err());
        let _ = (
            SessionKey::from_base64("").is_err(),
            ExportedSessionKey::from_base64("").is_err(),
        );
    }
}
