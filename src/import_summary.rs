//! What an import will do (its preview) or did (its report), as the lines of the "Review your
//! import" screen: one shape for the command line and the FFI, built from an [`ImportPlan`] and
//! an [`ImportReport`]. The FFI records (`ffi::ImportSummary`, `ffi::ImportLine`) map these
//! field for field.

use std::fmt;

use crate::desktop_export::SkippedAccount;
use crate::network::Network;
use crate::store::import::{
    AccountItem, Conflict, IdentityItem, ImportPlan, ImportReport, ItemKind, Present,
};

/// What kind of thing an import item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportItemKind {
    /// An identity.
    Identity,
    /// An account.
    Account,
    /// An address-book entry.
    Contact,
    /// A field of the wallet data this library does not model.
    Field,
}

impl ImportItemKind {
    /// The kind's name, as the command line's JSON and text output spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "Identity",
            Self::Account => "Account",
            Self::Contact => "Contact",
            Self::Field => "Field",
        }
    }
}

impl fmt::Display for ImportItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ItemKind> for ImportItemKind {
    fn from(k: ItemKind) -> Self {
        match k {
            ItemKind::Identity => Self::Identity,
            ItemKind::Account => Self::Account,
            ItemKind::Contact => Self::Contact,
        }
    }
}

/// One line of the "Review your import" screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    /// What it is.
    pub kind: ImportItemKind,
    /// Its name in the backup.
    pub name: String,
    /// Its address (accounts, contacts) or idCredPub (identities), when it has one.
    pub key: Option<String>,
    /// Why it conflicts or is skipped (empty for additions and items already present).
    pub reason: String,
}

impl ImportLine {
    fn new(kind: ImportItemKind, name: &str, key: Option<&str>, reason: String) -> Self {
        Self {
            kind,
            name: name.to_string(),
            key: key.map(str::to_string),
            reason,
        }
    }

    fn identity(i: &IdentityItem) -> Self {
        Self::new(
            ImportItemKind::Identity,
            &i.name,
            Some(&i.id_cred_pub),
            String::new(),
        )
    }

    fn account(a: &AccountItem) -> Self {
        Self::new(
            ImportItemKind::Account,
            &a.name,
            Some(&a.address),
            String::new(),
        )
    }

    fn present(p: &Present) -> Self {
        match p {
            Present::Identity(i) => Self::identity(i),
            Present::Account(a) => Self::account(a),
            Present::Contact(c) => Self::new(
                ImportItemKind::Contact,
                &c.name,
                Some(&c.address),
                String::new(),
            ),
            Present::Field(f) => Self::new(ImportItemKind::Field, &f.name, None, String::new()),
        }
    }

    /// The line of a conflict, with the sentence shown next to it.
    fn conflict(c: &Conflict) -> Self {
        match c {
            Conflict::IdentityDiffers { item, name_in_wallet } => Self::new(
                ImportItemKind::Identity,
                &item.name,
                Some(&item.id_cred_pub),
                format!("the wallet has this identity (as \"{name_in_wallet}\") with other details; the wallet's version is kept"),
            ),
            Conflict::AccountDiffers { item, name_in_wallet } => Self::new(
                ImportItemKind::Account,
                &item.name,
                Some(&item.address),
                format!("the wallet has this account (as \"{name_in_wallet}\") with other details; the wallet's version is kept"),
            ),
            Conflict::AccountOfOtherIdentity { item, name_in_wallet, .. } => Self::new(
                ImportItemKind::Account,
                &item.name,
                Some(&item.address),
                format!("the wallet has this address as \"{name_in_wallet}\" under another identity"),
            ),
            Conflict::ContactNameDiffers { item, name_in_wallet } => Self::new(
                ImportItemKind::Contact,
                &item.name,
                Some(&item.address),
                format!("the address book has this address as \"{name_in_wallet}\""),
            ),
            Conflict::ContactDetailsDiffer { item } => Self::new(
                ImportItemKind::Contact,
                &item.name,
                Some(&item.address),
                "the address book has this contact with other details".into(),
            ),
            Conflict::FieldDiffers(f) => Self::new(
                ImportItemKind::Field,
                &f.name,
                None,
                "the wallet has another value for this field".into(),
            ),
        }
    }
}

impl From<SkippedAccount> for ImportLine {
    /// An account of a Desktop Wallet export that is not imported, with the reason.
    fn from(a: SkippedAccount) -> Self {
        Self {
            kind: ImportItemKind::Account,
            name: a.name,
            key: Some(a.address),
            reason: a.reason,
        }
    }
}

/// What an import will do (preview) or did (report): the two are the same for the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The wallet's network.
    pub wallet_network: Network,
    /// The backup's network (as named by the file, or as assumed).
    pub file_network: Network,
    /// True when the backup named no network and `assume_network` was used.
    pub network_assumed: bool,
    /// Identities to add / added.
    pub identities_added: Vec<ImportLine>,
    /// Accounts to add / added.
    pub accounts_added: Vec<ImportLine>,
    /// Read-only accounts that get / got the backup's keys.
    pub accounts_upgraded: Vec<ImportLine>,
    /// Address-book entries to add / added.
    pub contacts_added: Vec<ImportLine>,
    /// What the wallet already has.
    pub already_present: Vec<ImportLine>,
    /// What disagrees with the wallet; the wallet's version is kept.
    pub conflicts: Vec<ImportLine>,
    /// What is not imported, with the reason.
    pub skipped: Vec<ImportLine>,
    /// How many writes the import makes / made (0 when importing the same file again).
    pub change_count: usize,
}

impl ImportSummary {
    /// The lines of `report`, for an import from a backup of `file_network` (assumed when
    /// `network_assumed`) into a wallet on `wallet_network`.
    pub fn new(
        wallet_network: Network,
        file_network: Network,
        network_assumed: bool,
        report: &ImportReport,
    ) -> Self {
        Self {
            wallet_network,
            file_network,
            network_assumed,
            identities_added: report
                .identities_added
                .iter()
                .map(ImportLine::identity)
                .collect(),
            accounts_added: report
                .accounts_added
                .iter()
                .map(ImportLine::account)
                .collect(),
            accounts_upgraded: report
                .accounts_upgraded
                .iter()
                .map(ImportLine::account)
                .collect(),
            contacts_added: report
                .contacts_added
                .iter()
                .map(|c| {
                    ImportLine::new(
                        ImportItemKind::Contact,
                        &c.name,
                        Some(&c.address),
                        String::new(),
                    )
                })
                .collect(),
            already_present: report
                .already_present
                .iter()
                .map(ImportLine::present)
                .collect(),
            conflicts: report.conflicts.iter().map(ImportLine::conflict).collect(),
            skipped: report
                .skipped
                .iter()
                .map(|s| {
                    ImportLine::new(
                        s.kind.into(),
                        &s.name,
                        s.key.as_deref(),
                        s.reason.to_string(),
                    )
                })
                .collect(),
            change_count: report.changes(),
        }
    }

    /// What `plan` would do.
    pub fn of_plan(plan: &ImportPlan) -> Self {
        Self::of_report(plan, &plan.report())
    }

    /// What applying `plan` did.
    pub fn of_report(plan: &ImportPlan, report: &ImportReport) -> Self {
        Self::new(
            plan.wallet_network,
            plan.file_network,
            plan.network_assumed,
            report,
        )
    }
}
