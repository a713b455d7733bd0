//! A wallet-proxy for tests: a real HTTP server (tiny_http) on loopback that answers
//! `GET /v0/accBalance/{address}` (200 with a balance for the accounts it is given, 404 for every
//! other address) and `GET /v1/ip_info` (the identity providers it is given), as Concordium's
//! wallet-proxy does (docs/recovery.md). It can also misbehave: answer 500 after a number of
//! requests, answer garbage, or answer slowly, to show that the scan stops and changes nothing.
//!
//! Used by tests/recovery.rs and examples/wallet_proxy.rs (which the Kotlin JVM test starts).

#![allow(dead_code)]

pub mod abandon;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tiny_http::{Header, Response, Server};

/// How the server answers account lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// As the real proxy.
    Normal,
    /// HTTP 500 for every account lookup from the given request number on (0-based).
    FailFrom(u64),
    /// 200 with a body that is not JSON from the given request number on.
    GarbageFrom(u64),
    /// Waits this long before every account answer.
    Slow(Duration),
}

/// What the server knows.
#[derive(Debug, Clone)]
pub struct ProxyState {
    /// Addresses that exist (Base58Check).
    pub accounts: HashSet<String>,
    /// Addresses the proxy knows but whose `finalizedBalance` is null (not yet finalized).
    pub unfinalized: HashSet<String>,
    /// The `ipIdentity` of each provider `ip_info` lists.
    pub providers: Vec<u32>,
    /// How it answers.
    pub behaviour: Behaviour,
}

impl ProxyState {
    /// A proxy that knows `accounts` (all finalized) and the identity providers `providers`, and
    /// answers normally.
    pub fn serving(accounts: HashSet<String>, providers: Vec<u32>) -> Self {
        Self {
            accounts,
            unfinalized: HashSet::new(),
            providers,
            behaviour: Behaviour::Normal,
        }
    }
}

/// A running server; it stops when dropped.
pub struct ProxyServer {
    server: Arc<Server>,
    handle: Option<thread::JoinHandle<()>>,
    /// Account lookups answered so far.
    pub lookups: Arc<AtomicU64>,
    state: Arc<Mutex<ProxyState>>,
    port: u16,
}

impl ProxyServer {
    /// Starts a server on 127.0.0.1 (port 0: any free port).
    pub fn start(state: ProxyState, port: u16) -> std::io::Result<Self> {
        let server = Arc::new(
            Server::http(("127.0.0.1", port)).map_err(|e| std::io::Error::other(e.to_string()))?,
        );
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or_else(|| std::io::Error::other("not an IP listener"))?;
        let lookups = Arc::new(AtomicU64::new(0));
        let state = Arc::new(Mutex::new(state));
        let handle = {
            let server = server.clone();
            let lookups = lookups.clone();
            let state = state.clone();
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let s = state.lock().unwrap().clone();
                    let (status, body) = answer(&s, request.url(), &lookups);
                    let response = Response::from_string(body)
                        .with_status_code(status)
                        .with_header(
                            Header::from_bytes("Content-Type", "application/json").unwrap(),
                        );
                    let _ = request.respond(response);
                }
            })
        };
        Ok(Self {
            server,
            handle: Some(handle),
            lookups,
            state,
            port,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Changes how it answers from now on.
    pub fn set_behaviour(&self, b: Behaviour) {
        self.state.lock().unwrap().behaviour = b;
    }

    /// Account lookups answered so far.
    pub fn lookup_count(&self) -> u64 {
        self.lookups.load(Ordering::SeqCst)
    }
}

impl Drop for ProxyServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn answer(s: &ProxyState, url: &str, lookups: &AtomicU64) -> (u16, String) {
    if url == "/v1/ip_info" {
        let list: Vec<String> = s
            .providers
            .iter()
            .map(|id| {
                format!(
                    r#"{{"ipInfo":{{"ipIdentity":{id},"ipDescription":{{"name":"Provider {id}","url":"","description":""}}}},"arsInfos":{{}},"metadata":{{}}}}"#
                )
            })
            .collect();
        return (200, format!("[{}]", list.join(",")));
    }
    let Some(address) = url.strip_prefix("/v0/accBalance/") else {
        return (404, r#"{"error":"not found"}"#.into());
    };
    let n = lookups.fetch_add(1, Ordering::SeqCst);
    match s.behaviour {
        Behaviour::FailFrom(k) if n >= k => return (500, r#"{"error":"internal"}"#.into()),
        Behaviour::GarbageFrom(k) if n >= k => return (200, "<html>maintenance</html>".into()),
        Behaviour::Slow(d) => thread::sleep(d),
        _ => {}
    }
    if s.accounts.contains(address) {
        (
            200,
            r#"{"currentBalance":{"accountAmount":"1000000"},"finalizedBalance":{"accountAmount":"1000000","accountNonce":1}}"#
                .into(),
        )
    } else if s.unfinalized.contains(address) {
        (
            200,
            r#"{"currentBalance":{"accountAmount":"0"},"finalizedBalance":null}"#.into(),
        )
    } else {
        (404, r#"{"errorMessage":"Account not found"}"#.into())
    }
}
