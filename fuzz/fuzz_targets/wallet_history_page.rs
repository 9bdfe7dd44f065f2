#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qiwi_fuzz_targets::run("wallet_history_page", data));
