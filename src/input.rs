//! Reading input with a cap: backups, password files, recovery phrases.
//!
//! A size check that trusts the file's reported size is no check at all: a device (`/dev/zero`),
//! a FIFO, a pipe on stdin or a file that grows while it is read all report a size that says
//! nothing about how many bytes a read returns. Every reader here reads at most `cap + 1` bytes,
//! whatever the source reports, and fails with [`InputError::TooLarge`] (which names the cap)
//! when the extra byte arrives; memory stays bounded by the cap.
//!
//! `std`'s `Read::take` does the bounding; this module exists so that every caller (the `wallet`
//! command line, apps through the library) applies the same rule, and so that secrets (passwords,
//! phrases) are read into one buffer that is allocated once and wiped, instead of a growing
//! vector whose outgrown copies would be freed unwiped.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use thiserror::Error;
use zeroize::Zeroizing;

/// The most bytes a password file, a recovery-phrase file or a phrase on stdin may have.
/// A password or a 24-word phrase is a few hundred bytes; 64 KiB leaves room for any editor's
/// additions while keeping a mistaken `--password-file /dev/zero` harmless.
pub const MAX_SECRET_TEXT_BYTES: usize = 64 * 1024;

/// Why a capped read failed.
#[derive(Debug, Error)]
pub enum InputError {
    /// The input has more than `cap` bytes.
    #[error("it is larger than {cap} bytes, the most accepted here")]
    TooLarge {
        /// The cap in bytes.
        cap: u64,
    },
    /// The operating system could not read it.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads all of `reader`, at most `cap` bytes: [`InputError::TooLarge`] as soon as byte
/// `cap + 1` arrives (nothing more is read).
pub fn read_capped<R: Read>(reader: R, cap: u64) -> Result<Vec<u8>, InputError> {
    read_capped_with_hint(reader, cap, 0)
}

/// Reads the file at `path`, at most `cap` bytes, whatever size the file system reports.
pub fn read_file_capped(path: &Path, cap: u64) -> Result<Vec<u8>, InputError> {
    let file = File::open(path)?;
    // The reported size only sizes the first allocation (a regular file is read in one go); it
    // never decides how much is read.
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_capped_with_hint(file, cap, hint)
}

fn read_capped_with_hint<R: Read>(reader: R, cap: u64, hint: u64) -> Result<Vec<u8>, InputError> {
    let limit = cap.saturating_add(1);
    let mut buf = Vec::new();
    // One byte more than the file reports, so a file of exactly that size needs no regrowth to
    // see its end.
    let first = hint.min(cap).saturating_add(1);
    buf.try_reserve(usize::try_from(first).unwrap_or(usize::MAX))
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    reader.take(limit).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(InputError::TooLarge { cap });
    }
    Ok(buf)
}

/// Reads all of `reader` as a secret (a password, a phrase), at most `cap` bytes, into one
/// buffer of `cap + 1` bytes that is wiped when dropped (no outgrown copy is ever freed).
pub fn read_secret_capped<R: Read>(
    mut reader: R,
    cap: usize,
) -> Result<Zeroizing<Vec<u8>>, InputError> {
    let mut buf = Zeroizing::new(vec![0u8; cap.saturating_add(1)]);
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    if filled > cap {
        return Err(InputError::TooLarge { cap: cap as u64 });
    }
    // Shortening keeps the allocation, and `Zeroizing<Vec<u8>>` wipes the whole capacity.
    buf.truncate(filled);
    Ok(buf)
}

/// [`read_secret_capped`] on the file at `path`.
pub fn read_secret_file_capped(path: &Path, cap: usize) -> Result<Zeroizing<Vec<u8>>, InputError> {
    read_secret_capped(File::open(path)?, cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_up_to_the_cap_and_refuses_one_byte_more() {
        let data = vec![7u8; 1000];
        assert_eq!(read_capped(&data[..], 1000).unwrap(), data);
        assert_eq!(
            read_secret_capped(&data[..], 1000).unwrap().as_slice(),
            &data[..]
        );
        assert!(matches!(
            read_capped(&data[..], 999),
            Err(InputError::TooLarge { cap: 999 })
        ));
        assert!(matches!(
            read_secret_capped(&data[..], 999),
            Err(InputError::TooLarge { cap: 999 })
        ));
        assert!(read_capped(&b""[..], 0).unwrap().is_empty());
        assert!(matches!(
            read_capped(&b"x"[..], 0),
            Err(InputError::TooLarge { cap: 0 })
        ));
    }

    #[test]
    fn the_message_names_the_cap() {
        let e = read_capped(&[0u8; 10][..], 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is larger than 4 bytes, the most accepted here"
        );
    }

    /// A device reports size 0 and never ends: the read stops at the cap.
    #[cfg(unix)]
    #[test]
    fn an_endless_device_stops_at_the_cap() {
        let zero = Path::new("/dev/zero");
        assert_eq!(std::fs::metadata(zero).unwrap().len(), 0);
        assert!(matches!(
            read_file_capped(zero, 1 << 20),
            Err(InputError::TooLarge { cap: 1048576 })
        ));
        assert!(matches!(
            read_secret_file_capped(zero, MAX_SECRET_TEXT_BYTES),
            Err(InputError::TooLarge { cap: 65536 })
        ));
    }

    /// A pipe whose writer never stops: the reader takes `cap + 1` bytes and returns.
    #[test]
    fn an_endless_pipe_stops_at_the_cap() {
        for secret in [false, true] {
            let (reader, mut writer) = io::pipe().unwrap();
            let feeder = std::thread::spawn(move || {
                let chunk = [b'a'; 4096];
                // Ends when the reader is dropped (EPIPE: Rust ignores SIGPIPE).
                while writer.write_all(&chunk).is_ok() {}
            });
            let result = if secret {
                read_secret_capped(reader, 100_000).map(|_| ())
            } else {
                read_capped(reader, 100_000).map(|_| ())
            };
            assert!(matches!(result, Err(InputError::TooLarge { cap: 100_000 })));
            feeder.join().unwrap();
        }
    }

    #[test]
    fn a_regular_file_reads_whole() {
        let d = std::env::temp_dir().join(format!("wallet-core-input-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("f");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_file_capped(&p, 5).unwrap(), b"hello");
        assert!(matches!(
            read_file_capped(&p, 4),
            Err(InputError::TooLarge { cap: 4 })
        ));
        assert_eq!(read_secret_file_capped(&p, 5).unwrap().as_slice(), b"hello");
        assert!(matches!(
            read_file_capped(&d.join("missing"), 5),
            Err(InputError::Io(e)) if e.kind() == io::ErrorKind::NotFound
        ));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
