//! Ledger replies: the USB HID framing and every reply parser of the bridge.
//!
//! The first byte chooses how the rest is read:
//! - even: as USB HID reports (64-byte chunks, the last possibly short) put back together by
//!   `ReplyAssembler`; a complete reply must frame back into the same reports' payload, and is
//!   then split into data and status word;
//! - odd: as the data of a reply, as is.
//!
//! Either way the data goes through every parser (app and version, signed public keys in both
//! forms, identity keys in both forms, status words to errors). No input may panic, and what
//! parses must be consistent with its length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::ledger::apdu::Reply;
use wallet_core::ledger::bridge::status_to_result;
use wallet_core::ledger::hid_framing::{frame_apdu, ReplyAssembler, REPORT_SIZE};
use wallet_core::ledger::replies::{
    parse_bolos_app_info, parse_new_path_identity_keys, parse_signed_public_key,
    split_prf_id_cred_sec,
};
use wallet_core::ledger::version::{AppVersion, PublicKeyReply};

fn parsers(data: &[u8]) {
    if let Ok((name, version)) = parse_bolos_app_info(data) {
        assert!(!name.is_empty() && name.len() <= 32);
        let _ = AppVersion::parse(&version);
    }
    if parse_signed_public_key(data, PublicKeyReply::Raw).is_ok() {
        assert_eq!(data.len(), 96);
    }
    if parse_signed_public_key(data, PublicKeyReply::LengthPrefixed).is_ok() {
        assert_eq!(data.len(), 98);
    }
    if split_prf_id_cred_sec(data).is_ok() {
        assert_eq!(data.len(), 64);
    }
    if let Ok(keys) = parse_new_path_identity_keys(data) {
        assert_eq!(data.len(), 99);
        assert!(keys.blinding_randomness.is_some());
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        parsers(rest);
        return;
    }
    let mut assembler = ReplyAssembler::new();
    for report in rest.chunks(REPORT_SIZE) {
        match assembler.push(report) {
            Ok(None) => continue,
            Ok(Some(whole)) => {
                // The payload frames back into reports that reassemble to the same bytes.
                let mut again = ReplyAssembler::new();
                let mut back = None;
                for r in frame_apdu(&whole).unwrap() {
                    back = again.push(&r).unwrap();
                }
                assert_eq!(back.as_ref().map(|b| b.as_slice()), Some(whole.as_slice()));
                if let Ok(reply) = Reply::parse(&whole) {
                    let _ = status_to_result(reply.status, "fuzzing");
                    assert_eq!(reply.data.len() + 2, whole.len());
                    parsers(&reply.data);
                }
                return;
            }
            Err(_) => return,
        }
    }
});
