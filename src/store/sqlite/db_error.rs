//! How SQLite's and the operating system's errors become [`StoreError`]s, and [`Db::db`], the one
//! call that converts a rusqlite result.

use crate::store::{StoreError, StoreIo};

/// Converts a rusqlite result into a store result: `conn.execute(…).db()?`.
pub(crate) trait Db<T> {
    /// The value, or the SQLite error classified by [`db_err`].
    fn db(self) -> Result<T, StoreError>;
}

impl<T> Db<T> for Result<T, rusqlite::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(db_err)
    }
}

/// Classifies an SQLite error: a file that is not a database or is corrupt, a problem of the
/// file system or of another process ([`StoreError::Io`]), or another database error.
pub(crate) fn db_err(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            StoreError::NotAStore("it is not an SQLite database".into())
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            StoreError::Damaged("SQLite reports the database file as corrupt".into())
        }
        // Problems of the file system or of other processes, not of the data: the store is fine
        // and the same call works once the cause is gone, so they must not read as damage.
        Some(ErrorCode::ReadOnly) => StoreError::Io(StoreIo::ReadOnly),
        Some(ErrorCode::PermissionDenied) => StoreError::Io(StoreIo::PermissionDenied),
        Some(ErrorCode::DiskFull) => StoreError::Io(StoreIo::DiskFull),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Io(StoreIo::Locked)
        }
        Some(ErrorCode::CannotOpen) => StoreError::Io(StoreIo::CannotOpen),
        Some(
            ErrorCode::SystemIoFailure
            | ErrorCode::NoLargeFileSupport
            | ErrorCode::FileLockingProtocolFailed,
        ) => StoreError::Io(StoreIo::Failed),
        // SQLite's messages name tables, columns and constraints, never values.
        _ => StoreError::Database(e.to_string()),
    }
}

/// Classifies an error of the operating system on the store's file: permissions and read-only
/// file systems are [`StoreError::Io`] with their cause, a missing file is
/// [`StoreError::NotFound`].
pub(crate) fn os_err(e: &std::io::Error) -> StoreError {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => StoreError::NotFound,
        ErrorKind::PermissionDenied => StoreError::Io(StoreIo::PermissionDenied),
        ErrorKind::ReadOnlyFilesystem => StoreError::Io(StoreIo::ReadOnly),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            StoreError::Io(StoreIo::DiskFull)
        }
        ErrorKind::IsADirectory => StoreError::IsADirectory,
        _ => StoreError::Io(StoreIo::CannotOpen),
    }
}
