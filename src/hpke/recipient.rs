//! The recipient's side (device G, which shows its key in the QR code).

use alloc::{
    string::{String, ToString},
    vec::Vec,
};
use core::fmt;

use ::hpke::{Deserializable, OpModeR, Serializable, danger::streaming_enc::create_sender_context};
use rand::CryptoRng;
use zeroize::Zeroizing;

use super::{
    BidirectionalCreationResult, Counter, DEFAULT_INFO_PREFIX, EstablishedHpkeChannel, HpkeError, InitialMessage,
    InitialResponse, Kem, Keys, ReceiverContext, Role, check_code, from_hpke, response_key_and_nonce,
};
use crate::Curve25519PublicKey;

/// The recipient of an HPKE channel before it is established: an ephemeral
/// key pair, whose public key goes into the QR code.
///
/// It is consumed by establishing a channel, so each key serves one channel.
pub struct HpkeRecipientChannel {
    secret_key: <Kem as ::hpke::Kem>::PrivateKey,
    public_key: Curve25519PublicKey,
    info_prefix: String,
}

impl HpkeRecipientChannel {
    /// A new ephemeral key from the operating system's generator, with
    /// MSC4108's info prefix `MATRIX_QR_CODE_LOGIN`.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new ephemeral key from the operating system's generator, with
    /// another info prefix (HPKE's `info`).
    #[cfg(feature = "std")]
    pub fn with_info(info_prefix: &str) -> Self {
        Self::with_info_and_rng(info_prefix, &mut rand::rng())
    }

    /// [`HpkeRecipientChannel::new`] with the key made from 32 bytes of
    /// `rng`.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::with_info_and_rng(DEFAULT_INFO_PREFIX, rng)
    }

    /// [`HpkeRecipientChannel::with_info`] with the key made from 32 bytes of
    /// `rng`: RFC 9180's `DeriveKeyPair(ikm)`, as the hpke crate generates
    /// keys.
    pub fn with_info_and_rng<R: CryptoRng + ?Sized>(info_prefix: &str, rng: &mut R) -> Self {
        crate::stack::scrubbed(|| {
            let mut ikm = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(ikm.as_mut_slice());
            let (secret_key, public_key) = <Kem as ::hpke::Kem>::derive_keypair(ikm.as_slice());
            Self {
                secret_key,
                public_key: Curve25519PublicKey::from_bytes(public_key.to_bytes().into()),
                info_prefix: info_prefix.to_string(),
            }
        })
    }

    /// Our ephemeral public key, to show in the QR code.
    pub fn public_key(&self) -> Curve25519PublicKey {
        self.public_key
    }

    /// Opens the sender's initial message with `aad`, completing the
    /// channel in the sender-to-recipient direction.
    ///
    /// The encapsulated key in `message` is unauthenticated: the channel is
    /// trustworthy only once the users have compared the check codes. This
    /// consumes our key whether or not the message opens.
    pub fn establish_channel(self, message: &InitialMessage, aad: &[u8]) -> Result<RecipientCreationResult, HpkeError> {
        crate::stack::scrubbed(|| {
            if message.encapsulated_key.is_low_order() {
                return Err(HpkeError::NonContributoryKey);
            }
            let encapsulated_key = <Kem as ::hpke::Kem>::EncappedKey::from_bytes(message.encapsulated_key.as_bytes())
                .map_err(from_hpke)?;
            let mut context = ::hpke::setup_receiver::<_, _, Kem>(
                &OpModeR::Base,
                &self.secret_key,
                &encapsulated_key,
                self.info_prefix.as_bytes(),
            )
            .map_err(from_hpke)?;
            let plaintext = context.open(&message.ciphertext, aad).map_err(from_hpke)?;
            Ok(RecipientCreationResult {
                channel: UnidirectionalRecipientChannel {
                    context,
                    keys: Keys {
                        info_prefix: self.info_prefix,
                        our_public_key: self.public_key,
                        their_public_key: message.encapsulated_key,
                    },
                },
                message: plaintext,
            })
        })
    }
}

#[cfg(feature = "std")]
impl Default for HpkeRecipientChannel {
    fn default() -> Self {
        Self::new()
    }
}

/// The secret key wipes itself when dropped.
impl zeroize::ZeroizeOnDrop for HpkeRecipientChannel {}

impl fmt::Debug for HpkeRecipientChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HpkeRecipientChannel")
            .field("public_key", &self.public_key)
            .field("info_prefix", &self.info_prefix)
            .finish_non_exhaustive()
    }
}

/// What [`HpkeRecipientChannel::establish_channel`] returns.
pub struct RecipientCreationResult {
    /// The channel, able to receive only until we send the response.
    pub channel: UnidirectionalRecipientChannel,
    /// The plaintext of the initial message.
    pub message: Vec<u8>,
}

/// Shows the plaintext's length, never the plaintext.
impl fmt::Debug for RecipientCreationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecipientCreationResult")
            .field("channel", &self.channel)
            .field("message_len", &self.message.len())
            .finish()
    }
}

/// The recipient's side after the first message: it can send the
/// [`InitialResponse`] that makes the channel bidirectional.
pub struct UnidirectionalRecipientChannel {
    context: ReceiverContext,
    keys: Keys,
}

impl UnidirectionalRecipientChannel {
    /// The sender's ephemeral public key (the encapsulated key).
    pub fn their_public_key(&self) -> Curve25519PublicKey {
        self.keys.their_public_key
    }

    /// Seals `plaintext` with `aad` as the response, with a base response
    /// nonce from the operating system's generator, and completes the
    /// channel in both directions.
    #[cfg(feature = "std")]
    pub fn establish_bidirectional_channel(
        self,
        plaintext: &[u8],
        aad: &[u8],
    ) -> Result<BidirectionalCreationResult<InitialResponse>, HpkeError> {
        self.establish_bidirectional_channel_with_rng(plaintext, aad, &mut rand::rng())
    }

    /// [`UnidirectionalRecipientChannel::establish_bidirectional_channel`]
    /// with the 32-byte base response nonce drawn from `rng`.
    ///
    /// Send the returned [`InitialResponse`] to the sender.
    pub fn establish_bidirectional_channel_with_rng<R: CryptoRng + ?Sized>(
        self,
        plaintext: &[u8],
        aad: &[u8],
        rng: &mut R,
    ) -> Result<BidirectionalCreationResult<InitialResponse>, HpkeError> {
        crate::stack::scrubbed(|| {
            // As long as the AEAD key, as MSC4388 takes it from RFC 9458.
            let mut base_response_nonce = [0u8; 32];
            rng.fill_bytes(&mut base_response_nonce);
            let (key, nonce) = response_key_and_nonce(
                &self.context,
                &self.keys.info_prefix,
                &self.keys.their_public_key,
                &base_response_nonce,
            )?;
            let mut response_context = create_sender_context::<_, _, Kem>(&key, nonce, Default::default());
            let ciphertext = response_context.seal(plaintext, aad).map_err(from_hpke)?;
            // We are G: S is the sender, whose key came in the initial message.
            let check_code = check_code(
                &self.context,
                &self.keys.info_prefix,
                &self.keys.our_public_key,
                &self.keys.their_public_key,
            )?;
            Ok(BidirectionalCreationResult {
                channel: EstablishedHpkeChannel {
                    role: Role::Recipient {
                        sender_context: self.context,
                        response_context,
                    },
                    our_public_key: self.keys.our_public_key,
                    their_public_key: self.keys.their_public_key,
                    check_code,
                    // Message 0 of each direction was the initial message and the
                    // response.
                    sent: Counter::AFTER_FIRST,
                    received: Counter::AFTER_FIRST,
                },
                message: InitialResponse {
                    base_response_nonce,
                    ciphertext,
                },
            })
        })
    }

    #[cfg(test)]
    pub(super) fn context_mut(&mut self) -> &mut ReceiverContext {
        &mut self.context
    }
}

/// The context wipes its keys when dropped.
impl zeroize::ZeroizeOnDrop for UnidirectionalRecipientChannel {}

impl fmt::Debug for UnidirectionalRecipientChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnidirectionalRecipientChannel")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}
