//! An emulated Concordium Ledger app, for tests: it speaks the protocol as the real app does
//! (docs/ledger.md), with keys derived by the library's own derivation (SLIP-0010, `keygen_bls`,
//! credential ids) from a recovery phrase, and serves Speculos's TCP framing on loopback so that
//! tests drive the real [`wallet_core::ledger::SpeculosTransport`].
//!
//! It acts as either app generation:
//! - [`Generation::V5_1_3`], as measured under Speculos: INS 0x05 with a prefix byte, raw
//!   get-public-key replies, no INS 0x37 or 0x40, Mainnet new paths only, and on any unknown
//!   instruction, bad P1/P2, bad length or refused path the app **exits** (the connection closes
//!   with no reply);
//! - [`Generation::V5_7_0`]: INS 0x05 for legacy paths without prefix, INS 0x37 for new paths,
//!   length-prefixed replies, Testnet paths, and failures answered with status words.
//!
//! Used by tests/ledger.rs, cli/tests/ledger_cli.rs and examples/ledger_emulator.rs (which the Kotlin
//! JVM test starts as a process).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use ed25519_dalek::{Signer, SigningKey};
use zeroize::Zeroizing;

use wallet_core::keys::{credential_id_from_prf, keygen_bls, CommitmentKey, ExtendedKey, Seed};
use wallet_core::phrase::Phrase;

/// Speculos's default phrase, the one the app's own tests (and the measured table) use.
pub const SPECULOS_PHRASE: &str = "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle enact monster seven myth punch hobby comfort wild raise skin";

/// Which release the emulated app behaves as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// 5.1.3, as measured.
    V5_1_3,
    /// 5.7.0, per the app's current sources and docs.
    V5_7_0,
}

impl Generation {
    /// The version string Ledger OS reports.
    pub fn version(self) -> &'static str {
        match self {
            Self::V5_1_3 => "5.1.3",
            Self::V5_7_0 => "5.7.0",
        }
    }

    /// `5.1.3` or `5.7.0`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "5.1.3" => Some(Self::V5_1_3),
            "5.7.0" => Some(Self::V5_7_0),
            _ => None,
        }
    }
}

/// What the person at the emulated device does when asked to approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// Approves.
    Approve,
    /// Rejects (status word 6985).
    Reject,
    /// Never answers (the reply never comes).
    Never,
}

/// What the device shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The Concordium app is open.
    App,
    /// The dashboard: no app open.
    Dashboard,
    /// The PIN screen.
    Locked,
}

/// How the emulated device answers one APDU.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Data ‖ status word.
    Reply(Vec<u8>),
    /// The app exits: the connection closes with no reply.
    Exit,
    /// No reply, ever (waiting for an approval that does not come).
    Hold,
}

/// The emulated device.
pub struct EmulatedDevice {
    seed: Seed,
    /// The release it behaves as.
    pub generation: Generation,
    /// What the person does.
    pub approval: Approval,
    /// What is open.
    pub screen: Screen,
    /// A version to report instead of the generation's own (a device that claims a release it
    /// is not: to test that the bridge survives the app closing on an instruction it lacks).
    pub reported_version: Option<&'static str>,
    /// Every APDU received, in order (for tests: what did the bridge send?).
    pub received: Mutex<Vec<Vec<u8>>>,
    /// Every address shown by verify-address, in order.
    pub shown_addresses: Mutex<Vec<String>>,
}

const OK: [u8; 2] = [0x90, 0x00];

fn ok(mut data: Vec<u8>) -> Answer {
    data.extend_from_slice(&OK);
    Answer::Reply(data)
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl EmulatedDevice {
    /// A device whose seed is the BIP39 seed of `phrase` (empty passphrase).
    pub fn new(phrase: &str, generation: Generation) -> Self {
        let seed = Phrase::parse(phrase)
            .expect("the emulator's phrase is valid")
            .to_seed("");
        Self {
            seed,
            generation,
            approval: Approval::Approve,
            screen: Screen::App,
            reported_version: None,
            received: Mutex::new(Vec::new()),
            shown_addresses: Mutex::new(Vec::new()),
        }
    }

    /// A device with the Speculos phrase.
    pub fn speculos(generation: Generation) -> Self {
        Self::new(SPECULOS_PHRASE, generation)
    }

    /// The instruction bytes received so far (BOLOS commands included).
    pub fn instructions(&self) -> Vec<(u8, u8)> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|a| (a[0], a[1]))
            .collect()
    }

    /// A failure: 5.1.3 exits, 5.7.0 answers `sw`.
    fn fail(&self, sw: u16) -> Answer {
        match self.generation {
            Generation::V5_1_3 => Answer::Exit,
            Generation::V5_7_0 => Answer::Reply(sw.to_be_bytes().to_vec()),
        }
    }

    /// Runs `produce` if the person approves.
    fn approved(&self, produce: impl FnOnce() -> Answer) -> Answer {
        match self.approval {
            Approval::Approve => produce(),
            Approval::Reject => Answer::Reply(vec![0x69, 0x85]),
            Approval::Never => Answer::Hold,
        }
    }

    fn key_at(&self, nodes: &[u32]) -> ExtendedKey {
        // The app hardens every node itself.
        let plain: Vec<u32> = nodes.iter().map(|n| n & 0x7fff_ffff).collect();
        ExtendedKey::derive(self.seed.as_bytes(), &plain).expect("valid path")
    }

    fn bls_at(&self, nodes: &[u32]) -> Zeroizing<Vec<u8>> {
        let k = self.key_at(nodes);
        Zeroizing::new(
            keygen_bls(k.private_key().as_bytes(), b"")
                .as_bytes()
                .to_vec(),
        )
    }

    fn raw_at(&self, nodes: &[u32]) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.key_at(nodes).private_key().as_bytes().to_vec())
    }

    /// The answer to one APDU.
    pub fn handle(&self, apdu: &[u8]) -> Answer {
        self.received.lock().unwrap().push(apdu.to_vec());
        if apdu.len() < 5 {
            return self.fail(0x6A87);
        }
        let (cla, ins, p1, p2, lc) = (apdu[0], apdu[1], apdu[2], apdu[3], apdu[4]);
        let data = &apdu[5..];
        if data.len() != usize::from(lc) {
            return self.fail(0x6A87);
        }
        if self.screen == Screen::Locked {
            return Answer::Reply(vec![0x55, 0x15]);
        }
        if cla == 0xB0 && ins == 0x01 {
            let (name, version) = match self.screen {
                Screen::Dashboard => ("BOLOS", "1.1.2"),
                _ => (
                    "Concordium",
                    self.reported_version
                        .unwrap_or_else(|| self.generation.version()),
                ),
            };
            let mut d = vec![0x01, name.len() as u8];
            d.extend_from_slice(name.as_bytes());
            d.push(version.len() as u8);
            d.extend_from_slice(version.as_bytes());
            d.extend_from_slice(&[0x01, 0x02]);
            return ok(d);
        }
        if self.screen == Screen::Dashboard {
            return Answer::Reply(vec![0x6E, 0x01]);
        }
        // 5.1.3 does not check the class byte; 5.7.0 does.
        if self.generation == Generation::V5_7_0 && cla != 0xE0 {
            return Answer::Reply(vec![0x6E, 0x00]);
        }
        match (ins, self.generation) {
            (0x21, _) => ok(b"Concordium".to_vec()),
            (0x40, Generation::V5_7_0) => ok(vec![5, 7, 0]),
            (0x01, _) => self.get_public_key(p1, p2, data),
            (0x05, _) => self.export_legacy(p1, p2, data),
            (0x37, Generation::V5_7_0) => self.export_new_path(p1, p2, data),
            (0x00, _) => self.verify_address(p1, p2, data),
            _ => self.fail(0x6D00),
        }
    }

    fn parse_path(&self, data: &[u8]) -> Option<Vec<u32>> {
        let (&n, rest) = data.split_first()?;
        let n = usize::from(n);
        if n == 0 || n > 8 || rest.len() != 4 * n {
            return None;
        }
        Some(rest.chunks_exact(4).map(be_u32).collect())
    }

    /// Whether the release accepts a `44'` path with this coin.
    fn accepts_coin(&self, coin: u32) -> bool {
        match self.generation {
            Generation::V5_1_3 => coin == 919,
            Generation::V5_7_0 => coin == 919 || coin == 1,
        }
    }

    fn get_public_key(&self, p1: u8, p2: u8, data: &[u8]) -> Answer {
        if p1 > 1 || p2 > 1 {
            return self.fail(0x6B03);
        }
        let Some(path) = self.parse_path(data) else {
            return self.fail(0x6A87);
        };
        if path[0] & 0x7fff_ffff == 44
            && (path.len() < 2 || !self.accepts_coin(path[1] & 0x7fff_ffff))
        {
            return self.fail(0x6B02);
        }
        let produce = || {
            let k = self.key_at(&path);
            let signing = SigningKey::from_bytes(k.private_key().as_bytes());
            let public = signing.verifying_key().to_bytes();
            let signature = signing.sign(&public).to_bytes();
            let mut out = Vec::new();
            match self.generation {
                Generation::V5_1_3 => {
                    out.extend_from_slice(&public);
                    if p2 == 1 {
                        out.extend_from_slice(&signature);
                    }
                }
                Generation::V5_7_0 => {
                    out.push(0x20);
                    out.extend_from_slice(&public);
                    if p2 == 1 {
                        out.push(0x40);
                        out.extend_from_slice(&signature);
                    }
                }
            }
            ok(out)
        };
        if p1 == 0x01 {
            produce()
        } else {
            self.approved(produce)
        }
    }

    /// INS 0x05: P1 00/01 PRF key, 02 PRF key ‖ idCredSec; P2 01 raw seed, 02 BLS key.
    fn export_legacy(&self, p1: u8, p2: u8, data: &[u8]) -> Answer {
        if p1 > 2 || !(1..=2).contains(&p2) {
            return self.fail(0x6B03);
        }
        // (path prefix up to the identity, PRF node, idCredSec node)
        let (base, prf_node, id_node): (Vec<u32>, u32, u32) = match (self.generation, data) {
            (Generation::V5_1_3, [0x00, id @ ..]) if id.len() == 4 => {
                (vec![1105, 0, 0, 0, be_u32(id)], 1, 0)
            }
            (Generation::V5_1_3, [0x01, rest @ ..]) if rest.len() == 8 => {
                (vec![44, 919, be_u32(rest), be_u32(&rest[4..])], 3, 2)
            }
            (Generation::V5_7_0, id) if id.len() == 4 => (vec![1105, 0, 0, 0, be_u32(id)], 1, 0),
            _ => return self.fail(0x6A87),
        };
        self.approved(|| {
            let key = |node: u32| {
                let mut path = base.clone();
                path.push(node);
                if p2 == 0x02 {
                    self.bls_at(&path)
                } else {
                    self.raw_at(&path)
                }
            };
            let mut out = key(prf_node).to_vec();
            if p1 == 0x02 {
                out.extend_from_slice(&key(id_node));
            }
            ok(out)
        })
    }

    /// INS 0x37 (5.7.0): identity keys on `44'/coin'/idp'/identity'/…`, each as `20 ‖ 32 bytes`.
    fn export_new_path(&self, p1: u8, p2: u8, data: &[u8]) -> Answer {
        if p1 > 4 || p2 > 1 {
            return self.fail(0x6B03);
        }
        let needs_account = p1 == 1 || p1 == 4;
        if data.len() != if needs_account { 12 } else { 8 } {
            return self.fail(0x6A87);
        }
        let coin = if p2 == 0 { 919 } else { 1 };
        let (idp, identity) = (be_u32(data), be_u32(&data[4..]));
        let base = [44, coin, idp, identity];
        let bls = |node: u32| {
            let mut p = base.to_vec();
            p.push(node);
            self.bls_at(&p)
        };
        let root = || {
            let mut p = base.to_vec();
            p.extend_from_slice(&[5, be_u32(&data[8..])]);
            self.raw_at(&p)
        };
        self.approved(|| {
            let keys: Vec<Zeroizing<Vec<u8>>> = match p1 {
                0 => vec![bls(2), bls(3), bls(4)],
                1 => vec![bls(3), bls(2), root()],
                2 => vec![bls(2), bls(4)],
                3 => vec![bls(3)],
                _ => vec![root()],
            };
            let mut out = Vec::new();
            for k in keys {
                out.push(0x20);
                out.extend_from_slice(&k);
            }
            ok(out)
        })
    }

    /// INS 0x00: computes the address as the device does and "shows" it.
    fn verify_address(&self, p1: u8, p2: u8, data: &[u8]) -> Answer {
        let max_p2 = match self.generation {
            Generation::V5_1_3 => 0,
            Generation::V5_7_0 => 1,
        };
        if p2 > max_p2 {
            return self.fail(0x6B03);
        }
        let coin = if p2 == 0 { 919 } else { 1 };
        let (prf_path, credential) = match (p1, data.len()) {
            (0x00, 8) => (vec![1105, 0, 0, 0, be_u32(data), 1], be_u32(&data[4..])),
            (0x01, 12) => (
                vec![44, coin, be_u32(data), be_u32(&data[4..]), 3],
                be_u32(&data[8..]),
            ),
            (0x00 | 0x01, _) => return self.fail(0x6A87),
            _ => return self.fail(0x6B03),
        };
        let Ok(credential) = u8::try_from(credential) else {
            return self.fail(0x6B03);
        };
        self.approved(|| {
            let k = self.key_at(&prf_path);
            let prf = keygen_bls(k.private_key().as_bytes(), b"");
            let cred_id = credential_id_from_prf(&prf, credential, &CommitmentKey::global())
                .expect("a PRF value of zero has probability 2^-255");
            self.shown_addresses
                .lock()
                .unwrap()
                .push(cred_id.account_address().to_base58());
            ok(Vec::new())
        })
    }
}

/// The emulated device serving Speculos's APDU framing on a loopback port.
pub struct EmulatorServer {
    /// Where it listens.
    pub address: SocketAddr,
    /// The device (shared with the serving threads).
    pub device: Arc<EmulatedDevice>,
}

impl EmulatorServer {
    /// Starts serving `device` on `127.0.0.1` (`port` 0: any free port). Each connection gets its
    /// own thread; when the app "exits" only that connection closes (Speculos would stop; a new
    /// connection here is a restarted app).
    pub fn start(device: EmulatedDevice, port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let device = Arc::new(device);
        let shared = Arc::clone(&device);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let device = Arc::clone(&shared);
                thread::spawn(move || serve(&device, stream));
            }
        });
        Ok(Self { address, device })
    }

    /// `127.0.0.1:PORT`.
    pub fn address_string(&self) -> String {
        self.address.to_string()
    }
}

/// Serves one connection until the client leaves or the app exits.
fn serve(device: &EmulatedDevice, mut stream: TcpStream) {
    loop {
        let mut len = [0u8; 4];
        if stream.read_exact(&mut len).is_err() {
            return;
        }
        let len = u32::from_be_bytes(len) as usize;
        if len > 260 {
            return; // no APDU is longer: a confused client
        }
        let mut apdu = vec![0u8; len];
        if stream.read_exact(&mut apdu).is_err() {
            return;
        }
        match device.handle(&apdu) {
            Answer::Reply(reply) => {
                // Speculos counts the data only, not the 2-byte status word.
                let data_len = (reply.len() - 2) as u32;
                let mut out = data_len.to_be_bytes().to_vec();
                out.extend_from_slice(&reply);
                if stream.write_all(&out).is_err() {
                    return;
                }
            }
            Answer::Exit => {
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
            Answer::Hold => {
                // Wait for the client to give up; never answer.
                let mut sink = [0u8; 64];
                while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
        }
    }
}
