//! The secrets of the secret-hygiene tests (tests/secret_hygiene.rs for the library,
//! cli/tests/secret_hygiene.rs for the command line), the emulated Ledger's among them
//! (tests/ledger_emulator), and the search for them in output.
#![allow(dead_code)]

use crate::ledger_emulator::SPECULOS_PHRASE;
use wallet_core::keys::{
    CommitmentKey, ConcordiumHdWallet, DerivedAccount, ExtendedKey, IdentitySecrets, Net, Seed,
};
use wallet_core::model::WalletData;
use wallet_core::phrase::Phrase;

pub const PASSWORD: &str = "Hygiene-Pa55phrase-Ω-7319";
pub const WRONG_PASSWORD: &str = "Wrong-Pa55phrase-Ω-2846";
pub const NEW_PASSWORD: &str = "Fresh-Pa55phrase-Ж-5521";
/// A 24-word BIP39 test vector (entropy 0x7f…7f).
pub const PHRASE: &str =
    "legal winner thank year wave sausage worth useful legal winner thank year \
                      wave sausage worth useful legal winner thank year wave sausage worth title";
/// The phrase with word 6 mistyped.
pub const TYPO_WORD: &str = "sausgae";
/// commitmentsRandomness values (not derived from the seed, so given here).
pub const RANDOMNESS: &str = "c0ffee11c0ffee22c0ffee33c0ffee44c0ffee55c0ffee66c0ffee77c0ffee88";

pub fn typo_phrase() -> String {
    PHRASE.replacen("sausage", TYPO_WORD, 1)
}

/// Everything secret in one place, derived from [`PHRASE`].
pub struct Secrets {
    pub seed: Seed,
    pub account: DerivedAccount,
    pub identity: IdentitySecrets,
}

impl Secrets {
    pub fn new() -> Self {
        let seed = Phrase::parse(PHRASE).unwrap().to_seed("");
        let wallet = ConcordiumHdWallet::new(seed.clone(), Net::Testnet);
        let account = wallet.account(0, 0, 0, &CommitmentKey::global()).unwrap();
        let identity = wallet.identity(0, 0).unwrap();
        Self {
            seed,
            account,
            identity,
        }
    }

    /// The secret key material, as byte strings.
    pub fn key_bytes(&self) -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("seed", self.seed.as_bytes().to_vec()),
            ("signKey", self.account.signing_key.as_bytes().to_vec()),
            (
                "encryptionSecretKey",
                self.account.encryption_secret_key.as_bytes().to_vec(),
            ),
            ("idCredSec", self.identity.id_cred_sec.as_bytes().to_vec()),
            ("prfKey", self.identity.prf_key.as_bytes().to_vec()),
            (
                "blindingRandomness",
                self.identity.blinding_randomness.as_bytes().to_vec(),
            ),
        ]
    }

    /// A wallet whose secret fields hold these keys.
    pub fn wallet_json(&self) -> String {
        let s = |name: &str| {
            let (_, bytes) = self
                .key_bytes()
                .into_iter()
                .find(|(n, _)| *n == name)
                .unwrap();
            hex::encode(bytes)
        };
        format!(
            r#"{{"type":"concordium-mobile-wallet-data","v":1,"environment":"testnet",
            "value":{{"identities":[{{"name":"Hygiene identity","nextAccountNumber":1,
              "privateIdObjectData":{{"aci":{{"credentialHolderInformation":{{"idCredSecret":"{}"}},"prfKey":"{}"}},"randomness":"{}"}},
              "accounts":[{{"name":"Hygiene account","address":"{}",
                "accountKeys":{{"keys":{{"0":{{"keys":{{"0":{{"signKey":"{}","verifyKey":"{}"}}}},"threshold":1}}}},"threshold":1}},
                "commitmentsRandomness":{{"idCredSecRand":"{RANDOMNESS}","prfRand":"{RANDOMNESS}"}},
                "encryptionSecretKey":"{}"}}]}}],
            "recipients":[{{"name":"Hygiene contact","address":"{}"}}]}}}}"#,
            s("idCredSec"),
            s("prfKey"),
            s("blindingRandomness"),
            self.account.public.address.to_base58(),
            s("signKey"),
            hex::encode(self.account.public.public_key),
            s("encryptionSecretKey"),
            self.account.public.address.to_base58(),
        )
    }

    pub fn wallet(&self) -> WalletData {
        WalletData::from_json(self.wallet_json().as_bytes()).unwrap()
    }

    /// What must never appear in output: each with a name for the failure message.
    pub fn needles(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("password".to_string(), PASSWORD.to_string()),
            ("wrong password".into(), WRONG_PASSWORD.into()),
            ("new password".into(), NEW_PASSWORD.into()),
            ("password hex".into(), hex::encode(PASSWORD.as_bytes())),
            ("phrase".into(), PHRASE.into()),
            ("typed word".into(), TYPO_WORD.into()),
            ("commitment randomness".into(), RANDOMNESS.into()),
        ];
        // Any two neighbouring words of the phrase (single words are list words, which hints
        // may show; two in a row are part of the phrase).
        let words: Vec<&str> = PHRASE.split_whitespace().collect();
        for pair in words.windows(2) {
            out.push(("two phrase words".into(), pair.join(" ")));
        }
        for (name, bytes) in self.key_bytes() {
            out.extend(byte_needles(name, &bytes));
        }
        out.extend(ledger_needles());
        out
    }
}

/// The emulated Ledger's secrets: its phrase, and the identity keys the child exports from it
/// (new path 0/0, and the raw legacy seeds of identity 0).
pub fn ledger_needles() -> Vec<(String, String)> {
    let words: Vec<&str> = SPECULOS_PHRASE.split_whitespace().collect();
    let mut out: Vec<(String, String)> = words
        .windows(2)
        .map(|pair| ("two Ledger phrase words".to_string(), pair.join(" ")))
        .collect();
    let seed = Phrase::parse(SPECULOS_PHRASE).unwrap().to_seed("");
    let identity = ConcordiumHdWallet::new(seed.clone(), Net::Testnet)
        .identity(0, 0)
        .unwrap();
    let legacy_seed = |leaf: u32| {
        ExtendedKey::derive(seed.as_bytes(), &[1105, 0, 0, 0, 0, leaf])
            .unwrap()
            .private_key()
            .as_bytes()
            .to_vec()
    };
    for (name, bytes) in [
        ("Ledger seed", seed.as_bytes().to_vec()),
        ("Ledger prfKey", identity.prf_key.as_bytes().to_vec()),
        ("Ledger idCredSec", identity.id_cred_sec.as_bytes().to_vec()),
        (
            "Ledger blindingRandomness",
            identity.blinding_randomness.as_bytes().to_vec(),
        ),
        ("Ledger legacy idCredSec seed", legacy_seed(0)),
        ("Ledger legacy PRF seed", legacy_seed(1)),
    ] {
        out.extend(byte_needles(name, &bytes));
    }
    out
}

/// A byte string as it could appear in text: hex either case, Base64, `Debug` of the bytes.
pub fn byte_needles(name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    use base64::Engine;
    let h = hex::encode(bytes);
    let dbg = format!("{:?}", &bytes[..8]);
    vec![
        (format!("{name} (hex)"), h[..32].to_string()),
        (format!("{name} (HEX)"), h[..32].to_uppercase()),
        (
            format!("{name} (Base64)"),
            base64::engine::general_purpose::STANDARD.encode(bytes)[..20].to_string(),
        ),
        (
            format!("{name} (Debug bytes)"),
            dbg.trim_end_matches(']').to_string(),
        ),
    ]
}

/// Panics naming the first needle found in `haystack` (without printing the secret itself).
pub fn assert_clean(what: &str, haystack: &str, needles: &[(String, String)]) {
    for (name, needle) in needles {
        assert!(
            !haystack.contains(needle.as_str()),
            "{what} shows the {name}"
        );
    }
}
