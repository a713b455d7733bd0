//! The emulated Concordium Ledger app (tests/ledger_emulator) as a process, for tests outside
//! Rust (the Kotlin JVM test) and for trying the `wallet ledger` commands without a device.
//!
//! ```text
//! cargo run --example ledger_emulator -- [--app-version 5.1.3|5.7.0] [--port N]
//!     [--approval approve|reject|never] [--screen app|dashboard|locked] [--phrase-file F]
//!     [--reported-version 5.1.3|5.7.0]
//! ```
//!
//! `--reported-version` makes the app claim another release than it acts as (a 5.1.3 app that
//! says 5.7.0), so that a client sends what the app does not know and sees it close.
//!
//! Prints `listening 127.0.0.1:PORT` on stdout once it accepts connections, then serves until
//! killed (or until stdin closes, so a test that dies does not leave it behind). The default
//! phrase is Speculos's, so its answers are those measured on the real app.

#[path = "../tests/ledger_emulator/mod.rs"]
mod ledger_emulator;

use std::io::{Read, Write};
use std::process::ExitCode;

use ledger_emulator::{Approval, EmulatedDevice, EmulatorServer, Generation, Screen};

fn usage(message: &str) -> ExitCode {
    eprintln!("ledger_emulator: {message}");
    eprintln!(
        "usage: ledger_emulator [--app-version 5.1.3|5.7.0] [--port N] \
         [--approval approve|reject|never] [--screen app|dashboard|locked] [--phrase-file F] \
         [--reported-version 5.1.3|5.7.0]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut generation = Generation::V5_1_3;
    let mut port = 0u16;
    let mut approval = Approval::Approve;
    let mut screen = Screen::App;
    let mut phrase = None;
    let mut reported_version = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            return usage(&format!("{flag} needs a value"));
        };
        match flag.as_str() {
            "--app-version" => match Generation::parse(&value) {
                Some(g) => generation = g,
                None => return usage("--app-version is 5.1.3 or 5.7.0"),
            },
            "--port" => match value.parse() {
                Ok(p) => port = p,
                Err(_) => return usage("--port takes a number"),
            },
            "--approval" => {
                approval = match value.as_str() {
                    "approve" => Approval::Approve,
                    "reject" => Approval::Reject,
                    "never" => Approval::Never,
                    _ => return usage("--approval is approve, reject or never"),
                }
            }
            "--screen" => {
                screen = match value.as_str() {
                    "app" => Screen::App,
                    "dashboard" => Screen::Dashboard,
                    "locked" => Screen::Locked,
                    _ => return usage("--screen is app, dashboard or locked"),
                }
            }
            "--phrase-file" => match std::fs::read_to_string(&value) {
                Ok(p) if wallet_core::phrase::Phrase::parse(&p).is_ok() => {
                    phrase = Some(p.trim().to_string())
                }
                Ok(_) => return usage("the phrase file holds no valid recovery phrase"),
                Err(e) => return usage(&format!("cannot read {value}: {e}")),
            },
            "--reported-version" => {
                reported_version = match value.as_str() {
                    "5.1.3" => Some("5.1.3"),
                    "5.7.0" => Some("5.7.0"),
                    _ => return usage("--reported-version is 5.1.3 or 5.7.0"),
                }
            }
            _ => return usage(&format!("unknown option {flag}")),
        }
    }
    let mut device = match &phrase {
        Some(p) => EmulatedDevice::new(p, generation),
        None => EmulatedDevice::speculos(generation),
    };
    device.approval = approval;
    device.screen = screen;
    device.reported_version = reported_version;
    let server = match EmulatorServer::start(device, port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ledger_emulator: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    println!("listening {}", server.address_string());
    let _ = std::io::stdout().flush();
    // Serve until stdin reaches its end (the parent closed it or died).
    let mut sink = [0u8; 256];
    while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
    ExitCode::SUCCESS
}
