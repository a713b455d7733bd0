//! The backup reminder for the More screen: [`Wallet::backup_status`].

#[cfg(doc)]
use super::ExportFlow;
use crate::ffi::store::Wallet;
use crate::ffi::WalletError;
use crate::store::{self as domain_store, WalletStore};

/// Items added and removed since the last export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ItemChanges {
    /// In the wallet now, not in the last backup.
    pub added: u32,
    /// In the last backup, not in the wallet now.
    pub removed: u32,
}

impl From<domain_store::backup_status::Change> for ItemChanges {
    fn from(c: domain_store::backup_status::Change) -> Self {
        Self {
            added: c.added,
            removed: c.removed,
        }
    }
}

/// Why a backup is or is not due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BackupDue {
    /// Never exported, and the wallet holds an identity or an account with keys.
    NeverExported,
    /// Identities, accounts or contacts were added or removed since the last export.
    ChangedSinceExport,
    /// The last export holds everything.
    UpToDate,
    /// Never exported, and nothing a backup would protect yet.
    NothingToBackUp,
}

/// For the More screen: is a backup due?
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupStatus {
    /// When an export was last saved or shared (seconds since the Unix epoch); `null`: never.
    pub last_export_at: Option<i64>,
    /// Identities added and removed since.
    pub identities: ItemChanges,
    /// Accounts with keys added and removed since.
    pub accounts: ItemChanges,
    /// Address-book entries added and removed since.
    pub contacts: ItemChanges,
    /// True when the app should recommend a backup (`NeverExported` or `ChangedSinceExport`).
    pub due: bool,
    /// Why.
    pub reason: BackupDue,
    /// An English sentence for the More screen.
    pub text: String,
}

impl From<domain_store::BackupStatus> for BackupStatus {
    fn from(s: domain_store::BackupStatus) -> Self {
        use domain_store::BackupDue as D;
        Self {
            last_export_at: s.last_export_at,
            identities: s.changes.identities.into(),
            accounts: s.changes.accounts.into(),
            contacts: s.changes.contacts.into(),
            due: s.due.is_due(),
            reason: match s.due {
                D::NeverExported => BackupDue::NeverExported,
                D::ChangedSinceExport => BackupDue::ChangedSinceExport,
                D::UpToDate => BackupDue::UpToDate,
                D::NothingToBackUp => BackupDue::NothingToBackUp,
            },
            text: s.due.text().into(),
        }
    }
}

#[uniffi::export]
impl Wallet {
    /// For the More screen: when the wallet was last exported (saved or shared through an
    /// [`ExportFlow`]), what changed since, and whether a backup is due. Needs no key.
    pub fn backup_status(&self) -> Result<BackupStatus, WalletError> {
        Ok(self.store().backup_status()?.into())
    }
}
