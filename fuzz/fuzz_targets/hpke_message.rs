#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| olm_fuzz::qr_login::hpke_message(data));
