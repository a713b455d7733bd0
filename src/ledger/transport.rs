//! Moving APDUs: the [`Transport`] trait and the Speculos (TCP) transport.
//!
//! Every transport reads with a deadline: a request that waits for a person at the device gets
//! the long approval timeout, all others the short one. A connection that ends with no reply is
//! [`LedgerError::AppClosed`]: the Concordium app exits on what it does not know.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use zeroize::Zeroizing;

use super::apdu::MAX_REPLY;
use super::error::LedgerError;

/// Carries one APDU to the device and its reply (data ‖ status word) back.
pub trait Transport: Send {
    /// Sends `apdu` and waits at most `timeout` for the whole reply. `operation` names the
    /// request for error messages ("get public key").
    fn exchange(
        &mut self,
        apdu: &[u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError>;

    /// What this transport is connected to, for people ("speculos 127.0.0.1:9999").
    fn describe(&self) -> String;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn exchange(
        &mut self,
        apdu: &[u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        (**self).exchange(apdu, timeout, operation)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// The default Speculos APDU port.
pub const SPECULOS_DEFAULT_PORT: u16 = 9999;

/// Speculos, Ledger's emulator, over its APDU TCP port.
///
/// Request: 4-byte big-endian length, then the APDU. Reply: 4-byte big-endian length of the data
/// (the status word is not counted), the data, then the 2-byte status word.
pub struct SpeculosTransport {
    address: SocketAddr,
    stream: Option<TcpStream>,
}

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl SpeculosTransport {
    /// Connects to `host:port`.
    pub fn connect(address: &str) -> Result<Self, LedgerError> {
        let addr = address
            .to_socket_addrs()
            .map_err(|_| {
                LedgerError::InvalidRequest(format!(
                    "\"{}\" is not a HOST:PORT address",
                    address.chars().take(80).collect::<String>()
                ))
            })?
            .next()
            .ok_or_else(|| {
                LedgerError::InvalidRequest("the Speculos address resolves to nothing".into())
            })?;
        let stream = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| {
            LedgerError::Connection(format!("cannot connect to Speculos at {addr}: {e}"))
        })?;
        let _ = stream.set_nodelay(true);
        log::debug!("connected to Speculos at {addr}");
        Ok(Self {
            address: addr,
            stream: Some(stream),
        })
    }

    fn read_exact_or_closed(
        stream: &mut TcpStream,
        buf: &mut [u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<(), LedgerError> {
        stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
            .map_err(|e| LedgerError::Connection(e.to_string()))?;
        stream.read_exact(buf).map_err(|e| match e.kind() {
            ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted => LedgerError::AppClosed {
                operation: operation.to_string(),
            },
            ErrorKind::WouldBlock | ErrorKind::TimedOut => LedgerError::Timeout {
                seconds: timeout.as_secs(),
                hint: "",
            },
            _ => LedgerError::Connection(e.to_string()),
        })
    }
}

impl Transport for SpeculosTransport {
    fn exchange(
        &mut self,
        apdu: &[u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        // After the app closed (or a timeout left a reply in flight) the stream is not reused.
        let Some(stream) = self.stream.as_mut() else {
            return Err(LedgerError::AppClosed {
                operation: operation.to_string(),
            });
        };
        let result = (|| {
            let mut request = Vec::with_capacity(4 + apdu.len());
            request.extend_from_slice(&(apdu.len() as u32).to_be_bytes());
            request.extend_from_slice(apdu);
            stream
                .set_write_timeout(Some(timeout.max(Duration::from_millis(1))))
                .and_then(|()| stream.write_all(&request))
                .map_err(|e| match e.kind() {
                    ErrorKind::BrokenPipe | ErrorKind::ConnectionReset => LedgerError::AppClosed {
                        operation: operation.to_string(),
                    },
                    _ => LedgerError::Connection(e.to_string()),
                })?;
            let mut len = [0u8; 4];
            Self::read_exact_or_closed(stream, &mut len, timeout, operation)?;
            let len = u32::from_be_bytes(len) as usize;
            if len + 2 > MAX_REPLY {
                return Err(LedgerError::BadReply(format!(
                    "Speculos announced {len} bytes, more than the {MAX_REPLY} accepted"
                )));
            }
            let mut reply = Zeroizing::new(vec![0u8; len + 2]);
            Self::read_exact_or_closed(stream, &mut reply, timeout, operation)?;
            Ok(reply)
        })();
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn describe(&self) -> String {
        format!("speculos {}", self.address)
    }
}
