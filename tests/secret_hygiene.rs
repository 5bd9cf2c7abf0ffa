//! Secret hygiene that the type system can check: every public type that
//! holds secret bytes is `ZeroizeOnDrop` (each of its secrets wipes itself
//! when dropped). `tests/debug_output.rs` checks that none of them prints a
//! secret; `docs/security.md` lists the review behind both.

use zeroize::ZeroizeOnDrop;

fn wiped_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn every_public_secret_holder_is_zeroize_on_drop() {
    wiped_on_drop::<olm::Curve25519SecretKey>();
    wiped_on_drop::<olm::Ed25519SecretKey>();
    wiped_on_drop::<olm::olm::Account>();
    wiped_on_drop::<olm::olm::Session>();
    wiped_on_drop::<olm::megolm::GroupSession>();
    wiped_on_drop::<olm::megolm::InboundGroupSession>();
    wiped_on_drop::<olm::megolm::SessionKey>();
    wiped_on_drop::<olm::megolm::ExportedSessionKey>();
    wiped_on_drop::<olm::sas::Sas>();
    wiped_on_drop::<olm::sas::EstablishedSas>();
    wiped_on_drop::<olm::pk::PkDecryption>();
    wiped_on_drop::<olm::pk::PkSigning>();
    wiped_on_drop::<olm::ecies::Ecies>();
    wiped_on_drop::<olm::ecies::EstablishedEcies>();
    wiped_on_drop::<olm::hpke::HpkeRecipientChannel>();
    wiped_on_drop::<olm::hpke::UnidirectionalSenderChannel>();
    wiped_on_drop::<olm::hpke::UnidirectionalRecipientChannel>();
    wiped_on_drop::<olm::hpke::EstablishedHpkeChannel>();
}

#[test]
fn secret_copies_handed_out_are_wiped_on_drop() {
    // Copies of secrets come back in `Zeroizing` wrappers.
    fn zeroizing<T: zeroize::Zeroize>(_: &zeroize::Zeroizing<T>) {}
    let key = olm::Curve25519SecretKey::from_bytes(&[1; 32]);
    zeroizing(&key.to_bytes());
    zeroizing(&key.to_base64());
    let seed = olm::Ed25519SecretKey::from_bytes(&[2; 32]);
    zeroizing(&seed.to_bytes());
    zeroizing(&seed.to_base64());
    let mut rng = rand::rng();
    let group = olm::megolm::GroupSession::new_with_rng(olm::megolm::SessionConfig::version_1(), &mut rng);
    zeroizing(&group.session_key().to_bytes());
    zeroizing(&group.session_key().to_base64());
    let pk = olm::pk::PkDecryption::from_bytes(&[3; 32]);
    zeroizing(&pk.to_bytes());
    zeroizing(&olm::pk::PkSigning::from_seed(&[4; 32]).seed());
}

/// The QR-login channels print their public keys and nothing else: once
/// those are removed, no run of key-like characters is left.
#[test]
fn qr_login_channels_print_only_public_keys() {
    fn only_public(debug: &str, public: &[String]) {
        let mut rest = debug.to_owned();
        for key in public {
            rest = rest.replace(key.as_str(), "");
        }
        let longest = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest < 20, "{debug}");
    }
    let mut rng = rand::rng();
    let scanner = olm::ecies::Ecies::new_with_rng(&mut rng);
    let shower = olm::ecies::Ecies::new_with_rng(&mut rng);
    let keys = [scanner.public_key().to_base64(), shower.public_key().to_base64()];
    only_public(&format!("{scanner:?}"), &keys);
    let shower_key = shower.public_key();
    let outbound = scanner.establish_outbound_channel(shower_key, b"hello").unwrap();
    only_public(&format!("{:?}", outbound.ecies), &keys);
    let inbound = shower.establish_inbound_channel(&outbound.message).unwrap();
    only_public(&format!("{:?}", inbound.ecies), &keys);
}
