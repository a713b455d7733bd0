//! The operations: app info, pairing identifier, public keys, verify address, identity key export.
//!
//! Before its first request to the Concordium app, the bridge asks Ledger OS which app is open and
//! its version (BOLOS `B0 01`), and from then on sends only what [`super::version::CAPABILITIES`]
//! says that release understands.

use std::time::Duration;

use ed25519_dalek::{Signature, VerifyingKey};
use zeroize::Zeroizing;

use super::apdu::{
    be_u32s, encode_path, ins, AccountPath, Command, IdentityPath, Reply, CLA_BOLOS, PAIRING_PATH,
};
use super::error::LedgerError;
use super::status::StatusWord;
use super::transport::Transport;
use super::version::{
    capabilities, AppVersion, Capabilities, ExportFraming, NewPathExport, NewPaths, PublicKeyReply,
};
use crate::keys::Secret32;
use crate::network::Network;

/// The name the Concordium app reports.
pub const CONCORDIUM_APP_NAME: &str = "Concordium";
/// The name Ledger OS reports when no app is open.
const DASHBOARD_NAME: &str = "BOLOS";

/// How long to wait for replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For requests the device answers by itself.
    pub reply: Duration,
    /// For requests a person must approve on the device.
    pub approval: Duration,
}

impl Default for Timeouts {
    /// 10 seconds for replies, 3 minutes for approvals.
    fn default() -> Self {
        Self {
            reply: Duration::from_secs(10),
            approval: Duration::from_secs(180),
        }
    }
}

/// The open app, as the device reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The app's name from Ledger OS (`Concordium`).
    pub name: String,
    /// The version string from Ledger OS (`5.1.3`).
    pub version: String,
    /// The parsed version.
    pub app_version: AppVersion,
    /// The name the app itself reports (INS 0x21), where the release has that instruction.
    pub app_name: Option<String>,
    /// What this release understands.
    pub capabilities: Capabilities,
}

/// An Ed25519 public key from the device, with the signature over it that proves the device holds
/// its private key (already verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPublicKey {
    /// The path it was derived at.
    pub path: Vec<u32>,
    /// The 32-byte public key.
    pub key: [u8; 32],
    /// The 64-byte Ed25519 signature of `key` under `key`.
    pub signature: [u8; 64],
}

/// An identity's secrets, exported from the device (wiped on drop).
#[derive(Debug)]
pub struct IdentityKeys {
    /// The PRF key (BLS12-381 scalar, 32 bytes big-endian).
    pub prf_key: Secret32,
    /// idCredSec (BLS12-381 scalar, 32 bytes big-endian).
    pub id_cred_sec: Secret32,
    /// The signature blinding randomness, where the release exports it (INS 0x37).
    pub blinding_randomness: Option<Secret32>,
}

/// The Concordium app on one device, over any [`Transport`].
pub struct Ledger<T: Transport> {
    transport: T,
    timeouts: Timeouts,
    app: Option<AppInfo>,
}

impl<T: Transport> Ledger<T> {
    /// A bridge over `transport` with the default timeouts.
    pub fn new(transport: T) -> Self {
        Self::with_timeouts(transport, Timeouts::default())
    }

    /// A bridge with chosen timeouts.
    pub fn with_timeouts(transport: T, timeouts: Timeouts) -> Self {
        Self {
            transport,
            timeouts,
            app: None,
        }
    }

    /// Changes the timeouts.
    pub fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    /// What the transport is connected to.
    pub fn describe_transport(&self) -> String {
        self.transport.describe()
    }

    fn exchange(
        &mut self,
        command: &Command,
        approval: bool,
        operation: &str,
    ) -> Result<Reply, LedgerError> {
        let apdu = command.encode()?;
        let timeout = if approval {
            self.timeouts.approval
        } else {
            self.timeouts.reply
        };
        match self.transport.exchange(&apdu, timeout, operation) {
            Ok(raw) => Reply::parse(&raw),
            Err(LedgerError::Timeout { seconds, .. }) if approval => Err(LedgerError::Timeout {
                seconds,
                hint: ": nobody confirmed on the device",
            }),
            Err(e) => Err(e),
        }
    }

    /// Sends `command` and returns the reply's data on success, or the typed error of its
    /// status word.
    fn request(
        &mut self,
        command: &Command,
        approval: bool,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        let reply = self.exchange(command, approval, operation)?;
        status_to_result(reply.status, operation)?;
        Ok(reply.data)
    }

    /// Name and version of the open app (Ledger OS's `B0 01`, and INS 0x21 where the release has
    /// it). Fails with [`LedgerError::OtherAppOpen`] when the Concordium app is not open.
    pub fn app_info(&mut self) -> Result<AppInfo, LedgerError> {
        let operation = "reading the app name and version";
        let bolos = Command {
            cla: CLA_BOLOS,
            ins: ins::BOLOS_APP_AND_VERSION,
            p1: 0,
            p2: 0,
            data: Vec::new(),
        };
        let data = self.request(&bolos, false, operation)?;
        let (name, version) = parse_bolos_app_info(&data)?;
        if name == DASHBOARD_NAME {
            return Err(LedgerError::OtherAppOpen {
                app: "the dashboard".into(),
            });
        }
        if name != CONCORDIUM_APP_NAME {
            return Err(LedgerError::OtherAppOpen {
                app: format!("the {name} app"),
            });
        }
        let app_version = AppVersion::parse(&version)?;
        let caps = capabilities(app_version)?;
        let app_name = if caps.app_name_ins {
            let data = self.request(
                &Command::app(ins::GET_APP_NAME, 0, 0, Vec::new()),
                false,
                "reading the app name (INS 0x21)",
            )?;
            Some(printable(&data, "app name")?)
        } else {
            None
        };
        let info = AppInfo {
            name,
            version,
            app_version,
            app_name,
            capabilities: caps,
        };
        self.app = Some(info.clone());
        Ok(info)
    }

    /// The capabilities of the open app, asking the device once.
    fn caps(&mut self) -> Result<Capabilities, LedgerError> {
        match &self.app {
            Some(a) => Ok(a.capabilities),
            None => Ok(self.app_info()?.capabilities),
        }
    }

    fn version_string(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.version.clone())
            .unwrap_or_default()
    }

    fn unsupported(&self, what: &str) -> LedgerError {
        LedgerError::UnsupportedByApp {
            version: self.version_string(),
            what: what.to_string(),
        }
    }

    /// Refuses, before sending anything, a new-path request the release does not understand.
    fn check_new_path(&mut self, net: Network) -> Result<Capabilities, LedgerError> {
        let caps = self.caps()?;
        match (caps.new_paths, net) {
            (NewPaths::None, _) => Err(self.unsupported("use new key paths (44'/…)")),
            (NewPaths::MainnetOnly, n) if !n.is_mainnet() => {
                Err(self.unsupported("use Testnet key paths (44'/1'/…)"))
            }
            _ => Ok(caps),
        }
    }

    fn signed_public_key(
        &mut self,
        nodes: Vec<u32>,
        confirm: bool,
        operation: &str,
    ) -> Result<SignedPublicKey, LedgerError> {
        let caps = self.caps()?;
        // P1 00 shows the key on the device, 01 does not; P2 01 asks for the signature.
        let p1 = if confirm { 0x00 } else { 0x01 };
        let cmd = Command::app(ins::GET_PUBLIC_KEY, p1, 0x01, encode_path(&nodes)?);
        let data = self.request(&cmd, confirm, operation)?;
        let (key, signature) = parse_signed_public_key(&data, caps.public_key_reply)?;
        verify_key_signature(&key, &signature)?;
        Ok(SignedPublicKey {
            path: nodes,
            key,
            signature,
        })
    }

    /// The wallet pairing identifier: the public key at `1105'/0'` (hex), read silently. It
    /// identifies the device's seed.
    pub fn pairing_id(&mut self) -> Result<SignedPublicKey, LedgerError> {
        self.signed_public_key(PAIRING_PATH.to_vec(), false, "reading the pairing key")
    }

    /// An account's public key, with its verified signature; `confirm` shows it on the device
    /// and waits for the person to approve.
    pub fn public_key(
        &mut self,
        path: &AccountPath,
        confirm: bool,
    ) -> Result<SignedPublicKey, LedgerError> {
        let nodes = path.nodes()?;
        if let AccountPath::New { net, .. } = path {
            self.check_new_path(*net)?;
        }
        self.signed_public_key(nodes, confirm, "reading a public key")
    }

    /// Shows the account's address on the device; returns when the person approved it.
    pub fn verify_address(&mut self, path: &AccountPath) -> Result<(), LedgerError> {
        let operation = "showing an address";
        let cmd = match *path {
            AccountPath::Legacy {
                identity,
                credential,
            } => {
                path.nodes()?;
                self.caps()?;
                Command::app(
                    ins::VERIFY_ADDRESS,
                    0x00,
                    0x00,
                    be_u32s(&[identity, credential]),
                )
            }
            AccountPath::New {
                net,
                idp,
                identity,
                credential,
            } => {
                path.nodes()?;
                let caps = self.check_new_path(net)?;
                let p2 = if caps.verify_address_network_p2 && !net.is_mainnet() {
                    0x01
                } else {
                    0x00
                };
                Command::app(
                    ins::VERIFY_ADDRESS,
                    0x01,
                    p2,
                    be_u32s(&[idp, identity, credential]),
                )
            }
        };
        let data = self.request(&cmd, true, operation)?;
        if !data.is_empty() {
            return Err(LedgerError::BadReply(format!(
                "verify address answered {} data bytes instead of none",
                data.len()
            )));
        }
        Ok(())
    }

    /// The raw SLIP-0010 key seeds of a Desktop Wallet identity's PRF key and idCredSec
    /// (INS 0x05 P1 02, P2 01), one approval on the device: Ledger recovery turns them into keys
    /// itself, because identities of version 0 used `keygen_bls_deprecated` on them
    /// (docs/recovery.md). Returned in [`IdentityKeys`] as the seeds, not as scalars.
    pub fn export_legacy_identity_seeds(
        &mut self,
        identity: u32,
    ) -> Result<IdentityKeys, LedgerError> {
        IdentityPath::Legacy { identity }.check()?;
        let caps = self.caps()?;
        let mut data = Vec::with_capacity(5);
        if caps.export_framing == ExportFraming::PrefixByte {
            data.push(0x00);
        }
        data.extend_from_slice(&identity.to_be_bytes());
        let cmd = Command::app(ins::EXPORT_PRIVATE_KEY, 0x02, 0x01, data);
        let reply = self.request(&cmd, true, "exporting identity key seeds")?;
        split_prf_id_cred_sec(&reply)
    }

    /// The PRF key and idCredSec of an identity (what recovery needs), approved on the device.
    pub fn export_identity_keys(
        &mut self,
        path: &IdentityPath,
    ) -> Result<IdentityKeys, LedgerError> {
        path.check()?;
        let operation = "exporting identity keys";
        // P1 02 "create credential": PRF ‖ idCredSec; P2 02: BLS keys (not the raw seed).
        let (p1_credential, p2_bls) = (0x02, 0x02);
        match *path {
            IdentityPath::Legacy { identity } => {
                let caps = self.caps()?;
                let mut data = Vec::with_capacity(5);
                if caps.export_framing == ExportFraming::PrefixByte {
                    data.push(0x00);
                }
                data.extend_from_slice(&identity.to_be_bytes());
                let cmd = Command::app(ins::EXPORT_PRIVATE_KEY, p1_credential, p2_bls, data);
                let reply = self.request(&cmd, true, operation)?;
                split_prf_id_cred_sec(&reply)
            }
            IdentityPath::New { net, idp, identity } => {
                let caps = self.caps()?;
                match caps.new_path_export {
                    NewPathExport::None => Err(self.unsupported("export new-path identity keys")),
                    NewPathExport::Ins05Prefix if !net.is_mainnet() => {
                        Err(self.unsupported("export Testnet identity keys"))
                    }
                    NewPathExport::Ins05Prefix => {
                        let mut data = vec![0x01];
                        data.extend_from_slice(&be_u32s(&[idp, identity]));
                        let cmd =
                            Command::app(ins::EXPORT_PRIVATE_KEY, p1_credential, p2_bls, data);
                        let reply = self.request(&cmd, true, operation)?;
                        split_prf_id_cred_sec(&reply)
                    }
                    NewPathExport::Ins37 => {
                        self.check_new_path(net)?;
                        let p2 = if net.is_mainnet() { 0x00 } else { 0x01 };
                        // P1 00: idCredSec, PRF key, blinding randomness, each as 20 ‖ 32 bytes.
                        let cmd = Command::app(
                            ins::EXPORT_PRIVATE_KEY_NEW_PATH,
                            0x00,
                            p2,
                            be_u32s(&[idp, identity]),
                        );
                        let reply = self.request(&cmd, true, operation)?;
                        parse_new_path_identity_keys(&reply)
                    }
                }
            }
        }
    }
}

/// The typed error for a status word other than success.
pub fn status_to_result(status: StatusWord, operation: &str) -> Result<(), LedgerError> {
    match status {
        StatusWord::Ok => Ok(()),
        StatusWord::RejectedByUser => Err(LedgerError::Rejected),
        s if s.means_locked() => Err(LedgerError::Locked),
        s if s.means_app_not_open() => Err(LedgerError::OtherAppOpen {
            app: "another app or the dashboard".into(),
        }),
        s => Err(LedgerError::Status {
            status: s,
            operation: operation.to_string(),
        }),
    }
}

/// Printable ASCII of at most 32 characters (an app name or version from the device).
fn printable(bytes: &[u8], what: &str) -> Result<String, LedgerError> {
    if bytes.is_empty() || bytes.len() > 32 || !bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Err(LedgerError::BadReply(format!(
            "the {what} is not 1 to 32 printable characters"
        )));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Ledger OS's app-and-version reply: `01 ‖ len ‖ name ‖ len ‖ version ‖ len ‖ flags`.
pub fn parse_bolos_app_info(data: &[u8]) -> Result<(String, String), LedgerError> {
    let bad = |m: &str| LedgerError::BadReply(format!("app and version: {m}"));
    let (&format, rest) = data.split_first().ok_or_else(|| bad("empty"))?;
    if format != 0x01 {
        return Err(bad("unknown format"));
    }
    let take = |rest: &[u8]| -> Result<(Vec<u8>, usize), LedgerError> {
        let (&n, tail) = rest.split_first().ok_or_else(|| bad("cut short"))?;
        let n = usize::from(n);
        if tail.len() < n {
            return Err(bad("cut short"));
        }
        Ok((tail[..n].to_vec(), n + 1))
    };
    let (name, used) = take(rest)?;
    let rest = &rest[used..];
    let (version, used) = take(rest)?;
    let rest = &rest[used..];
    if !rest.is_empty() {
        // The flags field (its length byte and bytes), when present, must fit exactly.
        let (_, used) = take(rest)?;
        if used != rest.len() {
            return Err(bad("trailing bytes"));
        }
    }
    Ok((
        printable(&name, "app name")?,
        printable(&version, "version")?,
    ))
}

/// A get-public-key reply with signature, in the release's form.
pub fn parse_signed_public_key(
    data: &[u8],
    form: PublicKeyReply,
) -> Result<([u8; 32], [u8; 64]), LedgerError> {
    let (key, sig) = match form {
        PublicKeyReply::Raw if data.len() == 96 => (&data[..32], &data[32..]),
        PublicKeyReply::LengthPrefixed
            if data.len() == 98 && data[0] == 0x20 && data[33] == 0x40 =>
        {
            (&data[1..33], &data[34..])
        }
        PublicKeyReply::Raw => {
            return Err(LedgerError::BadReply(format!(
                "a signed public key is 96 bytes (key ‖ signature), not {}",
                data.len()
            )))
        }
        PublicKeyReply::LengthPrefixed => {
            return Err(LedgerError::BadReply(format!(
                "a signed public key is 98 bytes (20 ‖ key ‖ 40 ‖ signature); got {} bytes",
                data.len()
            )))
        }
    };
    let mut k = [0u8; 32];
    let mut s = [0u8; 64];
    k.copy_from_slice(key);
    s.copy_from_slice(sig);
    Ok((k, s))
}

/// Checks that `signature` is the Ed25519 signature of the 32 key bytes under the key itself.
pub fn verify_key_signature(key: &[u8; 32], signature: &[u8; 64]) -> Result<(), LedgerError> {
    let vk = VerifyingKey::from_bytes(key).map_err(|_| LedgerError::BadSignature)?;
    vk.verify_strict(key, &Signature::from_bytes(signature))
        .map_err(|_| LedgerError::BadSignature)
}

fn secret_at(data: &[u8], at: usize) -> Secret32 {
    let mut s = [0u8; 32];
    s.copy_from_slice(&data[at..at + 32]);
    let out = Secret32::new(s);
    zeroize::Zeroize::zeroize(&mut s);
    out
}

/// INS 0x05 P1 02: `PRF (32) ‖ idCredSec (32)`.
pub fn split_prf_id_cred_sec(data: &[u8]) -> Result<IdentityKeys, LedgerError> {
    if data.len() != 64 {
        return Err(LedgerError::BadReply(format!(
            "identity keys are 64 bytes (PRF key ‖ idCredSec), not {}",
            data.len()
        )));
    }
    Ok(IdentityKeys {
        prf_key: secret_at(data, 0),
        id_cred_sec: secret_at(data, 32),
        blinding_randomness: None,
    })
}

/// INS 0x37 P1 00: `20 ‖ idCredSec ‖ 20 ‖ PRF ‖ 20 ‖ blinding randomness`.
pub fn parse_new_path_identity_keys(data: &[u8]) -> Result<IdentityKeys, LedgerError> {
    if data.len() != 99 || data[0] != 0x20 || data[33] != 0x20 || data[66] != 0x20 {
        return Err(LedgerError::BadReply(format!(
            "new-path identity keys are 3 × (20 ‖ 32 bytes); got {} bytes",
            data.len()
        )));
    }
    Ok(IdentityKeys {
        id_cred_sec: secret_at(data, 1),
        prf_key: secret_at(data, 34),
        blinding_randomness: Some(secret_at(data, 67)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bolos_reply() {
        let mut d = vec![0x01, 10];
        d.extend_from_slice(b"Concordium");
        d.push(5);
        d.extend_from_slice(b"5.1.3");
        d.extend_from_slice(&[1, 0x02]);
        assert_eq!(
            parse_bolos_app_info(&d).unwrap(),
            ("Concordium".to_string(), "5.1.3".to_string())
        );
        // Without flags, too.
        assert!(parse_bolos_app_info(&d[..d.len() - 2]).is_ok());
        for bad in [
            &d[..0],
            &d[..5],
            &[0x02, 0, 0][..],
            &[0x01, 1, 0x07, 1, b'1'][..],
        ] {
            assert!(parse_bolos_app_info(bad).is_err(), "{bad:?}");
        }
        let mut trailing = d.clone();
        trailing.push(0);
        assert!(parse_bolos_app_info(&trailing).is_err());
    }

    #[test]
    fn status_words_to_errors() {
        assert_eq!(status_to_result(StatusWord::Ok, "x"), Ok(()));
        assert_eq!(
            status_to_result(StatusWord::RejectedByUser, "x"),
            Err(LedgerError::Rejected)
        );
        assert_eq!(
            status_to_result(StatusWord::LockedDevice, "x"),
            Err(LedgerError::Locked)
        );
        assert!(matches!(
            status_to_result(StatusWord::AppNotOpen, "x"),
            Err(LedgerError::OtherAppOpen { .. })
        ));
        let e = status_to_result(StatusWord::InvalidPath, "reading a public key").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The Concordium app refused reading a public key: invalid key path (6B02)."
        );
    }

    #[test]
    fn reply_forms_are_strict() {
        let raw = [7u8; 96];
        assert!(parse_signed_public_key(&raw, PublicKeyReply::Raw).is_ok());
        assert!(parse_signed_public_key(&raw, PublicKeyReply::LengthPrefixed).is_err());
        let mut pre = vec![0x20];
        pre.extend_from_slice(&[7; 32]);
        pre.push(0x40);
        pre.extend_from_slice(&[8; 64]);
        let (k, s) = parse_signed_public_key(&pre, PublicKeyReply::LengthPrefixed).unwrap();
        assert_eq!((k, s), ([7; 32], [8; 64]));
        assert!(parse_signed_public_key(&pre, PublicKeyReply::Raw).is_err());
        pre[33] = 0x41;
        assert!(parse_signed_public_key(&pre, PublicKeyReply::LengthPrefixed).is_err());
        assert!(split_prf_id_cred_sec(&[0; 63]).is_err());
        assert!(parse_new_path_identity_keys(&[0x20; 98]).is_err());
    }

    /// The Speculos measurement (docs/ledger.md): key and signature at 1105/0/0/0/0/2/0/0.
    #[test]
    fn measured_signature_verifies_and_a_flipped_bit_does_not() {
        let key: [u8; 32] =
            hex32("87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492");
        let mut sig = [0u8; 64];
        let s = "3f499aa9fe41f0b911a3cccde3080143f10d108b2ba72343ad70fa03458333a328c542ce0685632b16636cc579fcfe715743c332eff416589631057eb0e08d04";
        for (i, b) in sig.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        verify_key_signature(&key, &sig).unwrap();
        sig[10] ^= 1;
        assert_eq!(
            verify_key_signature(&key, &sig),
            Err(LedgerError::BadSignature)
        );
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
