//! Recovery phrases and Concordium key derivation against published vectors:
//! docs/references.md §A.4.6 (both seed tables, the three addresses, the ten keygen_bls vectors,
//! all 26 BIP39 vectors with passphrase "TREZOR" — Trezor's 24 and two more — and the negative
//! word counts), the SLIP-0010 ed25519 test vectors 1 and 2 (satoshilabs/slips slip-0010.md), plus
//! the behaviour of phrase checking, hex seeds and the restore scan.

mod common;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use common::{ART_24, TEST_SEED_1};
use wallet_core::keys::slip10::ExtendedKey;
use wallet_core::keys::{
    keygen_bls, AccountAddress, CommitmentKey, ConcordiumHdWallet, ContractAddress, CredentialId,
    KeyError, Net, Secret32, Seed, GLOBAL_COMMITMENT_KEY_HEX,
};
use wallet_core::phrase::{
    self, check, phrase_from_entropy, seed_from_hex, seed_from_phrase, suggest_words, Phrase,
    PhraseCheck, PhraseError, WALLET_WORD_COUNT,
};
use wallet_core::recovery::{
    restore, scan_accounts, AccountLookup, IdentityLookup, LookupError, RecoveryError,
    MAX_ACCOUNT_GAP, MAX_IDENTITY_GAP,
};

/// docs/references.md §A.4.6: the commitment key of the credId vectors.
const COMMITMENT_KEY: &str = "b14cbfe44a02c6b1f78711176d5f437295367aa4f2a8c2551ee10d25a03adc69d61a332a058971919dad7312e1fc94c5a8d45e64b6f917c540eee16c970c3d4b7f3caf48a7746284878e2ace21c82ea44bf84609834625be1f309988ac523fac";

fn wallet(net: Net) -> ConcordiumHdWallet {
    ConcordiumHdWallet::new(seed_from_hex(TEST_SEED_1).unwrap(), net)
}

fn key() -> CommitmentKey {
    CommitmentKey::from_hex(COMMITMENT_KEY).unwrap()
}

fn hex_of(s: &Secret32) -> String {
    s.to_hex().to_string()
}

// ---------------------------------------------------------------------------------------------
// §4.6 seed tables: Mainnet and Testnet
// ---------------------------------------------------------------------------------------------

/// How a derived value is written in the vector tables: keys as hex, addresses in Base58Check.
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for Secret32 {
    fn shown(&self) -> String {
        hex_of(self)
    }
}

impl Shown for [u8; 32] {
    fn shown(&self) -> String {
        hex::encode(self)
    }
}

impl Shown for CredentialId {
    fn shown(&self) -> String {
        self.to_hex()
    }
}

impl Shown for AccountAddress {
    fn shown(&self) -> String {
        self.to_string()
    }
}

/// One published value: the network, the derivation as written (so that a failure names it),
/// the derivation itself and the value of the table.
struct SeedVector {
    net: Net,
    call: &'static str,
    derive: fn(&ConcordiumHdWallet) -> String,
    expected: &'static str,
}

/// `vector!(Net method(args) [.then()] => "expected")`: a [`SeedVector`] whose failure message
/// is the call as written here.
macro_rules! vector {
    ($net:ident $method:ident($($arg:expr),*) $(.$then:ident())? => $expected:literal) => {
        SeedVector {
            net: Net::$net,
            call: concat!(stringify!($method), stringify!(($($arg),*)) $(, ".", stringify!($then), "()")?),
            derive: |w| w.$method($($arg),*).unwrap()$(.$then())?.shown(),
            expected: $expected,
        }
    };
}

#[test]
fn seed_table_vectors() {
    let vectors = [
        vector!(Mainnet account_signing_key(0, 55, 7) => "e4d1693c86eb9438feb9cbc3d561fbd9299e3a8b3a676eb2483b135f8dbf6eb1"),
        vector!(Mainnet account_public_key(1, 341, 9) => "d54aab7218fc683cbd4d822f7c2b4e7406c41ae08913012fab0fa992fa008e98"),
        vector!(Mainnet id_cred_sec(2, 115) => "33b9d19b2496f59ed853eb93b9d374482d2e03dd0a12e7807929d6ee54781bb1"),
        vector!(Mainnet prf_key(3, 35) => "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5"),
        vector!(Mainnet blinding_randomness(4, 5713) => "1e3633af2b1dbe5600becfea0324bae1f4fa29f90bdf419f6fba1ff520cb3167"),
        vector!(Mainnet attribute_commitment_randomness(5, 0, 4, 0) => "6ef6ba6490fa37cd517d2b89a12b77edf756f89df5e6f5597440630cd4580b8f"),
        vector!(Mainnet credential_id(10, 50, 5, &key()) => "8a3a87f3f38a7a507d1e85dc02a92b8bcaa859f5cf56accb3c1bc7c40e1789b4933875a38dd4c0646ca3e940a02c42d8"),
        vector!(Mainnet credential_id(10, 50, 5, &key()).account_address() => "4sdQUUaEmHKFV2uXCEuZxdiQRVvgCQweRQF7YHzuQUoCLVBH6P"),
        vector!(Mainnet vc_signing_key(ContractAddress::new(1, 2), 1) => "670d904509ce09372deb784e702d4951d4e24437ad3879188d71ae6db51f3301"),
        vector!(Mainnet vc_public_key(ContractAddress::new(3, 1232), 341) => "16afdb3cb3568b5ad8f9a0fa3c741b065642de8c53e58f7920bf449e63ff2bf9"),
        vector!(Mainnet vc_backup_encryption_key() => "5032086037b639f116642752460bf2e2b89d7278fe55511c028b194ba77192a1"),
        vector!(Testnet account_signing_key(0, 55, 7) => "aff97882c6df085e91ae2695a32d39dccb8f4b8d68d2f0db9637c3a95f845e3c"),
        vector!(Testnet account_public_key(1, 341, 9) => "ef6fd561ca0291a57cdfee896245db9803a86da74c9a6c1bf0252b18f8033003"),
        vector!(Testnet id_cred_sec(2, 115) => "33c9c538e362c5ac836afc08210f4b5d881ba65a0a45b7e353586dad0a0f56df"),
        vector!(Testnet prf_key(3, 35) => "41d794d0b06a7a31fb79bb76c44e6b87c63e78f9afe8a772fc64d20f3d9e8e82"),
        vector!(Testnet blinding_randomness(4, 5713) => "079eb7fe4a2e89007f411ede031543bd7f687d50341a5596e015c9f2f4c1f39b"),
        vector!(Testnet attribute_commitment_randomness(5, 0, 4, 0) => "409fa90314ec8fb4a2ae812fd77fe58bfac81765cad3990478ff7a73ba6d88ae"),
        vector!(Testnet credential_id(10, 50, 5, &key()) => "9535e4f2f964c955c1dd0f312f2edcbf4c7d036fe3052372a9ad949ff061b9b7ed6b00f93bc0713e381a93a43715206c"),
        vector!(Testnet credential_id(10, 50, 5, &key()).account_address() => "2xFQ4LhvNrF7xxFoewCBd7LerB7XpduQeP6s9xnqqjTjzv4vCM"),
        // The JS SDK's vector (its TypeScript literal has a stray trailing quote, not part of
        // the value).
        vector!(Testnet credential_id(0, 0, 1, &key()) => "b317d3fea7de56f8c96f6e72820c5cd502cc0eef8454016ee548913255897c6b52156cc60df965d3efb3f160eff6ced4"),
        vector!(Testnet credential_id(0, 0, 1, &key()).account_address() => "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"),
        vector!(Testnet vc_signing_key(ContractAddress::new(13, 0), 1) => "c75a161b97a1e204d9f31202308958e541e14f0b14903bd220df883bd06702bb"),
        vector!(Testnet vc_public_key(ContractAddress::new(17, 0), 341) => "c52a30475bac88da9e65471cf9cf59f99dcce22ce31de580b3066597746b394a"),
        vector!(Testnet vc_backup_encryption_key() => "10f85290e33b1a79a0330180c4b6c67fd9ad1a1dd3d0f918ab1cbcf8787fc3ca"),
    ];
    for v in &vectors {
        assert_eq!(
            (v.derive)(&wallet(v.net)),
            v.expected,
            "{:?} {}",
            v.net,
            v.call
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Derived accounts: consistency of the values that have no published vector of their own
// ---------------------------------------------------------------------------------------------

#[test]
fn derived_account_matches_the_individual_derivations() {
    use bls12_381::{G1Affine, G1Projective, Scalar};
    use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};

    let w = wallet(Net::Mainnet);
    let k = key();
    let account = w.account(10, 50, 5, &k).unwrap();
    let p = &account.public;
    assert_eq!(
        (p.net, p.idp, p.identity, p.credential),
        (Net::Mainnet, 10, 50, 5)
    );
    // The credId row of the Mainnet table.
    assert_eq!(
        p.cred_id.to_hex(),
        "8a3a87f3f38a7a507d1e85dc02a92b8bcaa859f5cf56accb3c1bc7c40e1789b4933875a38dd4c0646ca3e940a02c42d8"
    );
    assert_eq!(
        p.address.to_string(),
        "4sdQUUaEmHKFV2uXCEuZxdiQRVvgCQweRQF7YHzuQUoCLVBH6P"
    );
    assert_eq!(
        account.signing_key,
        w.account_signing_key(10, 50, 5).unwrap()
    );
    assert_eq!(p.public_key, w.account_public_key(10, 50, 5).unwrap());

    // The signing key signs what the public key verifies.
    let signer = SigningKey::from_bytes(account.signing_key.as_bytes());
    let verifier = VerifyingKey::from_bytes(&p.public_key).unwrap();
    let sig = signer.sign(b"abcd1234abcd5678");
    verifier.verify(b"abcd1234abcd5678", &sig).unwrap();

    // encryptionSecretKey = g ‖ 1/(prf + counter), and g^that is the credential id.
    let esk = account.encryption_secret_key.as_bytes();
    assert_eq!(&esk[..48], &k.g_compressed()[..]);
    assert_eq!(
        hex::encode(&esk[..48]),
        &COMMITMENT_KEY[..96],
        "g is the first 48 bytes of the commitment key"
    );
    let mut le = [0u8; 32];
    le.copy_from_slice(&esk[48..]);
    le.reverse();
    let exponent = Scalar::from_bytes(&le).unwrap();
    let g = G1Affine::from_compressed(&k.g_compressed()).unwrap();
    let id = G1Affine::from(G1Projective::from(g) * exponent).to_compressed();
    assert_eq!(id, *p.cred_id.as_bytes());
    // And the exponent really is 1/(prf + 5).
    let mut prf_le = *w.prf_key(10, 50).unwrap().as_bytes();
    prf_le.reverse();
    let prf = Scalar::from_bytes(&prf_le).unwrap();
    assert_eq!(exponent * (prf + Scalar::from(5u64)), Scalar::one());
}

#[test]
fn networks_derive_different_keys() {
    let m = wallet(Net::Mainnet).account(0, 0, 0, &key()).unwrap();
    let t = wallet(Net::Testnet).account(0, 0, 0, &key()).unwrap();
    assert_ne!(m.public.address, t.public.address);
    assert_ne!(m.signing_key, t.signing_key);
}

#[test]
fn identity_bundles_the_three_secrets() {
    let w = wallet(Net::Testnet);
    let id = w.identity(2, 115).unwrap();
    assert_eq!(
        hex_of(&id.id_cred_sec),
        "33c9c538e362c5ac836afc08210f4b5d881ba65a0a45b7e353586dad0a0f56df"
    );
    assert_eq!(id.prf_key, w.prf_key(2, 115).unwrap());
    assert_eq!(
        id.blinding_randomness,
        w.blinding_randomness(2, 115).unwrap()
    );
}

#[test]
fn secrets_are_not_in_debug_output() {
    let w = wallet(Net::Mainnet);
    let account = w.account(0, 55, 7, &key()).unwrap();
    let shown = format!("{account:?} {:?} {w:?}", w.identity(0, 55).unwrap());
    assert!(
        !shown.contains("e4d1693c86eb9438"),
        "signing key leaked: {shown}"
    );
    assert!(!shown.contains(&TEST_SEED_1[..16]), "seed leaked");
    assert!(!shown.contains(&hex_of(&w.prf_key(0, 55).unwrap())[..16]));
    // Public values are shown.
    assert!(shown.contains(&account.public.address.to_string()));
}

#[test]
fn address_parses_back() {
    let a: AccountAddress = "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"
        .parse()
        .unwrap();
    assert_eq!(
        a.to_string(),
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"
    );
    // One changed character breaks the checksum.
    assert_eq!(
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F8".parse::<AccountAddress>(),
        Err(KeyError::InvalidAddress)
    );
    assert!("not an address".parse::<AccountAddress>().is_err());
}

#[test]
fn addresses_are_validated_as_base58check_version_1_with_32_bytes() {
    use wallet_core::keys::validate_address;
    // The spec's vectors (docs/references.md §A.4.6) and the real CryptoX fixture's first account.
    for valid in [
        "4sdQUUaEmHKFV2uXCEuZxdiQRVvgCQweRQF7YHzuQUoCLVBH6P",
        "2xFQ4LhvNrF7xxFoewCBd7LerB7XpduQeP6s9xnqqjTjzv4vCM",
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7",
        "3Y1RLgi5pW3x96xZ7CiDiKsTL9huU92qn6mfxpebwmtkeku8ry",
    ] {
        let a = validate_address(valid).unwrap();
        assert_eq!(a.to_base58(), valid);
    }
    let payload = [0x5au8; 32];
    let with_version =
        |v: u8, bytes: &[u8]| bs58::encode(bytes).with_check_version(v).into_string();
    assert!(validate_address(&with_version(1, &payload)).is_ok());
    let refused = [
        // One character changed: the checksum does not match.
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F8".to_string(),
        // Version byte 0 and 2 instead of 1.
        with_version(0, &payload),
        with_version(2, &payload),
        // 31 and 33 bytes of payload.
        with_version(1, &payload[..31]),
        with_version(1, &[0x5au8; 33]),
        // Not Base58 (0, O, I, l and punctuation are not in the alphabet), empty, whitespace.
        "not-an-address!!".to_string(),
        "0Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7".to_string(),
        String::new(),
        " 4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7".to_string(),
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7\n".to_string(),
    ];
    for bad in &refused {
        assert_eq!(
            validate_address(bad),
            Err(KeyError::InvalidAddress),
            "{bad:?}"
        );
    }
}

#[test]
fn global_commitment_key_is_the_vector_key() {
    assert_eq!(GLOBAL_COMMITMENT_KEY_HEX, COMMITMENT_KEY);
    assert_eq!(CommitmentKey::global(), key());
}

#[test]
fn invalid_commitment_keys_are_refused() {
    let short = &COMMITMENT_KEY[..190];
    assert_eq!(
        CommitmentKey::from_hex(short).unwrap_err().to_string(),
        "The commitment key is invalid: it must be 192 hexadecimal characters (96 bytes), not 190 characters."
    );
    assert_eq!(
        CommitmentKey::from_hex(&COMMITMENT_KEY.replace('b', "x"))
            .unwrap_err()
            .to_string(),
        "The commitment key is invalid: it contains characters that are not hexadecimal digits."
    );
    // A changed x coordinate is (almost surely) not on the curve.
    let mut bytes = hex::decode(COMMITMENT_KEY).unwrap();
    bytes[10] ^= 1;
    let mut arr = [0u8; 96];
    arr.copy_from_slice(&bytes);
    assert!(matches!(
        CommitmentKey::from_bytes(&arr),
        Err(KeyError::InvalidCommitmentKey(_))
    ));
    // The same for the second point.
    arr.copy_from_slice(&hex::decode(COMMITMENT_KEY).unwrap());
    arr[60] ^= 1;
    assert!(matches!(
        CommitmentKey::from_bytes(&arr),
        Err(KeyError::InvalidCommitmentKey(_))
    ));
    // g = the identity (compressed: 0xc0 then zeros) is refused.
    arr.copy_from_slice(&hex::decode(COMMITMENT_KEY).unwrap());
    arr[..48].fill(0);
    arr[0] = 0xc0;
    let err = CommitmentKey::from_bytes(&arr).unwrap_err();
    assert!(err.to_string().contains("identity"), "{err}");
}

#[test]
fn indices_of_2_pow_31_or_more_are_refused() {
    let w = wallet(Net::Mainnet);
    assert_eq!(
        w.prf_key(0x8000_0000, 0).unwrap_err(),
        KeyError::IndexTooLarge { index: 0x8000_0000 }
    );
    assert!(w.id_cred_sec(0, u32::MAX).is_err());
    assert!(w.prf_key(0x7fff_ffff, 0).is_ok());
}

// ---------------------------------------------------------------------------------------------
// §4.6 keygen_bls vectors (concordium-base keygen_bls test_keygen)
// ---------------------------------------------------------------------------------------------

#[test]
fn keygen_bls_vectors() {
    let vectors = [
        (
            "09e74ad3ead373439388bf7cfb52b151c450632e67f3c84e6ed762bc0928d5eb",
            "57cb278c9deb055f12cc807c3068f2ce804654a54de54801f0cb6a774c211de2",
        ),
        (
            "9dcce7d6b6a70ddb382d2c212273ad9b99d8ea206353313beabc14b7e5833a0f",
            "273e082676db5baff938c9aa5f92ea73689a3de4bf20f71c4710eba2ced4925e",
        ),
        (
            "8a430bd1343b5cb1686961d7959095214952767f80bb681e465aebf467ca05c0",
            "710b517c90a46f8c13455e9d50ebe74ba660c611430e134bda449f766b605ac6",
        ),
        (
            "c940716ce93f72b2d4f9ff792193ee541e3748ff5b13f1bb01d5d091af4e2635",
            "340d8fe689c3c19064bdbadff74a23a57b22ff5ec56a9bb836923c1d9d1720ee",
        ),
        (
            "bc14d035741cd9225795ad1e7070a1b488deb0cc19daedcb47f12408cbfe71cc",
            "2b614017245f7b7bd2afc89e6cc9287391b7c063cd92f5dedf881f6d430558f6",
        ),
        (
            "00bbfd863df0068b841c12f6e6a8d6c571c80eaf37fae324c669d214f90a762c",
            "5dcba268f56cec11fac41f31779d35592baa44f7bc1e8278bf1ea394b452805d",
        ),
        (
            "30c0a09b5175febb462b64efe28475fa434b0ccfb05bc77d16fd2f1ba13bc05c",
            "2f72e2fedead5ab70eea0da85ab016cdd083b4805f6374ed4313ea1a643ff7b1",
        ),
        (
            "34a3f5d8b0cfaa9d235c8c1ecfbf10223259d45be5f4d30b33c697e19ac9e525",
            "32ce1b167e4220499c2033f2574611c5598f2cabfcdb0d5f2efc66c083ad9d91",
        ),
        (
            "d57e90d96aab5616c266568ad4659dfe985f8baf24042e5e28e901801944f49d",
            "5ca731e9adf63fa8ac75918824aaab3bafcea4480dfd8636b5d82ce693cfefaa",
        ),
        (
            "725150bb38d49fc2a7ad8a8cba1f0dc32c3a468739e88b9aa62c450ce3ce1f32",
            "397048d5f83ecb69fe96f3157bb5a350298248f8650b9092a8c55028fb577463",
        ),
    ];
    for (i, (input, expected)) in vectors.iter().enumerate() {
        let sk = keygen_bls(&hex::decode(input).unwrap(), b"");
        assert_eq!(hex_of(&sk), *expected, "keygen_bls vector {}", i + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// SLIP-0010 ed25519 test vectors 1 and 2 (satoshilabs/slips slip-0010.md, "Test vector 1/2 for
// ed25519"). Values copied from the stored copy of slip-0010.md (commit ac9e0ca3), not typed from
// memory; TV1 m and m/0H also appear in docs/references.md §C. The published public keys carry a
// 0x00 prefix, stripped here. Fingerprints are not checked (they need HASH160 of the parent key).
// ---------------------------------------------------------------------------------------------

struct Slip10Step {
    path: &'static [u32],
    chain_code: &'static str,
    private: &'static str,
    public: &'static str,
}

fn check_slip10(seed_hex: &str, steps: &[Slip10Step]) {
    let seed = hex::decode(seed_hex).unwrap();
    for step in steps {
        let k = ExtendedKey::derive(&seed, step.path).unwrap();
        assert_eq!(
            hex_of(k.chain_code()),
            step.chain_code,
            "chain code {:?}",
            step.path
        );
        assert_eq!(
            hex_of(k.private_key()),
            step.private,
            "private {:?}",
            step.path
        );
        assert_eq!(
            format!("00{}", hex::encode(k.public_key())),
            step.public,
            "public {:?}",
            step.path
        );
    }
}

#[test]
fn slip10_ed25519_test_vector_1() {
    check_slip10(
        "000102030405060708090a0b0c0d0e0f",
        &[
            Slip10Step {
                path: &[],
                chain_code: "90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb",
                private: "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7",
                public: "00a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed",
            },
            Slip10Step {
                path: &[0],
                chain_code: "8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69",
                private: "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3",
                public: "008c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c",
            },
            Slip10Step {
                path: &[0, 1],
                chain_code: "a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14",
                private: "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2",
                public: "001932a5270f335bed617d5b935c80aedb1a35bd9fc1e31acafd5372c30f5c1187",
            },
            Slip10Step {
                path: &[0, 1, 2],
                chain_code: "2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c",
                private: "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9",
                public: "00ae98736566d30ed0e9d2f4486a64bc95740d89c7db33f52121f8ea8f76ff0fc1",
            },
            Slip10Step {
                path: &[0, 1, 2, 2],
                chain_code: "8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc",
                private: "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662",
                public: "008abae2d66361c879b900d204ad2cc4984fa2aa344dd7ddc46007329ac76c429c",
            },
            Slip10Step {
                path: &[0, 1, 2, 2, 1_000_000_000],
                chain_code: "68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230",
                private: "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793",
                public: "003c24da049451555d51a7014a37337aa4e12d41e485abccfa46b47dfb2af54b7a",
            },
        ],
    );
}

#[test]
fn slip10_ed25519_test_vector_2() {
    check_slip10(
        "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542",
        &[
            Slip10Step {
                path: &[],
                chain_code: "ef70a74db9c3a5af931b5fe73ed8e1a53464133654fd55e7a66f8570b8e33c3b",
                private: "171cb88b1b3c1db25add599712e36245d75bc65a1a5c9e18d76f9f2b1eab4012",
                public: "008fe9693f8fa62a4305a140b9764c5ee01e455963744fe18204b4fb948249308a",
            },
            Slip10Step {
                path: &[0],
                chain_code: "0b78a3226f915c082bf118f83618a618ab6dec793752624cbeb622acb562862d",
                private: "1559eb2bbec5790b0c65d8693e4d0875b1747f4970ae8b650486ed7470845635",
                public: "0086fab68dcb57aa196c77c5f264f215a112c22a912c10d123b0d03c3c28ef1037",
            },
            Slip10Step {
                path: &[0, 2_147_483_647],
                chain_code: "138f0b2551bcafeca6ff2aa88ba8ed0ed8de070841f0c4ef0165df8181eaad7f",
                private: "ea4f5bfe8694d8bb74b7b59404632fd5968b774ed545e810de9c32a4fb4192f4",
                public: "005ba3b9ac6e90e83effcd25ac4e58a1365a9e35a3d3ae5eb07b9e4d90bcf7506d",
            },
            Slip10Step {
                path: &[0, 2_147_483_647, 1],
                chain_code: "73bd9fff1cfbde33a1b846c27085f711c0fe2d66fd32e139d3ebc28e5a4a6b90",
                private: "3757c7577170179c7868353ada796c839135b3d30554bbb74a4b1e4a5a58505c",
                public: "002e66aa57069c86cc18249aecf5cb5a9cebbfd6fadeab056254763874a9352b45",
            },
            Slip10Step {
                path: &[0, 2_147_483_647, 1, 2_147_483_646],
                chain_code: "0902fe8a29f9140480a00ef244bd183e8a13288e4412d8389d140aac1794825a",
                private: "5837736c89570de861ebc173b1086da4f505d4adb387c6a1b1342d5e4ac9ec72",
                public: "00e33c0f7d81d843c572275f287498e8d408654fdf0d1e065b84e2e6f157aab09b",
            },
            Slip10Step {
                path: &[0, 2_147_483_647, 1, 2_147_483_646, 2],
                chain_code: "5d70af781f3a37b829f0d060924d5e960bdc02e85423494afc0b1a41bbe196d4",
                private: "551d333177df541ad876a60ea71f00447931c0a9da16f227c11ea080d7391b8d",
                public: "0047150c75db263559a70d5778bf36abbab30fb061ad69f69ece61a72b0cfa4fc0",
            },
        ],
    );
}

#[test]
fn slip10_seed_length_and_index_limits() {
    assert_eq!(
        ExtendedKey::master(&[0u8; 15]).unwrap_err(),
        KeyError::SeedLength { len: 15 }
    );
    assert_eq!(
        ExtendedKey::master(&[0u8; 65]).unwrap_err(),
        KeyError::SeedLength { len: 65 }
    );
    assert!(ExtendedKey::master(&[0u8; 16]).is_ok());
    assert!(ExtendedKey::master(&[0u8; 64]).is_ok());
    let m = ExtendedKey::master(&[7u8; 32]).unwrap();
    assert_eq!(
        m.child(0x8000_0000).unwrap_err(),
        KeyError::IndexTooLarge { index: 0x8000_0000 }
    );
}

// ---------------------------------------------------------------------------------------------
// §4.6 BIP39 → seed vectors (Trezor's vectors and two more, passphrase "TREZOR")
// ---------------------------------------------------------------------------------------------

/// §4.6's list in its order: 26 phrases, all with passphrase "TREZOR". The 12-, 18- and 24-word
/// ones are Trezor's 24 English vectors (trezor/python-mnemonic vectors.json); the 15-word
/// ("impose cliff …") and 21-word ("half scissors …") ones come with them in concordium-base's
/// `key_derivation` tests.
const BIP39_VECTORS: [(&str, &str); 26] = [
    ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"),
    ("legal winner thank year wave sausage worth useful legal winner thank yellow", "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607"),
    ("letter advice cage absurd amount doctor acoustic avoid letter advice cage above", "d71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a0358d18d69fe4f985ec81778c1b370b652a8"),
    ("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069"),
    ("ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic", "274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38606aa6a8595ad213d4c9c9f9aca3fb217069a41028"),
    ("scheme spot photo card baby mountain device kick cradle pact join borrow", "ea725895aaae8d4c1cf682c1bfd2d358d52ed9f0f0591131b559e2724bb234fca05aa9c02c57407e04ee9dc3b454aa63fbff483a8b11de949624b9f1831a9612"),
    ("cat swing flag economy stadium alone churn speed unique patch report train", "deb5f45449e615feff5640f2e49f933ff51895de3b4381832b3139941c57b59205a42480c52175b6efcffaa58a2503887c1e8b363a707256bdd2b587b46541f5"),
    ("vessel ladder alter error federal sibling chat ability sun glass valve picture", "2aaa9242daafcee6aa9d7269f17d4efe271e1b9a529178d7dc139cd18747090bf9d60295d0ce74309a78852a9caadf0af48aae1c6253839624076224374bc63f"),
    ("impose cliff file course grab shift accuse feel head butter link trim wine convince entire", "b3b42d645dab8feda3a00c0f726b872c8f97d43066e32c7ee5fa0f04390ef4f3de038e3024c6d8460d4b3085292daaa86bcd6f121e7fe2470a6b7eeb41e35c64"),
    ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent", "035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f53b844d8a71dd9f439c52a3d7b3e8a79c906ac845fa"),
    ("legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will", "f2b94508732bcbacbcc020faefecfc89feafa6649a5491b8c952cede496c214a0c7b3c392d168748f2d4a612bada0753b52a1c7ac53c1e93abd5c6320b9e95dd"),
    ("letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always", "107d7c02a5aa6f38c58083ff74f04c607c2d2c0ecc55501dadd72d025b751bc27fe913ffb796f841c49b1d33b610cf0e91d3aa239027f5e99fe4ce9e5088cd65"),
    ("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when", "0cd6e5d827bb62eb8fc1e262254223817fd068a74b5b449cc2f667c3f1f985a76379b43348d952e2265b4cd129090758b3e3c2c49103b5051aac2eaeb890a528"),
    ("gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog", "628c3827a8823298ee685db84f55caa34b5cc195a778e52d45f59bcf75aba68e4d7590e101dc414bc1bbd5737666fbbef35d1f1903953b66624f910feef245ac"),
    ("horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap uncle crack brave", "fd579828af3da1d32544ce4db5c73d53fc8acc4ddb1e3b251a31179cdb71e853c56d2fcb11aed39898ce6c34b10b5382772db8796e52837b54468aeb312cfc3d"),
    ("light rule cinnamon wrap drastic word pride squirrel upgrade then income fatal apart sustain crack supply proud access", "4cbdff1ca2db800fd61cae72a57475fdc6bab03e441fd63f96dabd1f183ef5b782925f00105f318309a7e9c3ea6967c7801e46c8a58082674c860a37b93eda02"),
    ("scissors invite lock maple supreme raw rapid void congress muscle digital elegant little brisk hair mango congress clump", "7b4a10be9d98e6cba265566db7f136718e1398c71cb581e1b2f464cac1ceedf4f3e274dc270003c670ad8d02c4558b2f8e39edea2775c9e232c7cb798b069e88"),
    ("half scissors snack noble such gasp fiscal oxygen news mention twenty record vault novel race chunk junior leisure stamp novel must", "63ade55fc2d4b76b439b57cbb575a81daec28f210599ff3c624fb02239f8f36a4dbeeb03e3d89b9e7a0b2b114ef4e579b77a6d8bd86030b9a22e45b86cca09a6"),
    ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art", "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8"),
    ("legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title", "bc09fca1804f7e69da93c2f2028eb238c227f2e9dda30cd63699232578480a4021b146ad717fbb7e451ce9eb835f43620bf5c514db0f8add49f5d121449d3e87"),
    ("letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless", "c0c519bd0e91a2ed54357d9d1ebef6f5af218a153624cf4f2da911a0ed8f7a09e2ef61af0aca007096df430022f7a2b6fb91661a9589097069720d015e4e982f"),
    ("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote", "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad"),
    ("hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", "64c87cde7e12ecf6704ab95bb1408bef047c22db4cc7491c4271d170a1b213d20b385bc1588d9c7b38f1b39d415665b8a9030c9ec653d75e65f847d8fc1fc440"),
    ("panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside", "72be8e052fc4919d2adf28d5306b5474b0069df35b02303de8c1729c9538dbb6fc2d731d5f832193cd9fb6aeecbc469594a70e3dd50811b5067f3b88b28c3e8d"),
    ("all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform", "26e975ec644423f4a4c4f4215ef09b4bd7ef924e85d1d17c4cf3f136c2863cf6df0a475045652c57eb5fb41513ca2a2d67722b77e954b4b3fc11f7590449191d"),
    ("void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold", "01f5bced59dec48e362f2c45b5de68b9fd6c92c6634f44d6d40aab69056506f0e35524a518034ddc1192e1dacd32c1ed3eaa3c3b131c88ed8e7e54c49a5d0998"),
];

#[test]
fn bip39_vectors_with_passphrase_trezor() {
    let trezor_lengths = BIP39_VECTORS
        .iter()
        .filter(|(w, _)| [12, 18, 24].contains(&w.split(' ').count()))
        .count();
    assert_eq!(trezor_lengths, 24, "Trezor's 24 English vectors");
    for (i, (words, expected)) in BIP39_VECTORS.iter().enumerate() {
        let phrase = match check(words) {
            PhraseCheck::Valid(p) => p,
            other => panic!("vector {}: {other:?}", i + 1),
        };
        assert_eq!(phrase.word_count(), words.split(' ').count());
        assert_eq!(
            phrase.to_zeroizing_string().as_str(),
            *words,
            "vector {}",
            i + 1
        );
        let seed = seed_from_phrase(&phrase, "TREZOR");
        assert_eq!(seed.to_hex().as_str(), *expected, "vector {}", i + 1);
        assert_eq!(phrase.to_seed("TREZOR"), seed);
    }
}

#[test]
fn bip39_first_vector_is_also_in_the_vector_sources() {
    // docs/references.md §C [verified]: the same value as the first §4.6 vector.
    let p = Phrase::parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").unwrap();
    assert_eq!(
        seed_from_phrase(&p, "TREZOR").to_hex().as_str(),
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"
    );
}

#[test]
fn bip39_negative_word_counts() {
    for n in [11usize, 13, 14, 16, 17, 19, 20, 22, 23, 25] {
        let words = vec!["abandon"; n].join(" ");
        assert_eq!(
            check(&words),
            PhraseCheck::WrongWordCount { word_count: n },
            "{n} words"
        );
        assert_eq!(
            Phrase::parse(&words).unwrap_err(),
            PhraseError::WrongWordCount { found: n }
        );
    }
}

#[test]
fn phrases_from_trezor_entropies() {
    // The entropies of the Trezor vectors with repeated bytes (trezor/python-mnemonic vectors.json).
    let cases: [(u8, usize, &str); 12] = [
        (0x00, 16, "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"),
        (0x7f, 16, "legal winner thank year wave sausage worth useful legal winner thank yellow"),
        (0x80, 16, "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"),
        (0xff, 16, "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"),
        (0x00, 24, "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent"),
        (0x7f, 24, "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will"),
        (0x80, 24, "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always"),
        (0xff, 24, "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when"),
        (0x00, 32, "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"),
        (0x7f, 32, "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"),
        (0x80, 32, "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless"),
        (0xff, 32, "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote"),
    ];
    for (byte, len, words) in cases {
        let p = phrase_from_entropy(&vec![byte; len]).unwrap();
        assert_eq!(p.to_zeroizing_string().as_str(), words);
        assert_eq!(p.is_24_words(), len == 32);
    }
    assert_eq!(
        phrase_from_entropy(&[0u8; 17]).unwrap_err(),
        PhraseError::EntropyLength { len: 17 }
    );
}

// ---------------------------------------------------------------------------------------------
// Phrase checking as a person types
// ---------------------------------------------------------------------------------------------

fn replace_word(phrase: &str, index: usize, with: &str) -> String {
    let mut words: Vec<&str> = phrase.split(' ').collect();
    words[index] = with;
    words.join(" ")
}

#[test]
fn unknown_word_is_reported_by_position_with_suggestions() {
    let input = replace_word(ART_24, 3, "abandn");
    match check(&input) {
        PhraseCheck::UnknownWords {
            unknown,
            word_count,
        } => {
            assert_eq!(word_count, 24);
            assert_eq!(unknown.len(), 1);
            assert_eq!(unknown[0].index, 3);
            assert_eq!(unknown[0].position(), 4);
            assert_eq!(unknown[0].suggestions.first(), Some(&"abandon"));
        }
        other => panic!("{other:?}"),
    }
    let err = Phrase::parse(&input).unwrap_err();
    assert_eq!(err, PhraseError::UnknownWord { position: 4 });
    assert_eq!(
        err.to_string(),
        "Word 4 is not in the recovery-phrase word list."
    );
}

#[test]
fn several_unknown_words_and_a_wrong_count_are_reported_together() {
    // 23 words, two of them unknown: the unknown words come first, with the count alongside.
    let mut words: Vec<&str> = ART_24.split(' ').collect();
    words.pop();
    words[0] = "abandonn";
    words[22] = "xyzzy";
    match check(&words.join(" ")) {
        PhraseCheck::UnknownWords {
            unknown,
            word_count,
        } => {
            assert_eq!(word_count, 23);
            assert_eq!(
                unknown.iter().map(|u| u.index).collect::<Vec<_>>(),
                vec![0, 22]
            );
            assert_eq!(unknown[0].suggestions.first(), Some(&"abandon"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn typo_suggestions() {
    // One letter missing, one extra, one wrong, two swapped, two edits.
    let cases = [
        ("aple", "apple"),
        ("schme", "scheme"),
        ("legall", "legal"),
        ("lwgal", "legal"),
        ("lgeal", "legal"),
        ("ozo", "zoo"),
        ("wrnog", "wrong"),
        ("picnik", "picnic"),
        ("squirel", "squirrel"),
        ("catle", "cattle"),
        ("smoek", "smoke"),
        ("cinamon", "cinnamon"),
        ("sqirel", "squirrel"),
        ("bllesss", "bless"),
    ];
    for (typo, meant) in cases {
        let s = suggest_words(typo);
        assert!(s.contains(&meant), "{typo}: {s:?}");
        assert!(s.len() <= phrase::MAX_SUGGESTIONS);
    }
    // The most likely word comes first: closest, then the longest shared beginning.
    for (typo, meant) in [
        ("aple", "apple"),
        ("catle", "cattle"),
        ("sqirel", "squirrel"),
        ("lgeal", "legal"),
        ("wrnog", "wrong"),
        ("smoek", "smoke"),
    ] {
        assert_eq!(suggest_words(typo).first(), Some(&meant), "{typo}");
    }
    // Far from every word: no suggestion.
    assert_eq!(suggest_words("qqqqqqqq"), Vec::<&str>::new());
}

#[test]
fn partial_word_suggestions_for_word_by_word_entry() {
    assert_eq!(suggest_words("aban"), vec!["abandon"]);
    assert_eq!(&suggest_words("zo")[..2], &["zone", "zoo"]);
    // A complete word comes first, then longer words with that prefix.
    let art = suggest_words("art");
    assert_eq!(&art[..4], &["art", "artefact", "artist", "artwork"]);
    // Case, whitespace and accents do not matter for suggestions.
    assert_eq!(suggest_words("  ÁBAN "), vec!["abandon"]);
    assert_eq!(suggest_words(""), Vec::<&str>::new());
    assert_eq!(suggest_words("   "), Vec::<&str>::new());
    // BIP39 words are unique in their first four letters: the rest may be mistyped.
    assert_eq!(suggest_words("abanxyz").first(), Some(&"abandon"));
    assert!(phrase::is_word("Zoo"));
    assert!(!phrase::is_word("zo"));
}

#[test]
fn wrong_word_count() {
    let words: Vec<&str> = ART_24.split(' ').take(23).collect();
    assert_eq!(
        check(&words.join(" ")),
        PhraseCheck::WrongWordCount { word_count: 23 }
    );
    assert_eq!(
        PhraseError::WrongWordCount { found: 23 }.to_string(),
        "The recovery phrase has 23 words; it must have 24 (or 12, 15, 18 or 21 for phrases from other wallets)."
    );
}

#[test]
fn bad_checksum() {
    let input = replace_word(ART_24, 23, "abandon");
    assert_eq!(check(&input), PhraseCheck::BadChecksum { word_count: 24 });
    // Two swapped words.
    let swapped = "legal winner thank year wave sausage worth useful legal winner yellow thank";
    assert_eq!(check(swapped), PhraseCheck::BadChecksum { word_count: 12 });
    assert_eq!(
        Phrase::parse(swapped).unwrap_err(),
        PhraseError::BadChecksum
    );
}

#[test]
fn empty_input() {
    assert_eq!(check(""), PhraseCheck::Empty);
    assert_eq!(check(" \n\t "), PhraseCheck::Empty);
    assert_eq!(Phrase::parse("  ").unwrap_err(), PhraseError::Empty);
}

#[test]
fn whitespace_and_case_are_normalised() {
    let messy = format!(
        "  {}\n",
        ART_24
            .split(' ')
            .enumerate()
            .map(|(i, w)| if i % 2 == 0 {
                w.to_uppercase()
            } else {
                w.to_string()
            })
            .collect::<Vec<_>>()
            .join(" \t\r\n  ")
    );
    let p = match check(&messy) {
        PhraseCheck::Valid(p) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(p.to_zeroizing_string().as_str(), ART_24);
    assert!(p.is_24_words());
    assert_eq!(p.word_count(), WALLET_WORD_COUNT);
    assert_eq!(
        seed_from_phrase(&p, "TREZOR").to_hex().as_str(),
        "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8"
    );
}

#[test]
fn nfkd_full_width_letters_and_ideographic_spaces() {
    // Full-width Latin letters (U+FF41…) decompose to ASCII under NFKD; U+3000 and U+00A0 are
    // spaces.
    let full_width = |w: &str| -> String {
        w.chars()
            .map(|c| char::from_u32(c as u32 - 'a' as u32 + 0xFF41).unwrap())
            .collect()
    };
    let input = ART_24
        .split(' ')
        .map(full_width)
        .collect::<Vec<_>>()
        .join("\u{3000}");
    let input = input.replacen('\u{3000}', "\u{00A0}", 1);
    let p = match check(&input) {
        PhraseCheck::Valid(p) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(p.to_zeroizing_string().as_str(), ART_24);
}

#[test]
fn passphrase_is_nfkd_normalised() {
    let p = Phrase::parse(ART_24).unwrap();
    let composed = seed_from_phrase(&p, "caf\u{e9}");
    let decomposed = seed_from_phrase(&p, "cafe\u{301}");
    assert_eq!(composed, decomposed);
    assert_ne!(composed, seed_from_phrase(&p, "cafe"));
    // The empty passphrase (Concordium's) differs from "TREZOR".
    assert_ne!(seed_from_phrase(&p, ""), seed_from_phrase(&p, "TREZOR"));
}

#[test]
fn shorter_valid_phrases_are_valid_but_not_24_words() {
    let p = Phrase::parse("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong").unwrap();
    assert_eq!(p.word_count(), 12);
    assert!(!p.is_24_words());
}

#[test]
fn generated_phrases_are_valid_24_word_phrases() {
    let a = phrase::generate().unwrap();
    let b = phrase::generate().unwrap();
    assert!(a.is_24_words());
    assert_ne!(a, b, "two random phrases are equal");
    let text = a.to_zeroizing_string();
    match check(&text) {
        PhraseCheck::Valid(p) => assert_eq!(p, a),
        other => panic!("{other:?}"),
    }
    assert_eq!(a.words().count(), 24);
}

#[test]
fn phrase_and_seed_debug_are_redacted() {
    let p = Phrase::parse(ART_24).unwrap();
    let shown = format!("{p:?} {:?} {:?}", p.to_seed(""), check(ART_24));
    assert!(!shown.contains("abandon"), "{shown}");
    assert!(!shown.contains("art "), "{shown}");
    let seed = seed_from_hex(TEST_SEED_1).unwrap();
    assert!(!format!("{seed:?}").contains("efa5e273"));
    let unknown = check(&replace_word(ART_24, 3, "abandn"));
    assert!(!format!("{unknown:?}").contains("abandon"));
}

// ---------------------------------------------------------------------------------------------
// Hex seeds
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_from_hex_accepts_128_hex_characters() {
    let s = seed_from_hex(TEST_SEED_1).unwrap();
    assert_eq!(s.to_hex().as_str(), TEST_SEED_1);
    let upper = format!("  {}\n", TEST_SEED_1.to_uppercase());
    assert_eq!(seed_from_hex(&upper).unwrap(), s);
    assert_eq!(
        seed_from_hex(&TEST_SEED_1[..126]).unwrap_err(),
        PhraseError::SeedLength { found: 126 }
    );
    assert_eq!(
        seed_from_hex(&format!("{TEST_SEED_1}00")).unwrap_err(),
        PhraseError::SeedLength { found: 130 }
    );
    let bad = format!("{}zz", &TEST_SEED_1[..126]);
    assert_eq!(seed_from_hex(&bad).unwrap_err(), PhraseError::SeedNotHex);
    let non_ascii = format!("{}é", &TEST_SEED_1[..127]);
    assert_eq!(
        seed_from_hex(&non_ascii).unwrap_err(),
        PhraseError::SeedNotHex
    );
    assert_eq!(
        seed_from_hex("").unwrap_err(),
        PhraseError::SeedLength { found: 0 }
    );
}

#[test]
fn phrase_seed_feeds_the_key_derivation() {
    // Phrase → seed → keys: the same as deriving from the seed's hex.
    let p = Phrase::parse(ART_24).unwrap();
    let seed: Seed = p.to_seed("");
    let hex_seed = seed_from_hex(&seed.to_hex()).unwrap();
    let a = ConcordiumHdWallet::new(seed, Net::Mainnet)
        .account(0, 0, 0, &key())
        .unwrap();
    let b = ConcordiumHdWallet::new(hex_seed, Net::Mainnet)
        .account(0, 0, 0, &key())
        .unwrap();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------
// Restore scan
// ---------------------------------------------------------------------------------------------

/// An in-process chain: the accounts that exist, and a count of the lookups made.
struct Chain {
    net: Net,
    addresses: HashSet<AccountAddress>,
    cred_ids: HashSet<CredentialId>,
    lookups: Cell<u32>,
    fail_at: Option<u32>,
}

impl Chain {
    /// Accounts (idp, identity, credential) of TEST_SEED_1 on `net`.
    fn with(net: Net, accounts: &[(u32, u32, u8)]) -> Self {
        let w = wallet(net);
        let mut addresses = HashSet::new();
        let mut cred_ids = HashSet::new();
        for &(idp, identity, credential) in accounts {
            let id = w.credential_id(idp, identity, credential, &key()).unwrap();
            cred_ids.insert(id);
            addresses.insert(id.account_address());
        }
        Chain {
            net,
            addresses,
            cred_ids,
            lookups: Cell::new(0),
            fail_at: None,
        }
    }
}

impl AccountLookup for Chain {
    fn account_exists(
        &self,
        net: Net,
        cred_id: &CredentialId,
        address: &AccountAddress,
    ) -> Result<bool, LookupError> {
        assert_eq!(net, self.net);
        assert_eq!(cred_id.account_address(), *address);
        self.lookups.set(self.lookups.get() + 1);
        if self.fail_at == Some(self.lookups.get()) {
            return Err(LookupError::Failed("the node did not answer".into()));
        }
        let by_address = self.addresses.contains(address);
        assert_eq!(by_address, self.cred_ids.contains(cred_id));
        Ok(by_address)
    }
}

/// An identity provider that knows some (idp, identity index) pairs.
struct Providers {
    known: HashSet<(u32, u32)>,
    asked: RefCell<Vec<(u32, u32)>>,
}

impl IdentityLookup for Providers {
    fn identity_exists(
        &self,
        identity: &wallet_core::keys::IdentitySecrets,
    ) -> Result<bool, LookupError> {
        self.asked
            .borrow_mut()
            .push((identity.idp, identity.identity));
        Ok(self.known.contains(&(identity.idp, identity.identity)))
    }
}

fn credentials(r: &wallet_core::recovery::RestoredIdentity) -> Vec<u8> {
    r.accounts.iter().map(|a| a.public.credential).collect()
}

#[test]
fn restore_finds_accounts_and_stops_after_20_misses() {
    assert_eq!((MAX_ACCOUNT_GAP, MAX_IDENTITY_GAP), (20, 20));
    let w = wallet(Net::Testnet);
    let chain = Chain::with(Net::Testnet, &[(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 5)]);
    let restored = restore(&w, &[0], &key(), &chain, None).unwrap();

    assert_eq!(restored.net, Net::Testnet);
    assert_eq!(restored.identities.len(), 1);
    let id = &restored.identities[0];
    assert_eq!((id.idp(), id.index()), (0, 0));
    assert!(!id.confirmed_by_provider);
    assert_eq!(credentials(id), vec![0, 1, 2, 5]);
    assert_eq!(id.next_credential(), 6);
    // Identity 0: counters 0..=25 (5 is the last hit, then 20 misses: 6..=25) = 26 lookups.
    // Identities 1..=20 are empty: 20 lookups each, then the identity gap of 20 stops the scan.
    assert_eq!(chain.lookups.get(), 26 + 20 * 20);

    // The restored keys are the derived keys.
    for a in &id.accounts {
        let expected = w.account(0, 0, a.public.credential, &key()).unwrap();
        assert_eq!(*a, expected);
    }
    assert_eq!(id.secrets, w.identity(0, 0).unwrap());

    // Public values without secrets.
    let public = restored.public_accounts();
    assert_eq!(public.len(), 4);
    assert_eq!(restored.account_count(), 4);
    assert!(public.iter().all(|p| chain.addresses.contains(&p.address)));
    let shown = format!("{restored:?}");
    assert!(!shown.contains(&hex_of(&id.accounts[0].signing_key)));
    assert!(!shown.contains(&hex_of(&id.secrets.prf_key)));
}

#[test]
fn a_gap_of_19_is_crossed_and_a_gap_of_20_is_not() {
    let w = wallet(Net::Testnet);
    // Counters 1..=19 empty (19 misses): 20 is found.
    let chain = Chain::with(Net::Testnet, &[(0, 0, 0), (0, 0, 20)]);
    let r = restore(&w, &[0], &key(), &chain, None).unwrap();
    assert_eq!(credentials(&r.identities[0]), vec![0, 20]);
    assert_eq!(chain.lookups.get(), 41 + 20 * 20);

    // Counters 1..=20 empty (20 misses): 21 is never looked up.
    let chain = Chain::with(Net::Testnet, &[(0, 0, 0), (0, 0, 21)]);
    let r = restore(&w, &[0], &key(), &chain, None).unwrap();
    assert_eq!(credentials(&r.identities[0]), vec![0]);
    assert_eq!(chain.lookups.get(), 21 + 20 * 20);
}

#[test]
fn identity_gap_without_an_identity_lookup() {
    let w = wallet(Net::Testnet);
    // Identity 20 follows 19 empty indices and is found; identity 41 follows 20 and is not.
    let chain = Chain::with(
        Net::Testnet,
        &[
            (0, 0, 0),
            (0, 0, 1),
            (0, 0, 2),
            (0, 0, 5),
            (0, 20, 0),
            (0, 41, 0),
        ],
    );
    let r = restore(&w, &[0], &key(), &chain, None).unwrap();
    let found: Vec<(u32, Vec<u8>)> = r
        .identities
        .iter()
        .map(|i| (i.index(), credentials(i)))
        .collect();
    assert_eq!(found, vec![(0, vec![0, 1, 2, 5]), (20, vec![0])]);
    // 26 for identity 0, 20 each for 1..=19, 21 for identity 20, 20 each for 21..=40.
    assert_eq!(chain.lookups.get(), 26 + 19 * 20 + 21 + 20 * 20);
}

#[test]
fn restore_with_an_identity_lookup_scans_only_confirmed_identities() {
    let w = wallet(Net::Testnet);
    let chain = Chain::with(
        Net::Testnet,
        &[(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 5), (3, 21, 0)],
    );
    let providers = Providers {
        // Provider 0: identities 0 and 20 (19 empty between: found). Provider 3: only 21 (20
        // empty before it: never asked).
        known: [(0, 0), (0, 20), (3, 21)].into_iter().collect(),
        asked: RefCell::new(Vec::new()),
    };
    let r = restore(&w, &[0, 3], &key(), &chain, Some(&providers)).unwrap();
    let found: Vec<(u32, u32, bool, Vec<u8>)> = r
        .identities
        .iter()
        .map(|i| (i.idp(), i.index(), i.confirmed_by_provider, credentials(i)))
        .collect();
    assert_eq!(
        found,
        vec![(0, 0, true, vec![0, 1, 2, 5]), (0, 20, true, vec![])]
    );
    let asked = providers.asked.borrow();
    // Provider 0: indices 0..=40 (the last hit is 20, then 20 misses); provider 3: 0..=19.
    assert_eq!(asked.len(), 41 + 20);
    assert_eq!(
        asked[..41],
        (0..=40).map(|i| (0, i)).collect::<Vec<_>>()[..]
    );
    assert_eq!(asked[41..], (0..20).map(|i| (3, i)).collect::<Vec<_>>()[..]);
    // Accounts are looked up only for the two confirmed identities: 26 + 20.
    assert_eq!(chain.lookups.get(), 26 + 20);
    assert_eq!(r.identities[1].next_credential(), 0);
}

#[test]
fn scan_accounts_of_a_known_identity_from_a_counter() {
    let w = wallet(Net::Testnet);
    let chain = Chain::with(Net::Testnet, &[(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 5)]);
    let found = scan_accounts(&w, 0, 0, 3, &key(), &chain).unwrap();
    assert_eq!(
        found
            .iter()
            .map(|a| a.public.credential)
            .collect::<Vec<_>>(),
        vec![5]
    );
    assert_eq!(chain.lookups.get(), 23); // counters 3..=25
}

#[test]
fn restore_of_an_unused_provider_or_network_finds_nothing() {
    let chain = Chain::with(Net::Mainnet, &[(0, 0, 0)]);
    // Provider 1 has nothing: 20 empty identities of 20 misses each.
    let r = restore(&wallet(Net::Mainnet), &[1], &key(), &chain, None).unwrap();
    assert!(r.identities.is_empty());
    assert_eq!(chain.lookups.get(), 20 * 20);
    let r = restore(&wallet(Net::Mainnet), &[0], &key(), &chain, None).unwrap();
    assert_eq!(r.account_count(), 1);
    // The Testnet keys of the same seed are other accounts.
    let testnet_chain = Chain {
        net: Net::Testnet,
        ..Chain::with(Net::Mainnet, &[(0, 0, 0)])
    };
    let r = restore(&wallet(Net::Testnet), &[0], &key(), &testnet_chain, None).unwrap();
    assert!(r.identities.is_empty());
}

#[test]
fn a_failed_lookup_stops_the_restore() {
    let w = wallet(Net::Testnet);
    let mut chain = Chain::with(Net::Testnet, &[(0, 0, 0)]);
    chain.fail_at = Some(3);
    let err = restore(&w, &[0], &key(), &chain, None).unwrap_err();
    assert_eq!(
        err,
        RecoveryError::Lookup(LookupError::Failed("the node did not answer".into()))
    );
    assert_eq!(
        err.to_string(),
        "The lookup failed: the node did not answer."
    );
    assert_eq!(chain.lookups.get(), 3);
}

#[test]
fn hex_seeds_of_the_wrong_length_or_with_stray_characters_get_a_seed_message() {
    use phrase::seed_from_phrase_or_hex;
    let good = TEST_SEED_1;
    assert_eq!(
        seed_from_phrase_or_hex(&format!("  {good}\n")).unwrap(),
        seed_from_hex(good).unwrap()
    );
    assert_eq!(
        seed_from_phrase_or_hex(&good[..127]),
        Err(PhraseError::SeedLength { found: 127 })
    );
    assert_eq!(
        seed_from_phrase_or_hex(&format!("{good}0")),
        Err(PhraseError::SeedLength { found: 129 })
    );
    let mut stray = good.to_string();
    stray.replace_range(5..6, "g");
    assert_eq!(
        seed_from_phrase_or_hex(&stray),
        Err(PhraseError::SeedNotHex)
    );
    for e in [
        seed_from_phrase_or_hex(&good[..127]).unwrap_err(),
        seed_from_phrase_or_hex(&stray).unwrap_err(),
    ] {
        assert!(!e.to_string().contains("Word"), "{e}");
    }
    // A phrase is still a phrase, and a short unknown word is still a word.
    let words = "abandon ".repeat(23) + "art";
    assert_eq!(
        seed_from_phrase_or_hex(&words).unwrap(),
        check(&words).into_result().unwrap().to_seed("")
    );
    assert_eq!(
        seed_from_phrase_or_hex("deadbeef"),
        Err(PhraseError::UnknownWord { position: 1 })
    );
}

#[test]
fn an_invisible_character_inside_a_word_is_reported_as_such() {
    for invisible in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
        let phrase = format!("{} aban{invisible}don art", "abandon ".repeat(21));
        match check(&phrase) {
            PhraseCheck::UnknownWords {
                unknown,
                word_count,
            } => {
                assert_eq!(word_count, 23);
                assert_eq!(unknown.len(), 1);
                assert_eq!(unknown[0].position(), 22);
                assert!(unknown[0].invisible);
                assert_eq!(unknown[0].suggestions.first(), Some(&"abandon"));
            }
            other => panic!("{invisible:?}: {other:?}"),
        }
        let err = Phrase::parse(&phrase).unwrap_err();
        assert_eq!(err, PhraseError::InvisibleCharacter { position: 22 });
        assert!(err.to_string().contains("invisible character"), "{err}");
    }
    // A visible typo is an unknown word, as before.
    let typo = format!("{}abandn art", "abandon ".repeat(22));
    match check(&typo) {
        PhraseCheck::UnknownWords { unknown, .. } => assert!(!unknown[0].invisible),
        other => panic!("{other:?}"),
    }
}
