//! The built-in [`AccountLookup`] against Concordium's wallet-proxy, as Concordium's Android
//! wallets recover (docs/recovery.md):
//!
//! - an account exists when `GET {proxy}/v0/accBalance/{address}` answers 200 with a non-null
//!   `finalizedBalance`; 404, or 200 with a null `finalizedBalance`, means "no such account";
//! - the identity providers are the `ipInfo.ipIdentity` of each entry of `GET {proxy}/v1/ip_info`.
//!
//! Anything else (another status, a timeout, a body that is not the expected JSON or is larger
//! than the cap) is a [`LookupError::Failed`], which stops the scan: a lookup that could not tell
//! must never be read as "no account", or a restore would silently miss accounts.
//!
//! HTTP is `ureq` (blocking, rustls with the Mozilla roots), only in the `wallet-proxy` feature:
//! phones bring their own networking through the FFI `AccountDirectory` callback.

use std::time::Duration;

use serde_json::Value;

use super::{AccountLookup, LookupError};
use crate::keys::{AccountAddress, CredentialId, Net};

/// The largest `accBalance` answer read (real ones are a few hundred bytes).
pub const MAX_BALANCE_RESPONSE: u64 = 64 * 1024;

/// The largest `ip_info` answer read (real ones are tens of kilobytes).
pub const MAX_IP_INFO_RESPONSE: u64 = 4 * 1024 * 1024;

/// How long one request may take, connection included, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A wallet-proxy client.
#[derive(Debug, Clone)]
pub struct WalletProxy {
    base: String,
    agent: ureq::Agent,
}

impl WalletProxy {
    /// A client for the proxy at `base_url` (`https://…` or, for tests and local proxies,
    /// `http://…`), with [`DEFAULT_TIMEOUT`].
    pub fn new(base_url: &str) -> Result<Self, LookupError> {
        Self::with_timeout(base_url, DEFAULT_TIMEOUT)
    }

    /// A client whose requests each give up after `timeout`.
    pub fn with_timeout(base_url: &str, timeout: Duration) -> Result<Self, LookupError> {
        let base = base_url.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.len() <= "https://".len()
        {
            return Err(LookupError::Failed(
                "the wallet proxy address must start with https:// (or http://)".into(),
            ));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Ok(Self {
            base: base.to_string(),
            agent,
        })
    }

    /// The proxy's address, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// GETs `path` and returns the status and the body (at most `cap` bytes). `log_path` is the
    /// path as logged (without the address, which would tie the wallet's accounts together in
    /// a shared log).
    fn get(&self, path: &str, log_path: &str, cap: u64) -> Result<(u16, Vec<u8>), LookupError> {
        let url = format!("{}{path}", self.base);
        log::debug!("wallet proxy: GET {log_path}");
        let mut response = self
            .agent
            .get(&url)
            .header("Accept", "application/json")
            .call()
            .inspect_err(|e| log::warn!("wallet proxy: GET {log_path} failed: {}", describe(e)))
            .map_err(|e| {
                failed(&format!(
                    "the wallet proxy did not answer ({})",
                    describe(&e)
                ))
            })?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(cap)
            .read_to_vec()
            .inspect_err(|e| {
                log::warn!(
                    "wallet proxy: GET {log_path}: HTTP {status}, the body failed: {}",
                    describe(e)
                )
            })
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => failed(&format!(
                    "the wallet proxy's answer is larger than {cap} bytes"
                )),
                e => failed(&format!(
                    "the wallet proxy's answer could not be read ({})",
                    describe(&e)
                )),
            })?;
        log::debug!(
            "wallet proxy: GET {log_path}: HTTP {status}, {} bytes",
            body.len()
        );
        Ok((status, body))
    }

    /// The `ipIdentity` of every identity provider the proxy lists (`GET /v1/ip_info`).
    pub fn identity_providers(&self) -> Result<Vec<u32>, LookupError> {
        let (status, body) = self.get("/v1/ip_info", "/v1/ip_info", MAX_IP_INFO_RESPONSE)?;
        if status != 200 {
            return Err(failed(&format!(
                "the wallet proxy answered HTTP {status} for the identity providers"
            )));
        }
        parse_ip_info(&body)
    }
}

impl AccountLookup for WalletProxy {
    fn account_exists(
        &self,
        _net: Net,
        _cred_id: &CredentialId,
        address: &AccountAddress,
    ) -> Result<bool, LookupError> {
        let (status, body) = self.get(
            &format!("/v0/accBalance/{}", address.to_base58()),
            "/v0/accBalance/…",
            MAX_BALANCE_RESPONSE,
        )?;
        match status {
            404 => Ok(false),
            200 => parse_balance(&body),
            s => Err(failed(&format!(
                "the wallet proxy answered HTTP {s} for an account"
            ))),
        }
    }
}

/// Whether an `accBalance` answer names an account: `finalizedBalance` present and not null.
pub fn parse_balance(body: &[u8]) -> Result<bool, LookupError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| failed("the wallet proxy's account answer is not JSON"))?;
    let Value::Object(map) = v else {
        return Err(failed(
            "the wallet proxy's account answer is not a JSON object",
        ));
    };
    match map.get("finalizedBalance") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Object(_)) => Ok(true),
        Some(_) => Err(failed(
            "the wallet proxy's finalizedBalance is neither null nor an object",
        )),
    }
}

/// The `ipInfo.ipIdentity` of each entry of an `ip_info` answer, in order, without repeats.
pub fn parse_ip_info(body: &[u8]) -> Result<Vec<u32>, LookupError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| failed("the wallet proxy's identity-provider list is not JSON"))?;
    let Value::Array(entries) = v else {
        return Err(failed(
            "the wallet proxy's identity-provider list is not a JSON array",
        ));
    };
    let mut ids = Vec::with_capacity(entries.len());
    for e in &entries {
        let id = e
            .pointer("/ipInfo/ipIdentity")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| failed("an identity provider in the list has no valid ipIdentity"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(failed("the wallet proxy lists no identity providers"));
    }
    Ok(ids)
}

fn failed(reason: &str) -> LookupError {
    LookupError::Failed(reason.to_string())
}

/// A short reason for a transport error; ureq's messages name the URL, which holds only the
/// proxy's address and a public account address.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::Io(io) => io.kind().to_string(),
        e => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_answers() {
        assert_eq!(
            parse_balance(br#"{"finalizedBalance":{"accountAmount":"0"},"currentBalance":null}"#),
            Ok(true)
        );
        assert_eq!(
            parse_balance(br#"{"finalizedBalance":null,"currentBalance":null}"#),
            Ok(false)
        );
        assert_eq!(parse_balance(br#"{}"#), Ok(false));
        for bad in [&b"not json"[..], b"[]", br#"{"finalizedBalance":5}"#] {
            assert!(matches!(parse_balance(bad), Err(LookupError::Failed(_))));
        }
    }

    #[test]
    fn ip_info_answers() {
        let body = br#"[{"ipInfo":{"ipIdentity":0}},{"ipInfo":{"ipIdentity":3}},{"ipInfo":{"ipIdentity":0}}]"#;
        assert_eq!(parse_ip_info(body), Ok(vec![0, 3]));
        for bad in [
            &b"{}"[..],
            b"[]",
            br#"[{"ipInfo":{}}]"#,
            br#"[{"ipInfo":{"ipIdentity":-1}}]"#,
        ] {
            assert!(matches!(parse_ip_info(bad), Err(LookupError::Failed(_))));
        }
    }

    #[test]
    fn proxy_addresses_need_a_scheme() {
        assert!(WalletProxy::new("wallet-proxy.example").is_err());
        assert!(WalletProxy::new("https://").is_err());
        let p = WalletProxy::new("https://wallet-proxy.example/").unwrap();
        assert_eq!(p.base_url(), "https://wallet-proxy.example");
    }
}
