//! The English default text of every screen. Shells show it as is, or translate by state.

/// "1 identity", "2 identities".
pub fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "2 identities, 5 accounts and 5 contacts".
pub fn contents(identities: u32, accounts: u32, contacts: u32) -> String {
    format!(
        "{}, {} and {}",
        count(identities, "identity", "identities"),
        count(accounts, "account", "accounts"),
        count(contacts, "contact", "contacts")
    )
}

/// The warning on the information screen before an export.
pub const EXPORT_WARNING: &str = "Anyone who has this file and its password can open it and move \
     the funds of its accounts. Choose a strong password, and keep it apart from the file.";

/// Export, before the biometric or passcode prompt.
pub const EXPORT_UNLOCK: &str = "Confirm that it is you to export this wallet.";

/// Export, the information screen.
pub fn export_information(identities: u32, accounts: u32, contacts: u32) -> String {
    format!(
        "The backup will hold {}. {EXPORT_WARNING}",
        contents(identities, accounts, contacts)
    )
}

/// Export, the password screen.
pub fn export_choose_password(min_chars: u32) -> String {
    format!(
        "Choose a password of at least {min_chars} characters for the backup and type it twice. \
         You need it to open the file; it cannot be recovered."
    )
}

/// Export, the password is accepted.
pub const EXPORT_READY: &str = "Continue to encrypt the backup with this password.";

/// Export, the file is written.
pub fn export_finished(file_name: &str) -> String {
    format!("The backup {file_name} is ready. Save it to Files or share it with another app.")
}

/// Export, the person confirmed the file is saved or shared.
pub const EXPORT_SAVED: &str = "The backup is saved. Keep the file and its password safe.";

/// Export, cancelled.
pub const EXPORT_CANCELLED: &str = "The export was cancelled; no backup was made.";

/// A weak password, with the time one GPU needs to guess it.
pub fn weak_password(time_to_guess: &str) -> String {
    format!(
        "This password is weak: one graphics card could guess it in {time_to_guess}. Anyone who \
         gets the file could then move your funds."
    )
}

/// Import, the password screen.
pub const IMPORT_ENTER_PASSWORD: &str = "Enter the password of this backup.";

/// Import, the file names no network.
pub const IMPORT_CHOOSE_NETWORK: &str = "This backup does not say which network it was made \
     for (files written before May 2021 do not). Choose the network it belongs to.";

/// Import, before the biometric or passcode prompt.
pub const IMPORT_UNLOCK: &str = "Confirm that it is you to import into this wallet.";

/// Import, the review ("Review your import").
pub fn import_review(identities: u32, accounts: u32, contacts: u32, changes: u32) -> String {
    if changes == 0 {
        "Review your import: everything in this backup is already in the wallet; importing it \
         adds nothing."
            .into()
    } else {
        format!(
            "Review your import: it adds {}.",
            contents(identities, accounts, contacts)
        )
    }
}

/// Import, the report ("Ok, thanks").
pub fn import_done(identities: u32, accounts: u32, contacts: u32, changes: u32) -> String {
    if changes == 0 {
        "The import is done: nothing was new.".into()
    } else {
        format!(
            "The import is done: {} added.",
            contents(identities, accounts, contacts)
        )
    }
}

/// Import, cancelled.
pub const IMPORT_CANCELLED: &str = "The import was cancelled; the wallet is unchanged.";
