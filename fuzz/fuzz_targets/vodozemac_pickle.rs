#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| olm_fuzz::pickles::vodozemac_pickle(data));
