//! Feeds arbitrary bytes to the validator as a `widget.zip`, under both profiles, with small
//! limits and with the default ones.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use widgetry_validator::{Input, Limits, Profile, check};

fuzz_target!(|data: &[u8]| {
    for (profile, limits) in [
        (Profile::Upload, common::small_limits()),
        (Profile::Publication, Limits::default()),
    ] {
        let c = check(Input::Zip(data), &common::options(profile, limits.clone()));
        common::check_invariants(&c, &limits);
    }
});
