#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qiwi_fuzz_targets::run("treezor_webhook_payload", data));
