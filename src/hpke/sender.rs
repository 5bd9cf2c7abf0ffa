//! The sender's side (device S, which scanned the QR code).

use alloc::{
    string::{String, ToString},
    vec::Vec,
};
use core::fmt;

use ::hpke::{Deserializable, OpModeS, Serializable, danger::streaming_enc::create_receiver_context};
use rand::CryptoRng;

use super::{
    BidirectionalCreationResult, Counter, DEFAULT_INFO_PREFIX, EstablishedHpkeChannel, HpkeError, InitialMessage,
    InitialResponse, Kem, Keys, Role, SenderContext, check_code, from_hpke, response_key_and_nonce,
};
use crate::Curve25519PublicKey;

/// The sender of an HPKE channel before it is established: it only needs
/// the recipient's public key, from which each channel draws a fresh
/// ephemeral key.
#[derive(Debug, Clone)]
pub struct HpkeSenderChannel {
    info_prefix: String,
}

impl HpkeSenderChannel {
    /// A sender with MSC4108's info prefix `MATRIX_QR_CODE_LOGIN`.
    pub fn new() -> Self {
        Self::with_info(DEFAULT_INFO_PREFIX)
    }

    /// A sender with another info prefix (HPKE's `info`): for uses other
    /// than QR-code login, so their keys never collide with it.
    pub fn with_info(info_prefix: &str) -> Self {
        Self {
            info_prefix: info_prefix.to_string(),
        }
    }

    /// Opens the channel to `their_public_key` (read from the QR code) with
    /// an ephemeral key from the operating system's generator, and seals
    /// `initial_plaintext` with `aad` as the first message.
    #[cfg(feature = "std")]
    pub fn establish_channel(
        self,
        their_public_key: Curve25519PublicKey,
        initial_plaintext: &[u8],
        aad: &[u8],
    ) -> Result<SenderCreationResult, HpkeError> {
        self.establish_channel_with_rng(their_public_key, initial_plaintext, aad, &mut rand::rng())
    }

    /// [`HpkeSenderChannel::establish_channel`] with the ephemeral key made
    /// from 32 bytes of `rng` (RFC 9180's `DeriveKeyPair(ikmE)`).
    ///
    /// Send the returned [`InitialMessage`] to the recipient.
    pub fn establish_channel_with_rng<R: CryptoRng + ?Sized>(
        self,
        their_public_key: Curve25519PublicKey,
        initial_plaintext: &[u8],
        aad: &[u8],
        mut rng: &mut R,
    ) -> Result<SenderCreationResult, HpkeError> {
        crate::stack::scrubbed(|| {
            // The hpke crate refuses an all-zero exchange too; checking first
            // names the problem.
            if their_public_key.is_low_order() {
                return Err(HpkeError::NonContributoryKey);
            }
            let recipient_key =
                <Kem as ::hpke::Kem>::PublicKey::from_bytes(their_public_key.as_bytes()).map_err(from_hpke)?;
            let (encapsulated_key, mut context) = ::hpke::setup_sender_with_rng::<_, _, Kem>(
                &OpModeS::Base,
                &recipient_key,
                self.info_prefix.as_bytes(),
                &mut rng,
            )
            .map_err(from_hpke)?;
            let ciphertext = context.seal(initial_plaintext, aad).map_err(from_hpke)?;
            let our_public_key = Curve25519PublicKey::from_bytes(encapsulated_key.to_bytes().into());
            Ok(SenderCreationResult {
                channel: UnidirectionalSenderChannel {
                    context,
                    keys: Keys {
                        info_prefix: self.info_prefix,
                        our_public_key,
                        their_public_key,
                    },
                },
                message: InitialMessage {
                    encapsulated_key: our_public_key,
                    ciphertext,
                },
            })
        })
    }
}

impl Default for HpkeSenderChannel {
    fn default() -> Self {
        Self::new()
    }
}

/// What [`HpkeSenderChannel::establish_channel`] returns.
#[derive(Debug)]
pub struct SenderCreationResult {
    /// The channel, able to send only until the recipient's response
    /// arrives.
    pub channel: UnidirectionalSenderChannel,
    /// The first message, to send to the recipient.
    pub message: InitialMessage,
}

/// The sender's side after the first message, waiting for the recipient's
/// [`InitialResponse`].
pub struct UnidirectionalSenderChannel {
    context: SenderContext,
    keys: Keys,
}

impl UnidirectionalSenderChannel {
    /// Our ephemeral public key (the encapsulated key).
    pub fn public_key(&self) -> Curve25519PublicKey {
        self.keys.our_public_key
    }

    /// Opens the recipient's response with `aad` and completes the channel in
    /// both directions.
    ///
    /// This consumes the channel whether or not the response opens: if it
    /// does not, the login must start again.
    pub fn establish_bidirectional_channel(
        self,
        response: &InitialResponse,
        aad: &[u8],
    ) -> Result<BidirectionalCreationResult<Vec<u8>>, HpkeError> {
        crate::stack::scrubbed(|| {
            let (key, nonce) = response_key_and_nonce(
                &self.context,
                &self.keys.info_prefix,
                &self.keys.our_public_key,
                &response.base_response_nonce,
            )?;
            let mut response_context = create_receiver_context::<_, _, Kem>(&key, nonce, Default::default());
            let plaintext = response_context.open(&response.ciphertext, aad).map_err(from_hpke)?;
            // We are S: G is the recipient, whose key we were given.
            let check_code = check_code(
                &self.context,
                &self.keys.info_prefix,
                &self.keys.their_public_key,
                &self.keys.our_public_key,
            )?;
            Ok(BidirectionalCreationResult {
                channel: EstablishedHpkeChannel {
                    role: Role::Sender {
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
                message: plaintext,
            })
        })
    }

    #[cfg(test)]
    pub(super) fn context_mut(&mut self) -> &mut SenderContext {
        &mut self.context
    }
}

/// The context wipes its keys when dropped.
impl zeroize::ZeroizeOnDrop for UnidirectionalSenderChannel {}

impl fmt::Debug for UnidirectionalSenderChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnidirectionalSenderChannel")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}
