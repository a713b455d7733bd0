//! The Ledger bridge against the emulated Concordium app, over real loopback TCP (Speculos
//! framing), for both app generations; and the emulator against the values measured on the real
//! app 5.1.3 under Speculos (docs/ledger.md, "Measured answers").

mod ledger_emulator;

use std::time::Duration;

use ledger_emulator::{Approval, EmulatedDevice, EmulatorServer, Generation, Screen};
use wallet_core::keys::{
    credential_id_from_prf, keygen_bls, CommitmentKey, ConcordiumHdWallet, ExtendedKey, Net,
};
use wallet_core::ledger::apdu::{encode_path, Command, Reply};
use wallet_core::ledger::bridge::status_to_result;
use wallet_core::ledger::{
    AccountPath, IdentityKeys, IdentityPath, Ledger, LedgerError, SignedPublicKey,
    SpeculosTransport, StatusWord, Timeouts, Transport,
};
use wallet_core::phrase::Phrase;

fn start(device: EmulatedDevice) -> EmulatorServer {
    EmulatorServer::start(device, 0).expect("loopback port")
}

fn bridge(server: &EmulatorServer) -> Ledger<SpeculosTransport> {
    Ledger::new(SpeculosTransport::connect(&server.address_string()).unwrap())
}

/// The key of the legacy path (identity 0, credential 0), checked against the vectors' key and
/// signature.
fn legacy_key_1105(l: &mut Ledger<SpeculosTransport>) -> (AccountPath, SignedPublicKey) {
    let legacy = AccountPath::Legacy {
        identity: 0,
        credential: 0,
    };
    let k = l.public_key(&legacy, false).unwrap();
    assert_eq!(hex::encode(k.key), KEY_1105);
    assert_eq!(hex::encode(k.signature), SIG_1105);
    (legacy, k)
}

/// The new-style path (`net`, `idp`, `identity`, `credential`), after checking that the device's
/// key for it is the one the Speculos phrase's wallet derives.
fn new_path_key(
    l: &mut Ledger<SpeculosTransport>,
    net: Net,
    idp: u32,
    identity: u32,
    credential: u8,
) -> AccountPath {
    let path = AccountPath::New {
        net,
        idp,
        identity,
        credential: u32::from(credential),
    };
    assert_eq!(
        l.public_key(&path, false).unwrap().key,
        speculos_wallet(net)
            .account_public_key(idp, identity, credential)
            .unwrap()
    );
    path
}

/// The keys of legacy identity 0, checked against the vectors' PRF key and IdCredSec.
fn legacy_identity_0_keys(l: &mut Ledger<SpeculosTransport>) -> IdentityKeys {
    let keys = l
        .export_identity_keys(&IdentityPath::Legacy { identity: 0 })
        .unwrap();
    assert_eq!(hex::encode(keys.prf_key.as_bytes()), PRF_LEGACY_0);
    assert_eq!(
        hex::encode(keys.id_cred_sec.as_bytes()),
        ID_CRED_SEC_LEGACY_0
    );
    keys
}

fn speculos_wallet(net: Net) -> ConcordiumHdWallet {
    let seed = Phrase::parse(ledger_emulator::SPECULOS_PHRASE)
        .unwrap()
        .to_seed("");
    ConcordiumHdWallet::new(seed, net)
}

/// Sends one raw APDU (hex) over the real TCP transport; returns the reply as hex.
fn raw(transport: &mut SpeculosTransport, apdu_hex: &str) -> Result<String, LedgerError> {
    let apdu: Vec<u8> = (0..apdu_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&apdu_hex[i..i + 2], 16).unwrap())
        .collect();
    let r = transport.exchange(&apdu, Duration::from_secs(10), "a test request")?;
    Ok(hex::encode(r))
}

const KEY_1105: &str = "87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492";
const SIG_1105: &str = "3f499aa9fe41f0b911a3cccde3080143f10d108b2ba72343ad70fa03458333a328c542ce0685632b16636cc579fcfe715743c332eff416589631057eb0e08d04";
const PRF_LEGACY_0: &str = "48235b90248b6e552d59bf8b533292d25c5afd1f8e1ad5d1e00478794642ba38";
const ID_CRED_SEC_LEGACY_0: &str =
    "02a5a44c0b2e0abcaf313c77fa05f6449c092ad449a081098bd48515bf95e947";
const PRF_NEW_0_0: &str = "00beb8ab5d68b55f39dacc0d0847bb9cd62a327549d41a4dfe7c5845f70c5562";

/// An APDU as hex: class E0, instruction, P1, P2, data.
fn apdu_hex(ins: u8, p1: u8, p2: u8, data: &[u8]) -> String {
    hex::encode(Command::app(ins, p1, p2, data.to_vec()).encode().unwrap())
}

/// The table measured on the real app 5.1.3 under Speculos, byte for byte.
#[test]
fn emulated_5_1_3_answers_the_measured_table() {
    let server = start(EmulatedDevice::speculos(Generation::V5_1_3));
    let mut t = SpeculosTransport::connect(&server.address_string()).unwrap();
    let path = |nodes: &[u32]| encode_path(nodes).unwrap();
    // Get public key, legacy path 1105/0/0/0/0/2/0/0, silent, unsigned then signed.
    let legacy = path(&[1105, 0, 0, 0, 0, 2, 0, 0]);
    assert_eq!(
        raw(&mut t, &apdu_hex(0x01, 0x01, 0x00, &legacy)).unwrap(),
        format!("{KEY_1105}9000")
    );
    assert_eq!(
        raw(&mut t, &apdu_hex(0x01, 0x01, 0x01, &legacy)).unwrap(),
        format!("{KEY_1105}{SIG_1105}9000")
    );
    // Governance path 1105/0/1/0/0, signed.
    assert_eq!(
        raw(&mut t, &apdu_hex(0x01, 0x01, 0x01, &path(&[1105, 0, 1, 0, 0]))).unwrap(),
        "91fcf639f03a8e1c00ab0837383728c9a105df9d44c293b2436dddd7213bee1c\
         62cf20d6c17d1971e66808d325ce1fed188b26b0d543de9f25e5a1c5e46d979cbd2ab98bc4213159883837b9fffa67d43dc5bcbc7b694d164feea777abc4a30d9000"
    );
    // 5-node path 44/919/0/0/0, signed.
    assert_eq!(
        raw(&mut t, &apdu_hex(0x01, 0x01, 0x01, &path(&[44, 919, 0, 0, 0]))).unwrap(),
        "e31d69e500b0f83983fb6080aaa46129cf7c70e27d59b1aae9820b1d03f98402\
         52c415c2552d81fde03a9aef6bba24325711a5924b417d79324f60ef67466a017542c6423387fd0d7679cab784d8178bf15e10eb4cb2eef944d47611682c930c9000"
    );
    // INS 0x05, data 00 00000000 (legacy, identity 0): P1 00 PRF key; P1 02 PRF key ‖ idCredSec.
    assert_eq!(
        raw(&mut t, &apdu_hex(0x05, 0x00, 0x02, &[0, 0, 0, 0, 0])).unwrap(),
        format!("{PRF_LEGACY_0}9000")
    );
    assert_eq!(
        raw(&mut t, &apdu_hex(0x05, 0x02, 0x02, &[0, 0, 0, 0, 0])).unwrap(),
        format!("{PRF_LEGACY_0}{ID_CRED_SEC_LEGACY_0}9000")
    );
    // INS 0x05, data 01 00000000 00000000 (new path, idp 0, identity 0), P1 00.
    assert_eq!(
        raw(
            &mut t,
            &apdu_hex(0x05, 0x00, 0x02, &[1, 0, 0, 0, 0, 0, 0, 0, 0])
        )
        .unwrap(),
        format!("{PRF_NEW_0_0}9000")
    );
    // And the path 5.1.3 refuses: 44'/1'/… makes the app exit.
    assert!(matches!(
        raw(
            &mut t,
            &apdu_hex(0x01, 0x01, 0x01, &path(&[44, 1, 0, 0, 0, 0]))
        ),
        Err(LedgerError::AppClosed { .. })
    ));
}

/// The same table, asked through the bridge's operations where they exist.
#[test]
fn bridge_on_5_1_3() {
    let server = start(EmulatedDevice::speculos(Generation::V5_1_3));
    let mut l = bridge(&server);

    let info = l.app_info().unwrap();
    assert_eq!(info.name, "Concordium");
    assert_eq!(info.version, "5.1.3");
    assert_eq!(info.app_name.as_deref(), Some("Concordium"));

    let seed = Phrase::parse(ledger_emulator::SPECULOS_PHRASE)
        .unwrap()
        .to_seed("");
    let pairing = l.pairing_id().unwrap();
    assert_eq!(
        pairing.key,
        ExtendedKey::derive(seed.as_bytes(), &[1105, 0])
            .unwrap()
            .public_key()
    );

    let (legacy, k) = legacy_key_1105(&mut l);
    let shown = l.public_key(&legacy, true).unwrap();
    assert_eq!(shown.key, k.key);

    let mainnet = speculos_wallet(Net::Mainnet);
    let new = new_path_key(&mut l, Net::Mainnet, 1, 2, 3);

    let keys = legacy_identity_0_keys(&mut l);
    assert!(keys.blinding_randomness.is_none());

    let keys = l
        .export_identity_keys(&IdentityPath::New {
            net: Net::Mainnet,
            idp: 0,
            identity: 0,
        })
        .unwrap();
    assert_eq!(hex::encode(keys.prf_key.as_bytes()), PRF_NEW_0_0);
    assert_eq!(keys.prf_key, mainnet.prf_key(0, 0).unwrap());
    assert_eq!(keys.id_cred_sec, mainnet.id_cred_sec(0, 0).unwrap());

    // Verify address: the device shows what our own derivation computes.
    l.verify_address(&new).unwrap();
    l.verify_address(&legacy).unwrap();
    let legacy_prf = keygen_bls(
        ExtendedKey::derive(seed.as_bytes(), &[1105, 0, 0, 0, 0, 1])
            .unwrap()
            .private_key()
            .as_bytes(),
        b"",
    );
    let legacy_address = credential_id_from_prf(&legacy_prf, 0, &CommitmentKey::global())
        .unwrap()
        .account_address()
        .to_base58();
    let new_address = mainnet
        .account(1, 2, 3, &CommitmentKey::global())
        .unwrap()
        .public
        .address
        .to_base58();
    assert_eq!(
        *server.device.shown_addresses.lock().unwrap(),
        [new_address, legacy_address]
    );

    // Testnet new paths: 5.1.3 would exit, so nothing is sent.
    let before = server.device.instructions().len();
    let testnet = AccountPath::New {
        net: Net::Testnet,
        idp: 0,
        identity: 0,
        credential: 0,
    };
    for e in [
        l.public_key(&testnet, false).unwrap_err(),
        l.verify_address(&testnet).unwrap_err(),
        l.export_identity_keys(&IdentityPath::New {
            net: Net::Testnet,
            idp: 0,
            identity: 0,
        })
        .unwrap_err(),
    ] {
        assert!(
            matches!(e, LedgerError::UnsupportedByApp { ref version, .. } if version == "5.1.3"),
            "{e:?}"
        );
    }
    assert_eq!(server.device.instructions().len(), before);
    // Never an instruction 5.1.3 lacks.
    for (cla, ins) in server.device.instructions() {
        assert!(
            cla == 0xB0 || [0x00, 0x01, 0x05, 0x21].contains(&ins),
            "sent {ins:02x}"
        );
    }
}

#[test]
fn bridge_on_5_7_0() {
    let server = start(EmulatedDevice::speculos(Generation::V5_7_0));
    let mut l = bridge(&server);
    assert_eq!(l.app_info().unwrap().version, "5.7.0");

    legacy_key_1105(&mut l);

    for net in [Net::Mainnet, Net::Testnet] {
        let w = speculos_wallet(net);
        let path = new_path_key(&mut l, net, 4, 5, 6);
        let keys = l
            .export_identity_keys(&IdentityPath::New {
                net,
                idp: 4,
                identity: 5,
            })
            .unwrap();
        assert_eq!(keys.prf_key, w.prf_key(4, 5).unwrap());
        assert_eq!(keys.id_cred_sec, w.id_cred_sec(4, 5).unwrap());
        assert_eq!(
            keys.blinding_randomness.as_ref(),
            Some(&w.blinding_randomness(4, 5).unwrap())
        );
        l.verify_address(&path).unwrap();
        let shown = server.device.shown_addresses.lock().unwrap().pop().unwrap();
        assert_eq!(
            shown,
            w.account(4, 5, 6, &CommitmentKey::global())
                .unwrap()
                .public
                .address
                .to_base58()
        );
    }
    legacy_identity_0_keys(&mut l);
    // The legacy export went without the prefix byte, the new-path ones through INS 0x37.
    let sent = server.device.received.lock().unwrap().clone();
    assert!(sent.contains(&vec![0xE0, 0x05, 0x02, 0x02, 0x04, 0, 0, 0, 0]));
    assert!(sent.iter().any(|a| a[1] == 0x37 && a[3] == 0x01));
}

/// A device that reports 5.7.0 but is 5.1.3 inside: the bridge sends INS 0x37, the app exits,
/// and the bridge returns a typed error instead of hanging.
#[test]
fn an_app_that_closes_is_a_typed_error() {
    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.reported_version = Some("5.7.0");
    let server = start(device);
    let mut l = bridge(&server);
    let e = l
        .export_identity_keys(&IdentityPath::New {
            net: Net::Mainnet,
            idp: 0,
            identity: 0,
        })
        .unwrap_err();
    assert_eq!(
        e,
        LedgerError::AppClosed {
            operation: "exporting identity keys".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "The Concordium app closed; it may not support exporting identity keys. Open it again and check its version."
    );
    // The connection is gone; later requests fail the same way, at once.
    assert!(matches!(l.pairing_id(), Err(LedgerError::AppClosed { .. })));

    // Straight through the transport: INS 0x40 (5.4 and later) makes 5.1.3 exit.
    let server = start(EmulatedDevice::speculos(Generation::V5_1_3));
    let mut t = SpeculosTransport::connect(&server.address_string()).unwrap();
    assert!(matches!(
        raw(&mut t, "e040000000"),
        Err(LedgerError::AppClosed { .. })
    ));
}

/// 5.7.0 answers status words where 5.1.3 exits; each maps to its name.
#[test]
fn status_words_from_5_7_0() {
    let server = start(EmulatedDevice::speculos(Generation::V5_7_0));
    let mut t = SpeculosTransport::connect(&server.address_string()).unwrap();
    for (apdu, want) in [
        ("e099000000", StatusWord::InvalidIns),
        ("b1210000", StatusWord::WrongDataLength),
        ("a021000000", StatusWord::InvalidCla),
        ("e001090100", StatusWord::InvalidParam),
        ("e001010109020000002c00000005", StatusWord::InvalidPath),
    ] {
        let bytes = raw(&mut t, apdu).unwrap();
        let reply = Reply::parse(
            &(0..bytes.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&bytes[i..i + 2], 16).unwrap())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(reply.status, want, "{apdu}");
        assert!(matches!(
            status_to_result(reply.status, "x"),
            Err(LedgerError::Status { status, .. }) if status == want
        ));
    }
}

#[test]
fn rejected_on_the_device() {
    for generation in [Generation::V5_1_3, Generation::V5_7_0] {
        let mut device = EmulatedDevice::speculos(generation);
        device.approval = Approval::Reject;
        let server = start(device);
        let mut l = bridge(&server);
        let path = AccountPath::Legacy {
            identity: 0,
            credential: 0,
        };
        assert_eq!(l.verify_address(&path), Err(LedgerError::Rejected));
        assert_eq!(
            l.public_key(&path, true).unwrap_err(),
            LedgerError::Rejected
        );
        assert_eq!(
            l.export_identity_keys(&IdentityPath::Legacy { identity: 0 })
                .unwrap_err(),
            LedgerError::Rejected
        );
        // Silent requests need no approval.
        assert!(l.public_key(&path, false).is_ok());
    }
}

#[test]
fn nobody_at_the_device_is_a_timeout() {
    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.approval = Approval::Never;
    let server = start(device);
    let t = SpeculosTransport::connect(&server.address_string()).unwrap();
    let mut l = Ledger::with_timeouts(
        t,
        Timeouts {
            reply: Duration::from_secs(10),
            approval: Duration::from_millis(300),
        },
    );
    let e = l
        .verify_address(&AccountPath::Legacy {
            identity: 0,
            credential: 0,
        })
        .unwrap_err();
    assert!(
        matches!(e, LedgerError::Timeout { hint, .. } if hint.contains("nobody confirmed")),
        "{e:?}"
    );
}

#[test]
fn locked_device_and_other_app() {
    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.screen = Screen::Locked;
    let server = start(device);
    assert_eq!(bridge(&server).pairing_id(), Err(LedgerError::Locked));

    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.screen = Screen::Dashboard;
    let server = start(device);
    let e = bridge(&server).app_info().unwrap_err();
    assert_eq!(
        e,
        LedgerError::OtherAppOpen {
            app: "the dashboard".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "The Ledger has the dashboard open: open the Concordium app."
    );
}

/// A Speculos-framed server that misbehaves: announces a huge reply, or closes at once.
#[test]
fn speculos_transport_refuses_bad_framing() {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for (i, s) in listener.incoming().enumerate() {
            let mut s = s.unwrap();
            let mut buf = [0u8; 9];
            let _ = s.read_exact(&mut buf);
            if i == 0 {
                let _ = s.write_all(&0x0010_0000u32.to_be_bytes());
            }
            // i == 1: close without a reply
        }
    });
    let mut t = SpeculosTransport::connect(&addr).unwrap();
    assert!(matches!(
        raw(&mut t, "e021000000"),
        Err(LedgerError::BadReply(_))
    ));
    let mut t = SpeculosTransport::connect(&addr).unwrap();
    assert!(matches!(
        raw(&mut t, "e021000000"),
        Err(LedgerError::AppClosed { .. })
    ));
    assert!(matches!(
        SpeculosTransport::connect("not an address"),
        Err(LedgerError::InvalidRequest(_))
    ));
}

#[test]
fn index_of_2_pow_31_is_refused_before_sending() {
    let server = start(EmulatedDevice::speculos(Generation::V5_7_0));
    let mut l = bridge(&server);
    let e = l
        .public_key(
            &AccountPath::Legacy {
                identity: 1 << 31,
                credential: 0,
            },
            false,
        )
        .unwrap_err();
    assert!(matches!(e, LedgerError::InvalidRequest(_)));
    assert!(server.device.instructions().is_empty());
}
