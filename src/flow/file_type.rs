//! The name, extension, MIME type and uniform type identifier an exported file gets.
//!
//! Both shells take them from here, so a file shared from an Android phone opens in the app on an
//! iPhone and the other way round. Our format gets its own extension and type; the legacy format
//! keeps the `.concordiumwallet` extension and the UTI Concordium's iOS wallet declared
//! (`com.concordium.id.concordiumwallet`), so older tools still recognise it. The MIME type is
//! `application/octet-stream` for both: the files are JSON, but `application/json` invites text
//! viewers and editors that may reformat the file, and our format must stay byte-exact. Importers
//! never rely on any of these: the core recognises a file by its content.

use crate::format::BackupFormat;

/// How an exported file is named and typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The file name extension, without the dot.
    pub extension: &'static str,
    /// The MIME type for share intents and document providers.
    pub mime_type: &'static str,
    /// The uniform type identifier (iOS `UTExportedTypeDeclarations` / `UTImportedTypeDeclarations`).
    pub uti: &'static str,
}

/// Our format (docs/backup-format.md).
pub const OURS: FileType = FileType {
    extension: "wallet-backup",
    mime_type: "application/octet-stream",
    uti: "com.concordium.wallet-backup",
};

/// Concordium's legacy mobile-wallet export.
pub const LEGACY: FileType = FileType {
    extension: "concordiumwallet",
    mime_type: "application/octet-stream",
    uti: "com.concordium.id.concordiumwallet",
};

impl FileType {
    /// The type of a file written in `format`.
    pub fn of(format: BackupFormat) -> Self {
        match format {
            BackupFormat::Ours => OURS,
            BackupFormat::Legacy => LEGACY,
        }
    }

    /// `concordium-backup-YYYYMMDD.<extension>`, dated in UTC at `unix_seconds` (so both shells
    /// and every time zone name the same export the same way on the same UTC day).
    pub fn file_name(&self, unix_seconds: i64) -> String {
        let (y, m, d) = civil_date(unix_seconds.div_euclid(86_400));
        format!("concordium-backup-{y:04}{m:02}{d:02}.{}", self.extension)
    }
}

/// The proleptic Gregorian date of a day number counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, public domain). Written out because one date in a file name does not
/// justify a date-time dependency.
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        // Known instants (`date -u -d @N`).
        assert_eq!(
            OURS.file_name(0),
            "concordium-backup-19700101.wallet-backup"
        );
        assert_eq!(
            OURS.file_name(951_782_400),
            "concordium-backup-20000229.wallet-backup"
        );
        assert_eq!(
            LEGACY.file_name(1_735_689_599),
            "concordium-backup-20241231.concordiumwallet"
        );
        assert_eq!(
            OURS.file_name(1_735_689_600),
            "concordium-backup-20250101.wallet-backup"
        );
        assert_eq!(
            OURS.file_name(4_107_542_400),
            "concordium-backup-21000301.wallet-backup"
        );
        assert_eq!(civil_date(-1), (1969, 12, 31));
    }
}
