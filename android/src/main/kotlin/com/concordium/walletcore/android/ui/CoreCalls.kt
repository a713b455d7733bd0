package com.concordium.walletcore.android.ui

import com.concordium.walletcore.BackupInfo
import com.concordium.walletcore.BackupKind
import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.ImportSummary
import com.concordium.walletcore.PasswordCheck
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.checkPassword
import com.concordium.walletcore.defaultIterations
import com.concordium.walletcore.minPasswordLength
import com.concordium.walletcore.openBackup

// The core calls behind the screens, kept in one place so the screens do not depend on how the
// core spells them. All of them block: call them through Work.

/** What an export will hold, for the information screen. */
internal data class WalletContents(val identities: Int, val accounts: Int, val contacts: Int)

internal fun Wallet.contents(): WalletContents = overview().let {
    WalletContents(it.identityCount.toInt(), it.accountCount.toInt(), it.contactCount.toInt())
}

/** The verdict on the two password fields of the export. */
internal sealed class PasswordVerdict {
    class TooShort(val minimum: Int) : PasswordVerdict()
    object Mismatch : PasswordVerdict()
    class Weak(val check: PasswordCheck) : PasswordVerdict()
    class Acceptable(val check: PasswordCheck) : PasswordVerdict()
}

internal object ExportCalls {
    /** The warning on the information screen (the seeds' wording, kept short). */
    const val WARNING: String = "Anyone who has this file and its password can unlock it and move your " +
        "funds. Choose a strong password, and keep the password apart from the file."

    private fun iterations(): UInt = WalletShell.exportSettings.iterations ?: defaultIterations()

    /** zxcvbn's estimate at the export's key-derivation cost; null for an empty field. */
    fun strength(password: ByteArray): PasswordCheck? =
        if (password.isEmpty()) null else try {
            checkPassword(password, iterations())
        } catch (e: WalletException) {
            null
        }

    fun verdict(password: ByteArray, repeat: ByteArray): PasswordVerdict {
        val check = strength(password)
        if (check == null || !check.meetsMinimum) return PasswordVerdict.TooShort(minPasswordLength().toInt())
        if (!password.contentEquals(repeat)) return PasswordVerdict.Mismatch
        return if (check.score.toInt() < StrengthMeter.STRONG_ENOUGH) {
            PasswordVerdict.Weak(check)
        } else {
            PasswordVerdict.Acceptable(check)
        }
    }

    /** The file to hand to another app. */
    class ExportedFile(val bytes: ByteArray, val fileName: String, val mimeType: String)

    fun export(
        wallet: Wallet,
        storageKey: ByteArray,
        password: ByteArray,
        listener: ProgressListener,
        cancel: CancelToken,
    ): ExportedFile {
        val bytes = wallet.export(storageKey, password, WalletShell.exportSettings, listener, cancel)
        return ExportedFile(bytes, BackupFiles.suggestedFileName(), BackupFiles.MIME_TYPE)
    }
}

internal object ImportCalls {
    /** Why a recognised file cannot be imported, before any password is asked; null if it can. */
    fun refusal(info: BackupInfo): String? = when (info.kind) {
        BackupKind.LEGACY_DESKTOP ->
            "This is a Concordium Desktop Wallet export. Its keys live on a Ledger device, so it " +
                "cannot be imported into this wallet."
        BackupKind.OURS, BackupKind.LEGACY_MOBILE -> null
    }

    /** True when [e] means "wrong password, try again" rather than "this file cannot be imported". */
    fun isWrongPassword(e: Throwable): Boolean =
        e is WalletException.WrongPassword || e is WalletException.WrongPasswordOrDamaged

    /** Opens the backup once to check the password (before any biometric prompt). */
    fun checkPassword(file: ByteArray, password: ByteArray, listener: ProgressListener, cancel: CancelToken) {
        openBackup(file, password, listener, cancel).close()
    }

    /** The two store steps of an import: the preview ("Review your import") and applying it. */
    enum class Step { PREVIEW, APPLY }

    fun run(
        step: Step,
        wallet: Wallet,
        file: ByteArray,
        password: ByteArray,
        storageKey: ByteArray,
        listener: ProgressListener,
        cancel: CancelToken,
    ): ImportSummary = when (step) {
        Step.PREVIEW -> wallet.previewImport(file, password, storageKey, null, listener, cancel)
        Step.APPLY -> wallet.`import`(file, password, storageKey, null, listener, cancel)
    }
}
