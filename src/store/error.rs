//! What can go wrong in a wallet store, as typed errors with messages for people.

use thiserror::Error;

use crate::error::BackupError;
use crate::network::Network;

/// Everything that can go wrong while opening, reading or writing a wallet store.
///
/// Messages are sentences for people and never contain keys, secrets or wallet content (names and
/// addresses included): they end up in logs and support tickets.
#[derive(Debug, Error, Clone, PartialEq, Eq, strum::IntoStaticStr)]
pub enum StoreError {
    /// The storage key does not unlock this store (its key-check value does not match).
    #[error("The storage key is wrong: it does not unlock this wallet.")]
    WrongStorageKey,
    /// A storage key of the wrong length was given.
    #[error("A storage key must be 32 bytes long; this one has {len}.")]
    KeyLength {
        /// The length that was given.
        len: usize,
    },
    /// The store was created with an app-supplied key, so no passphrase can unlock it.
    #[error("This wallet is locked with the app's key, not with a passphrase.")]
    NoPassphrase,
    /// There is no store at the path.
    #[error("There is no wallet store at this path.")]
    NotFound,
    /// The path is a directory: a store is one file.
    #[error(
        "This path is a directory, not a wallet store file; give the path of the store file \
         itself (for example, a file named wallet.sqlite inside that directory)."
    )]
    IsADirectory,
    /// `create` was asked to create a store where a file already exists.
    #[error(
        "A file already exists at this path; a new wallet store is only created in a new file."
    )]
    AlreadyExists,
    /// The file is not a wallet store (another database, or not a database at all).
    #[error("This file is not a wallet store: {0}.")]
    NotAStore(String),
    /// The store was written by a newer version of this library.
    #[error(
        "This wallet store was written by a newer version of the app (store schema version \
         {found}; this version knows up to {supported}); update the app."
    )]
    NewerSchema {
        /// The schema version in the file.
        found: u32,
        /// The newest schema version this library knows.
        supported: u32,
    },
    /// A record is damaged: a sealed secret does not decrypt under the right key, or a JSON field
    /// does not parse.
    #[error("The wallet store is damaged: {0}.")]
    Damaged(String),
    /// The backup belongs to a network whose data this wallet cannot take.
    #[error(
        "This backup is for {file}, but this wallet is on {wallet}; a {file} backup cannot be \
         imported into a {wallet} wallet."
    )]
    NetworkMismatch {
        /// The wallet's network.
        wallet: Network,
        /// The backup's network.
        file: Network,
    },
    /// The backup does not name its network and the caller did not say which one to assume.
    #[error(
        "The network of this backup is unknown (files written before May 2021 do not name it); \
         choose the network it was made for before importing it."
    )]
    UnknownNetwork,
    /// The store changed after the import plan was made.
    #[error("The wallet changed after this import was previewed; preview the import again.")]
    StalePlan,
    /// The import plan does not fit the wallet data it is applied with.
    #[error("This import plan was not made for this backup: {0}.")]
    PlanMismatch(String),
    /// The address is already in the address book under another name.
    #[error("This address is already in the address book under another name.")]
    AddressHasOtherName,
    /// The account address is already in the wallet.
    #[error("This account is already in the wallet.")]
    AccountExists,
    /// The address is not a Concordium account address.
    #[error(
        "This is not a valid Concordium account address (it must be Base58Check with version \
         byte 1 and 32 bytes; check that it was copied completely)."
    )]
    InvalidAddress,
    /// A request the store does not allow (an empty name, an unknown identity, …).
    #[error("Invalid request: {0}.")]
    InvalidInput(String),
    /// The store's file could not be read or written for a reason outside its contents (a
    /// read-only or full disk, permissions, another program holding it): the wallet is not
    /// damaged, and the same call works once the cause is removed.
    #[error("The wallet store could not be read or written: {0}.")]
    Io(StoreIo),
    /// SQLite failed in another way.
    #[error("The wallet store could not be read or written: {0}.")]
    Database(String),
    /// An error from the backup core (the secure random source, the key derivation, a password
    /// rule).
    #[error(transparent)]
    Backup(#[from] BackupError),
}

/// What kept a store from being read or written ([`StoreError::Io`]); each message says what to
/// do about it.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum StoreIo {
    /// The file, its directory or the file system is read-only.
    #[error(
        "the file, its directory or the disk is read-only; make them writable (SQLite also \
         writes its -wal and -shm files next to the store), or copy the store to a writable place"
    )]
    ReadOnly,
    /// The operating system denied access to the file or its directory.
    #[error(
        "permission denied; this user may not read or write the file or its directory: fix \
         their permissions, or run as the user who owns them"
    )]
    PermissionDenied,
    /// The disk (or a file-size limit) has no room for the write.
    #[error("the disk is full; free some space and try again (nothing was changed)")]
    DiskFull,
    /// Another connection holds the store locked (another process is writing to it).
    #[error(
        "another program has it locked (it is writing to the same wallet); wait until it has \
         finished, or close it, and try again (nothing was changed)"
    )]
    Locked,
    /// The file could not be opened (a missing directory, too many open files, …).
    #[error(
        "the file could not be opened; check that its directory exists and is writable by this \
         user"
    )]
    CannotOpen,
    /// The operating system reported a read or write error.
    #[error(
        "disk I/O error; check that the disk has room and works, then try again (an interrupted \
         change is rolled back)"
    )]
    Failed,
}
