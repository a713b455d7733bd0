//! Whether an account of wallet data carries its keys, or names the Ledger that holds them.

use serde_json::Value;

use crate::model::Account;

/// True when an account carries keys: a non-empty `accountKeys` object and a non-empty
/// `encryptionSecretKey`.
pub fn has_keys(account: &Account) -> bool {
    matches!(&account.account_keys.0, Value::Object(m) if !m.is_empty())
        && !account.encryption_secret_key.0.is_empty()
}

/// The pairing identifier in an account's or identity's `ledger` field (`{"pairingId": hex, …}`),
/// which marks it as Ledger-backed: its keys are on that Ledger, not in the wallet.
pub fn ledger_pairing_id(extra: &serde_json::Map<String, Value>) -> Option<String> {
    extra
        .get("ledger")?
        .get("pairingId")?
        .as_str()
        .map(str::to_string)
}

/// True when an account is Ledger-backed: no keys, and a `ledger` field naming the Ledger (its
/// pairing identifier) and the key's path on it. It is imported as a read-only account.
pub fn is_ledger_backed(account: &Account) -> bool {
    !has_keys(account)
        && ledger_pairing_id(&account.extra).is_some()
        && account
            .extra
            .get("ledger")
            .and_then(|l| l.get("path"))
            .is_some_and(Value::is_string)
}
