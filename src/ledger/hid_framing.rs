//! Ledger's USB HID framing, as pure functions (docs/ledger.md, "USB HID framing").
//!
//! An APDU travels in 64-byte HID reports. Each report starts with the channel `01 01`, the tag
//! `05` and a big-endian sequence number from 0; the first report then carries the APDU's length
//! (big-endian u16), and the APDU bytes follow, the last report padded with zeros. Replies come
//! back framed the same way.
//!
//! Written here rather than taken from a crate: `hidapi` moves reports and knows nothing of this
//! framing, and Zondax's `ledger-transport-hid` does it inside its `exchange` over a live device
//! (with a fixed read timeout of about 2.8 hours), so it cannot be tested without hardware nor
//! fuzzed. As pure functions it is pinned by known answers and fuzzed (`fuzz/fuzz_targets/
//! ledger_reply.rs`).

use thiserror::Error;
use zeroize::Zeroizing;

/// The size of one HID report.
pub const REPORT_SIZE: usize = 64;
/// The channel Ledger uses for APDUs.
pub const CHANNEL: u16 = 0x0101;
/// The tag of APDU reports.
pub const TAG_APDU: u8 = 0x05;
/// Header bytes of every report (channel, tag, sequence).
const HEADER: usize = 5;
/// The longest reply accepted, in bytes (the app's longest is 258).
pub const MAX_FRAMED_REPLY: usize = 1024;

/// Why reports could not be framed or unframed. Messages name lengths and header bytes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FramingError {
    /// The APDU is longer than the 16-bit length field allows.
    #[error("an APDU of {0} bytes is too long to frame")]
    ApduTooLong(usize),
    /// A report shorter than its header.
    #[error("a report of {0} bytes is too short")]
    ReportTooShort(usize),
    /// A report on another channel.
    #[error("a report came on channel {0:04X}, not 0101")]
    WrongChannel(u16),
    /// A report with another tag.
    #[error("a report has tag {0:02X}, not 05")]
    WrongTag(u8),
    /// A report out of order.
    #[error("report {got} came where report {expected} was due")]
    WrongSequence {
        /// The sequence number due.
        expected: u16,
        /// The one received.
        got: u16,
    },
    /// The announced reply length is over the cap.
    #[error("a reply of {0} bytes is longer than accepted")]
    ReplyTooLong(usize),
    /// More reports than a reply of that length needs.
    #[error("a report came after the reply was complete")]
    AfterEnd,
}

/// Splits `apdu` into 64-byte reports.
pub fn frame_apdu(apdu: &[u8]) -> Result<Vec<[u8; REPORT_SIZE]>, FramingError> {
    let len = u16::try_from(apdu.len()).map_err(|_| FramingError::ApduTooLong(apdu.len()))?;
    let mut reports = Vec::new();
    let mut rest = apdu;
    let mut seq: u16 = 0;
    loop {
        let mut r = [0u8; REPORT_SIZE];
        r[..2].copy_from_slice(&CHANNEL.to_be_bytes());
        r[2] = TAG_APDU;
        r[3..5].copy_from_slice(&seq.to_be_bytes());
        let mut at = HEADER;
        if seq == 0 {
            r[5..7].copy_from_slice(&len.to_be_bytes());
            at += 2;
        }
        let n = rest.len().min(REPORT_SIZE - at);
        r[at..at + n].copy_from_slice(&rest[..n]);
        rest = &rest[n..];
        reports.push(r);
        if rest.is_empty() {
            return Ok(reports);
        }
        seq += 1; // at most 65535 / 59 + 1 reports, so no overflow
    }
}

/// Puts a reply back together from its reports, one at a time.
#[derive(Debug, Default)]
pub struct ReplyAssembler {
    expected_len: Option<usize>,
    data: Zeroizing<Vec<u8>>,
    next_seq: u16,
    done: bool,
}

impl ReplyAssembler {
    /// An empty assembler, waiting for report 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next report; returns the whole reply (data ‖ status word) once complete.
    pub fn push(&mut self, report: &[u8]) -> Result<Option<Zeroizing<Vec<u8>>>, FramingError> {
        if self.done {
            return Err(FramingError::AfterEnd);
        }
        if report.len() < HEADER || (self.next_seq == 0 && report.len() < HEADER + 2) {
            return Err(FramingError::ReportTooShort(report.len()));
        }
        let channel = u16::from_be_bytes([report[0], report[1]]);
        if channel != CHANNEL {
            return Err(FramingError::WrongChannel(channel));
        }
        if report[2] != TAG_APDU {
            return Err(FramingError::WrongTag(report[2]));
        }
        let seq = u16::from_be_bytes([report[3], report[4]]);
        if seq != self.next_seq {
            return Err(FramingError::WrongSequence {
                expected: self.next_seq,
                got: seq,
            });
        }
        let mut body = &report[HEADER..];
        let expected = match self.expected_len {
            Some(n) => n,
            None => {
                let n = usize::from(u16::from_be_bytes([body[0], body[1]]));
                if n > MAX_FRAMED_REPLY {
                    return Err(FramingError::ReplyTooLong(n));
                }
                body = &body[2..];
                self.expected_len = Some(n);
                self.data.reserve_exact(n);
                n
            }
        };
        let take = (expected - self.data.len()).min(body.len());
        self.data.extend_from_slice(&body[..take]);
        self.next_seq = self.next_seq.wrapping_add(1);
        if self.data.len() == expected {
            self.done = true;
            Ok(Some(std::mem::take(&mut self.data)))
        } else {
            Ok(None)
        }
    }
}

/// Reassembles a reply from a list of reports (for tests and the fuzz target).
pub fn unframe_reply(reports: &[&[u8]]) -> Result<Option<Zeroizing<Vec<u8>>>, FramingError> {
    let mut a = ReplyAssembler::new();
    for (i, r) in reports.iter().enumerate() {
        if let Some(reply) = a.push(r)? {
            return if i + 1 == reports.len() {
                Ok(Some(reply))
            } else {
                Err(FramingError::AfterEnd)
            };
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 300-byte APDU (`E0 04 00 00 FF` then bytes 0, 1, 2, …) splits into 6 reports: 57 bytes
    /// in the first (after the 2-byte length), 59 in each of the next four, 8 in the last.
    #[test]
    fn three_hundred_byte_apdu_known_answer() {
        let apdu: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let reports = frame_apdu(&apdu).unwrap();
        assert_eq!(reports.len(), 6);
        // 57 + 4 × 59 + 7 = 300
        let expected_first: Vec<u8> = [0x01, 0x01, 0x05, 0x00, 0x00, 0x01, 0x2C]
            .into_iter()
            .chain(0..57u8)
            .collect();
        assert_eq!(reports[0].as_slice(), expected_first.as_slice());
        let expected_second: Vec<u8> = [0x01, 0x01, 0x05, 0x00, 0x01]
            .into_iter()
            .chain(57..116u8)
            .collect();
        assert_eq!(reports[1].as_slice(), expected_second.as_slice());
        for (i, r) in reports.iter().enumerate() {
            assert_eq!(&r[..5], &[0x01, 0x01, 0x05, 0, i as u8]);
        }
        // Last report: bytes 293..300 (7 bytes: 300 - 57 - 4*59 = 7), then zero padding.
        let mut last = vec![0x01, 0x01, 0x05, 0x00, 0x05];
        last.extend((293..300u32).map(|i| i as u8));
        last.resize(64, 0);
        assert_eq!(reports[5].as_slice(), last.as_slice());
        // The same bytes, framed as a reply, come back whole.
        let refs: Vec<&[u8]> = reports.iter().map(|r| r.as_slice()).collect();
        assert_eq!(*unframe_reply(&refs).unwrap().unwrap(), apdu);
    }

    #[test]
    fn short_apdu_is_one_report() {
        let reports = frame_apdu(&[0xE0, 0x21, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(reports.len(), 1);
        let mut expected = vec![
            0x01, 0x01, 0x05, 0x00, 0x00, 0x00, 0x05, 0xE0, 0x21, 0, 0, 0,
        ];
        expected.resize(64, 0);
        assert_eq!(reports[0].as_slice(), expected.as_slice());
        // A reply of exactly 57 bytes fits in report 0; 58 needs report 1.
        assert_eq!(frame_apdu(&[7u8; 57]).unwrap().len(), 1);
        assert_eq!(frame_apdu(&[7u8; 58]).unwrap().len(), 2);
        assert_eq!(
            frame_apdu(&vec![0u8; 65536]),
            Err(FramingError::ApduTooLong(65536))
        );
    }

    fn reply_reports() -> Vec<[u8; 64]> {
        let mut reply = vec![0xAB; 96];
        reply.extend_from_slice(&[0x90, 0x00]);
        frame_apdu(&reply).unwrap()
    }

    #[test]
    fn wrong_channel_tag_or_sequence_refused() {
        let good = reply_reports();
        assert_eq!(good.len(), 2);

        let mut bad = good.clone();
        bad[0][1] = 0x02;
        assert_eq!(
            ReplyAssembler::new().push(&bad[0]),
            Err(FramingError::WrongChannel(0x0102))
        );

        let mut bad = good.clone();
        bad[0][2] = 0x02; // the ping tag
        assert_eq!(
            ReplyAssembler::new().push(&bad[0]),
            Err(FramingError::WrongTag(0x02))
        );

        let mut a = ReplyAssembler::new();
        assert_eq!(a.push(&good[0]), Ok(None));
        let mut skipped = good[1];
        skipped[4] = 2;
        assert_eq!(
            a.push(&skipped),
            Err(FramingError::WrongSequence {
                expected: 1,
                got: 2
            })
        );

        // A reply must start at sequence 0.
        assert_eq!(
            ReplyAssembler::new().push(&good[1]),
            Err(FramingError::WrongSequence {
                expected: 0,
                got: 1
            })
        );
        // A report after the end is refused.
        let one = frame_apdu(&[0x90, 0x00]).unwrap();
        assert_eq!(
            unframe_reply(&[&one[0], &one[0]]),
            Err(FramingError::AfterEnd)
        );
    }

    #[test]
    fn caps_and_short_reports() {
        let mut r = [0u8; 64];
        r[..7].copy_from_slice(&[0x01, 0x01, 0x05, 0, 0, 0x04, 0x01]); // 1025 bytes announced
        assert_eq!(
            ReplyAssembler::new().push(&r),
            Err(FramingError::ReplyTooLong(1025))
        );
        assert_eq!(
            ReplyAssembler::new().push(&[0x01, 0x01, 0x05]),
            Err(FramingError::ReportTooShort(3))
        );
        assert_eq!(unframe_reply(&[]), Ok(None));
    }
}
