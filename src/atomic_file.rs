//! Crash-safe file replacement: a reader sees either the old file or the complete new one.
//!
//! Only regular files are ever replaced. A path that names a device node, a FIFO, a socket or a
//! directory is refused before anything is written (renaming a regular file over `/dev/full`
//! would replace the system's device node). A symbolic link is followed, through a chain of them,
//! and its target is replaced: the link stays a link, and the temporary file is made next to the
//! target, so the final rename stays within one directory and one file system.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Linux's `MAXSYMLINKS`: more links than this in a chain is a loop.
const MAX_LINKS: usize = 40;

/// The longest part of the target's name kept in the temporary file's name, in bytes. With the
/// leading dot and the random suffix the temporary name stays at most 218 bytes, under the
/// 255-byte `NAME_MAX` of common file systems, whatever the target's name.
const TMP_NAME_PREFIX_MAX: usize = 200;

/// Why a path cannot be written as a file.
#[derive(Debug, Error)]
pub enum TargetError {
    /// The path (or the end of its symlink chain) exists and is not a regular file.
    #[error("it is {0}, not a regular file, and is never replaced")]
    NotARegularFile(&'static str),
    /// The path is a chain of too many symbolic links (or a loop).
    #[error("it is a chain of more than {MAX_LINKS} symbolic links")]
    TooManyLinks,
    /// The path names no file (it ends in `/`, `..`, or is empty).
    #[error("the path names no file")]
    NoFileName,
    /// The file system could not be asked.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl From<TargetError> for io::Error {
    fn from(e: TargetError) -> Self {
        match e {
            TargetError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// What a non-regular file is, for the message.
fn describe(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// The path [`write_atomically`] would replace: `path` itself, or the end of its chain of
/// symbolic links (which need not exist yet). Fails with [`TargetError::NotARegularFile`] when
/// that exists and is not a regular file.
pub fn write_target(path: &Path) -> Result<PathBuf, TargetError> {
    let mut p = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        if p.file_name().is_none() {
            return Err(TargetError::NoFileName);
        }
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(e.into()),
        };
        let t = meta.file_type();
        if t.is_file() {
            return Ok(p);
        }
        if !t.is_symlink() {
            return Err(TargetError::NotARegularFile(describe(t)));
        }
        let link = fs::read_link(&p)?;
        // A relative link is relative to the directory that holds it.
        p = match p.parent() {
            Some(dir) if link.is_relative() => dir.join(link),
            _ => link,
        };
    }
    Err(TargetError::TooManyLinks)
}

/// The temporary file's name for a target named `name`: a short prefix of the name (so a person
/// who finds a left-over file knows what it was), a random suffix, and never more than 218 bytes.
fn temporary_name(name: &std::ffi::OsStr) -> io::Result<String> {
    let name = name.to_string_lossy();
    let mut end = name.len().min(TMP_NAME_PREFIX_MAX);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).map_err(io::Error::other)?;
    let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(".{}.{hex}.tmp", &name[..end]))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
/// flushed to disk (`fsync`), renamed over the target, and the directory is flushed (on Unix),
/// in that order, so a crash at any point leaves the old file or the new one. The file gets mode
/// 0600 on Unix before any byte is written. On failure the temporary file is removed and the old file, if
/// any, is untouched.
///
/// When `path` is a symbolic link, its target is replaced (see [`write_target`]); a path that is
/// not a regular file is refused with [`io::ErrorKind::InvalidInput`] before anything is written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = write_target(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::env::current_dir()?,
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::from(TargetError::NoFileName))?;
    let tmp = dir.join(temporary_name(name)?);
    let result = (|| {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &path)?;
        #[cfg(unix)]
        File::open(&dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("wallet-core-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn replaces_and_leaves_no_temporary_files() {
        let d = scratch("atomic");
        let p = d.join("out.backup");
        fs::write(&p, b"old").unwrap();
        write_atomically(&p, b"new contents").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new contents");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let d = scratch("atomic-fail");
        // A directory is never replaced (and renaming over a non-empty one would fail anyway).
        let target = d.join("occupied");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep"), b"old").unwrap();
        assert!(write_atomically(&target, b"new").is_err());
        assert_eq!(fs::read(target.join("keep")).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(&d).unwrap().count(),
            1,
            "temporary file left behind"
        );
        fs::remove_dir_all(&d).unwrap();
    }

    fn names_in(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_its_target_replaced() {
        use std::os::unix::fs::symlink;
        let d = scratch("atomic-link");
        let real_dir = d.join("real");
        fs::create_dir(&real_dir).unwrap();
        let target = real_dir.join("backup");
        fs::write(&target, b"old").unwrap();
        // A relative link to a relative link to the file.
        symlink("real/backup", d.join("hop")).unwrap();
        symlink("hop", d.join("link")).unwrap();
        assert_eq!(
            write_target(&d.join("link")).unwrap(),
            d.join("real/backup")
        );
        write_atomically(&d.join("link"), b"new").unwrap();
        assert!(fs::symlink_metadata(d.join("link"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(names_in(&d), ["hop", "link", "real"]);
        assert_eq!(names_in(&real_dir), ["backup"]);

        // A link to a file that does not exist yet creates the file.
        symlink(real_dir.join("new"), d.join("dangling")).unwrap();
        write_atomically(&d.join("dangling"), b"created").unwrap();
        assert_eq!(fs::read(real_dir.join("new")).unwrap(), b"created");
        assert!(fs::symlink_metadata(d.join("dangling"))
            .unwrap()
            .file_type()
            .is_symlink());

        // A loop is an error, not a hang.
        symlink("loop-b", d.join("loop-a")).unwrap();
        symlink("loop-a", d.join("loop-b")).unwrap();
        assert!(matches!(
            write_target(&d.join("loop-a")),
            Err(TargetError::TooManyLinks)
        ));
        assert!(write_atomically(&d.join("loop-a"), b"x").is_err());
        fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_never_replaced() {
        use std::os::unix::fs::{symlink, FileTypeExt};
        let d = scratch("atomic-special");
        let fifo = d.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let socket = d.join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        symlink("fifo", d.join("link-to-fifo")).unwrap();
        for (path, what) in [
            (&fifo, "a FIFO (named pipe)"),
            (&socket, "a socket"),
            (&d.join("link-to-fifo"), "a FIFO (named pipe)"),
        ] {
            let e = write_atomically(path, b"x").unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
            assert_eq!(
                e.to_string(),
                format!("it is {what}, not a regular file, and is never replaced")
            );
        }
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert!(fs::metadata(&socket).unwrap().file_type().is_socket());
        // A device is recognised without touching it (only looked at).
        assert!(matches!(
            write_target(Path::new("/dev/null")),
            Err(TargetError::NotARegularFile("a device"))
        ));
        assert_eq!(
            names_in(&d),
            ["fifo", "link-to-fifo", "socket"],
            "temporary file left behind"
        );
        fs::remove_dir_all(&d).unwrap();
    }

    /// The temporary name must fit in `NAME_MAX` (255 bytes) whatever the target's name.
    #[test]
    fn a_long_file_name_works() {
        let d = scratch("atomic-long");
        let names = [
            format!("{}.backup", "a".repeat(233)),
            format!("{}.backup", "a".repeat(248)),
            format!("{}.backup", "é".repeat(124)),
        ];
        for name in &names {
            assert!(name.len() >= 240 && name.len() <= 255);
            let p = d.join(name);
            write_atomically(&p, b"long").unwrap();
            assert_eq!(fs::read(&p).unwrap(), b"long");
            fs::remove_file(&p).unwrap();
            assert!(temporary_name(p.file_name().unwrap()).unwrap().len() <= 218);
        }
        assert!(names_in(&d).is_empty());
        fs::remove_dir_all(&d).unwrap();
    }
}
