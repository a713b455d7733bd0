package com.concordium.walletcore.android.ui

import android.content.Intent
import android.os.Bundle
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.PromptText
import com.concordium.walletcore.android.StorageKeyCallback
import com.concordium.walletcore.android.StorageKeyException

/**
 * More → Export: biometrics or passcode → what the backup holds and the warning → a password
 * (twice, with a strength meter) → progress with cancel → "Save to Files" or "Share" (Mail,
 * Drive…). Start it with `startActivity(Intent(context, ExportActivity::class.java))`; the wallet
 * comes from [WalletShell].
 *
 * The storage key is held from the prompt until the backup is written, the password only during
 * the export; both are wiped then, on cancel and when the screen closes. The window is
 * `FLAG_SECURE` (no screenshots, blank in the recent-apps list). Nothing is written to disk until
 * the user shares (a file in `cacheDir/backup-share/`, deleted when the screen closes) or saves.
 */
class ExportActivity : FlowActivity("export") {
    private var storageKey: ByteArray? = null
    private var exported: ExportCalls.ExportedFile? = null

    /** The weak password the user was warned about; a second Continue with it proceeds. */
    private var warnedWeak: ByteArray? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        showWaiting("Confirm it's you")
        openWallet(::authenticate)
    }

    private fun authenticate() {
        val text = PromptText("Export your wallet", description = "Confirm it's you to export your wallet.")
        prompt = WalletShell.storageKeys(this).obtain(this, text, false, object : StorageKeyCallback {
            override fun onKey(key: ByteArray) {
                prompt = null
                if (isDestroyed) return key.fill(0)
                storageKey = key
                // A key that does not open this store (another device's, a reset one) fails now,
                // not after the user chose a password.
                val w = wallet ?: return
                work.run({
                    w.checkStorageKey(key)
                    w.contents()
                }) { checked -> checked.fold(onSuccess = ::showInformation, onFailure = ::showError) }
            }

            override fun onError(error: StorageKeyException) {
                prompt = null
                if (error is StorageKeyException.Cancelled) finish() else showError(error)
            }
        })
    }

    private fun showInformation(c: WalletContents) {
        Screen(this).apply {
            title("Export your wallet")
            text(
                "The backup holds ${plural(c.identities, "identity", "identities")}, " +
                    "${plural(c.accounts, "account", "accounts")} with their keys, and " +
                    "${plural(c.contacts, "contact", "contacts")}.",
                TAG_CONTENTS,
            )
            text(ExportCalls.WARNING, TAG_WARNING)
            button("Continue", TAG_INFO_CONTINUE) { showPassword(null) }
            button("Cancel", TAG_CANCEL) { finish() }
        }.show()
    }

    private fun showPassword(note: String?) {
        val screen = Screen(this)
        screen.title("Choose a password")
        screen.text("At least 6 characters. You need it to open the backup; it cannot be recovered.")
        val password = screen.passwordField("Password", TAG_PASSWORD)
        val repeat = screen.passwordField("Repeat the password", TAG_PASSWORD_REPEAT)
        val meter = StrengthMeter(screen, TAG_PASSWORD)
        val error = screen.error(TAG_PASSWORD_ERROR)
        error.showError(note)
        password.onEdit {
            val bytes = password.passwordBytes()
            try {
                meter.show(ExportCalls.strength(bytes))
            } finally {
                bytes.fill(0)
            }
        }
        screen.button("Continue", TAG_PASSWORD_CONTINUE) {
            val first = password.passwordBytes()
            val second = repeat.passwordBytes()
            val verdict = try {
                ExportCalls.verdict(first, second)
            } finally {
                second.fill(0)
            }
            val proceed = when (verdict) {
                is PasswordVerdict.TooShort -> {
                    error.showError("The password must have at least ${verdict.minimum} characters.")
                    false
                }
                PasswordVerdict.Mismatch -> {
                    error.showError("The two passwords are not the same.")
                    false
                }
                is PasswordVerdict.Weak -> {
                    val again = warnedWeak?.contentEquals(first) == true
                    if (!again) {
                        warnedWeak?.fill(0)
                        warnedWeak = first.copyOf()
                        meter.show(verdict.check)
                        error.showError(
                            "This password is weak: one graphics card would need ${verdict.check.timeToGuess} " +
                                "to guess it. Choose a stronger one, or press Continue again to use it.",
                        )
                    }
                    again
                }
                is PasswordVerdict.Acceptable -> true
            }
            if (proceed) {
                password.wipe()
                repeat.wipe()
                warnedWeak?.fill(0)
                warnedWeak = null
                export(first)
            } else {
                first.fill(0)
            }
        }
        screen.button("Cancel", TAG_CANCEL) { finish() }
        screen.show()
        password.requestFocus()
    }

    private fun export(password: ByteArray) {
        val w = wallet
        val key = storageKey
        if (w == null || key == null) return password.fill(0)
        val (token, listener) = startStep(
            "Encrypting your backup",
            "This takes a few seconds: the password is made slow to guess.",
        )
        work.run(
            {
                try {
                    ExportCalls.export(w, key, password, listener, token)
                } finally {
                    password.fill(0)
                }
            },
            discard = { it.bytes.fill(0) },
        ) { result ->
            endStep()
            result.fold(
                onSuccess = {
                    exported = it
                    wipeKey()
                    showReady(null)
                },
                onFailure = { e ->
                    if (e is WalletException.Cancelled) showPassword("The export was cancelled.") else showError(e)
                },
            )
        }
    }

    private fun showReady(status: String?) {
        val file = exported ?: return
        Screen(this).apply {
            title("Your backup is ready")
            text("${file.fileName}\nSave it to Files or send it to another app. Keep the password apart from the file.")
            text(status ?: "", TAG_STATUS)
            button("Save to Files", TAG_SAVE) {
                startActivityForResult(BackupFiles.createDocumentIntent(file.fileName), REQUEST_SAVE)
            }
            button("Share (Mail, Drive…)", TAG_SHARE) { share(file) }
            button("Done", TAG_DONE) {
                setResult(RESULT_OK)
                finish()
            }
        }.show()
    }

    private fun share(file: ExportCalls.ExportedFile) {
        val context = applicationContext
        work.run({ BackupFiles.shareIntent(context, file.bytes, file.fileName, "Send the backup") }) { result ->
            result.fold(onSuccess = { startActivity(it) }, onFailure = ::showError)
        }
    }

    @Deprecated("Deprecated in Java")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode != REQUEST_SAVE) return
        val uri = data?.data
        val file = exported
        if (resultCode != RESULT_OK || uri == null || file == null) return
        val resolver = contentResolver
        work.run({ BackupFiles.writeBackup(resolver, uri, file.bytes) }) { result ->
            result.fold(onSuccess = { showReady("Saved.") }, onFailure = ::showError)
        }
    }

    override val errorTitle: String get() = "The export did not work"

    private fun showError(e: Throwable) = showErrorScreen(errorTitle, messageFor(e))

    private fun wipeKey() {
        storageKey?.fill(0)
        storageKey = null
    }

    override fun wipeSecrets() {
        wipeKey()
        warnedWeak?.fill(0)
        warnedWeak = null
    }

    override fun onDestroy() {
        exported?.bytes?.fill(0)
        exported = null
        if (isFinishing) BackupFiles.deleteSharedBackups(this)
        super.onDestroy()
    }

    companion object {
        const val TAG_CONTENTS = "export.contents"
        const val TAG_WARNING = "export.warning"
        const val TAG_INFO_CONTINUE = "export.info.continue"
        const val TAG_CANCEL = "export.cancel"
        const val TAG_PASSWORD = "export.password"
        const val TAG_PASSWORD_REPEAT = "export.password.repeat"
        const val TAG_PASSWORD_ERROR = "export.password.error"
        const val TAG_PASSWORD_CONTINUE = "export.password.continue"
        const val TAG_PROGRESS = "export.progress"
        const val TAG_PROGRESS_CANCEL = "export.progress.cancel"
        const val TAG_STATUS = "export.status"
        const val TAG_SAVE = "export.save"
        const val TAG_SHARE = "export.share"
        const val TAG_DONE = "export.done"
        const val TAG_ERROR = "export.error"
        const val TAG_ERROR_CLOSE = "export.error.close"

        /** The meter's views: "$TAG_PASSWORD.strength", ".strength.text", ".strength.warning". */
        const val TAG_STRENGTH_WARNING = "$TAG_PASSWORD.strength.warning"

        private const val REQUEST_SAVE = 1
    }
}
