//! Is a backup due? What the last export held, and what changed in the wallet since.
//!
//! When a person confirms that an export was saved or shared, the store records the time and an
//! [`ExportSnapshot`]: the keys of what the file held (identities by idCredPub, accounts with keys
//! by address, contacts by address and name), no secret. [`BackupStatus`] compares the snapshot
//! with the wallet as it is now. Comparing sets, rather than counting writes, means that a contact
//! added and removed again is no change, and that an account whose keys arrived by an import
//! (a read-only account upgraded) counts as added: the old file cannot restore it.

use std::collections::BTreeSet;

use super::import::has_keys;
use crate::model::WalletData;

/// What one export held, by the keys an import matches on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSnapshot {
    /// idCredPub of every identity in the file.
    pub identities: BTreeSet<String>,
    /// Address of every account with keys in the file (read-only accounts are never exported).
    pub accounts: BTreeSet<String>,
    /// (address, name) of every address-book entry.
    pub contacts: BTreeSet<(String, String)>,
}

impl ExportSnapshot {
    /// The snapshot of the wallet data that was written to a file.
    pub fn of(data: &WalletData) -> Self {
        let ids = &data.value.identities;
        Self {
            identities: ids
                .iter()
                .filter_map(|i| i.id_cred_pub().map(str::to_string))
                .collect(),
            accounts: ids
                .iter()
                .flat_map(|i| i.accounts.iter())
                .filter(|a| has_keys(a))
                .map(|a| a.address.clone())
                .collect(),
            contacts: data
                .value
                .recipients
                .iter()
                .map(|r| (r.address.clone(), r.name.clone()))
                .collect(),
        }
    }

    /// Compares this (the last export) with `now` (the wallet as it is).
    pub fn changes_to(&self, now: &ExportSnapshot) -> ChangesSinceExport {
        fn diff<T: Ord>(then: &BTreeSet<T>, now: &BTreeSet<T>) -> Change {
            Change {
                added: count(now.difference(then).count()),
                removed: count(then.difference(now).count()),
            }
        }
        ChangesSinceExport {
            identities: diff(&self.identities, &now.identities),
            accounts: diff(&self.accounts, &now.accounts),
            contacts: diff(&self.contacts, &now.contacts),
        }
    }

    /// True when the wallet holds something a backup protects: an identity or an account with
    /// keys. An address book alone moves no funds.
    pub fn holds_keys(&self) -> bool {
        !self.identities.is_empty() || !self.accounts.is_empty()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Items added and removed since the last export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    /// In the wallet now, not in the last export.
    pub added: u32,
    /// In the last export, not in the wallet now.
    pub removed: u32,
}

impl Change {
    /// True when nothing was added or removed.
    pub fn is_none(&self) -> bool {
        self.added == 0 && self.removed == 0
    }
}

/// What changed since the last export, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangesSinceExport {
    /// Identities.
    pub identities: Change,
    /// Accounts with keys.
    pub accounts: Change,
    /// Address-book entries.
    pub contacts: Change,
}

impl ChangesSinceExport {
    /// True when nothing changed.
    pub fn is_none(&self) -> bool {
        self.identities.is_none() && self.accounts.is_none() && self.contacts.is_none()
    }
}

/// Whether the More screen should ask for a backup, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupDue {
    /// Never exported, and the wallet holds an identity or an account with keys.
    NeverExported,
    /// Exported, but identities, accounts or contacts were added or removed since.
    ChangedSinceExport,
    /// The last export holds everything the wallet holds.
    UpToDate,
    /// Never exported, and there is nothing a backup would protect yet (no identity, no account
    /// with keys; an address book alone moves no funds).
    NothingToBackUp,
}

impl BackupDue {
    /// True when the app should recommend a backup.
    pub fn is_due(self) -> bool {
        matches!(self, Self::NeverExported | Self::ChangedSinceExport)
    }

    /// An English sentence for the More screen.
    pub fn text(self) -> &'static str {
        match self {
            Self::NeverExported => {
                "This wallet has never been backed up. Export a backup and keep it somewhere safe."
            }
            Self::ChangedSinceExport => {
                "The wallet changed since its last backup. Export a new backup so that it holds \
                 everything."
            }
            Self::UpToDate => "The last backup holds everything in this wallet.",
            Self::NothingToBackUp => "There is nothing to back up yet.",
        }
    }
}

/// The backup state of a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupStatus {
    /// When the last export was confirmed as saved or shared, in seconds since the Unix epoch;
    /// `None` when never.
    pub last_export_at: Option<i64>,
    /// What changed since then (since the empty wallet when never exported).
    pub changes: ChangesSinceExport,
    /// The verdict.
    pub due: BackupDue,
}

impl BackupStatus {
    /// Applies the rule: never exported and holding keys, or any change since the last export.
    pub fn assess(last: Option<(i64, &ExportSnapshot)>, now: &ExportSnapshot) -> Self {
        match last {
            None => Self {
                last_export_at: None,
                changes: ExportSnapshot::default().changes_to(now),
                due: if now.holds_keys() {
                    BackupDue::NeverExported
                } else {
                    BackupDue::NothingToBackUp
                },
            },
            Some((at, then)) => {
                let changes = then.changes_to(now);
                Self {
                    last_export_at: Some(at),
                    changes,
                    due: if changes.is_none() {
                        BackupDue::UpToDate
                    } else {
                        BackupDue::ChangedSinceExport
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(ids: &[&str], accs: &[&str], contacts: &[(&str, &str)]) -> ExportSnapshot {
        ExportSnapshot {
            identities: ids.iter().map(|s| s.to_string()).collect(),
            accounts: accs.iter().map(|s| s.to_string()).collect(),
            contacts: contacts
                .iter()
                .map(|(a, n)| (a.to_string(), n.to_string()))
                .collect(),
        }
    }

    #[test]
    fn the_rule() {
        let empty = snap(&[], &[], &[]);
        let only_contacts = snap(&[], &[], &[("A", "x")]);
        let one = snap(&["i"], &["a"], &[("A", "x")]);
        assert_eq!(
            BackupStatus::assess(None, &empty).due,
            BackupDue::NothingToBackUp
        );
        assert_eq!(
            BackupStatus::assess(None, &only_contacts).due,
            BackupDue::NothingToBackUp
        );
        let never = BackupStatus::assess(None, &one);
        assert_eq!(never.due, BackupDue::NeverExported);
        assert_eq!(never.changes.accounts.added, 1);
        assert!(never.due.is_due());

        let same = BackupStatus::assess(Some((7, &one)), &one);
        assert_eq!(same.due, BackupDue::UpToDate);
        assert_eq!(same.last_export_at, Some(7));
        assert!(!same.due.is_due());

        // A renamed contact is one removed and one added.
        let renamed = snap(&["i"], &["a", "b"], &[("A", "y")]);
        let s = BackupStatus::assess(Some((7, &one)), &renamed);
        assert_eq!(s.due, BackupDue::ChangedSinceExport);
        assert_eq!(s.changes.identities, Change::default());
        assert_eq!(
            s.changes.accounts,
            Change {
                added: 1,
                removed: 0
            }
        );
        assert_eq!(
            s.changes.contacts,
            Change {
                added: 1,
                removed: 1
            }
        );
    }
}
