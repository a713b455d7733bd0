package com.concordium.walletcore.android.ui

import android.content.Intent
import android.os.Bundle
import com.concordium.walletcore.ExportFlow
import com.concordium.walletcore.ExportState
import com.concordium.walletcore.ExportedFile
import com.concordium.walletcore.PasswordFeedback
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.PromptText

/**
 * More → Export, rendering the core's `ExportFlow` (docs/flows.md): biometrics or passcode →
 * what the backup holds and the warning → a password (twice, with a strength meter) → the weak
 * password warning if it is weak → progress with cancel → "Save to Files" or "Share" (Mail,
 * Drive…). Start it with `startActivity(Intent(context, ExportActivity::class.java))`; the wallet
 * comes from [WalletShell].
 *
 * The flow holds the storage key and the password only while it needs them and wipes them; this
 * screen wipes its own copies after each call. Nothing is written to disk until the user shares
 * (a file in `cacheDir/backup-share/`, deleted when the screen closes) or saves.
 */
class ExportActivity : FlowActivity("export") {
    private var flow: ExportFlow? = null

    override val errorTitle: String get() = "The export did not work"

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        showWaiting("Confirm it's you")
        openWallet {
            val w = wallet ?: return@openWallet
            advance({ ExportFlow(w, WalletShell.exportSettings).also { flow = it }.state() }, ::render)
        }
    }

    /** Shows the screen of [state]. */
    private fun render(state: ExportState) {
        val f = flow ?: return
        when (state) {
            is ExportState.Unlock ->
                if (state.problem != null) {
                    // The key the prompt released does not open this store: prompting again gives the same key.
                    showErrorScreen(errorTitle, state.problem!!.text)
                } else {
                    val text = PromptText("Export your wallet", description = "Confirm it's you to export your wallet.")
                    askForStorageKey(text, onCancelled = ::finish) { key -> advance({ f.unlock(key) }, ::render) }
                }
            is ExportState.Information -> showInformation(f, state)
            is ExportState.ChoosePassword -> showPassword(f, state.feedback)
            is ExportState.ReadyToExport ->
                if (state.feedback.weak) showWeakWarning(f, state.feedback) else export(f)
            is ExportState.Finished -> showReady(f, state.file, null)
            is ExportState.Saved -> showReady(f, state.file, "Saved.")
            is ExportState.Cancelled -> finish()
            is ExportState.Failed -> showErrorScreen(errorTitle, state.problem.text)
        }
    }

    private fun showInformation(f: ExportFlow, state: ExportState.Information) {
        val c = state.contents
        Screen(this).apply {
            title("Export your wallet")
            text(
                "The backup holds ${plural(c.identities, "identity", "identities")}, " +
                    "${plural(c.accounts, "account", "accounts")} with their keys, and " +
                    "${plural(c.contacts, "contact", "contacts")}.",
                TAG_CONTENTS,
            )
            if (c.readOnlyAccounts > 0u) {
                text("${plural(c.readOnlyAccounts, "read-only account is", "read-only accounts are")} not in a backup.")
            }
            text(state.warning, TAG_WARNING)
            button("Continue", TAG_INFO_CONTINUE) { advance({ f.acknowledge() }, ::render) }
            button("Cancel", TAG_CANCEL) { finish() }
        }.show()
    }

    private fun showPassword(f: ExportFlow, feedback: PasswordFeedback?) {
        val screen = Screen(this)
        screen.title("Choose a password")
        screen.text("At least 6 characters. You need it to open the backup; it cannot be recovered.")
        val password = screen.passwordField("Password", TAG_PASSWORD)
        val repeat = screen.passwordField("Repeat the password", TAG_PASSWORD_REPEAT)
        val meter = StrengthMeter(screen, TAG_PASSWORD)
        screen.error(TAG_PASSWORD_ERROR).showError(feedback?.problem?.text)
        // Rating is quick (no key derivation) and the flow is idle on this screen: on the main thread.
        val rate = {
            meter.show(if (password.text.isEmpty()) null else f.ratePassword(password.passwordBytes(), repeat.passwordBytes()))
        }
        password.onEdit(rate)
        repeat.onEdit(rate)
        screen.button("Continue", TAG_PASSWORD_CONTINUE) {
            val first = password.passwordBytes()
            val second = repeat.passwordBytes()
            password.wipe()
            repeat.wipe()
            advance({ f.setPassword(first, second) }, ::render)
        }
        screen.button("Cancel", TAG_CANCEL) { finish() }
        screen.show()
        password.requestFocus()
    }

    private fun showWeakWarning(f: ExportFlow, feedback: PasswordFeedback) {
        Screen(this).apply {
            title("This password is weak")
            text(feedback.weakWarning ?: "This password is easy to guess.", TAG_WEAK_WARNING)
            button("Choose another password", TAG_WEAK_BACK) { advance({ f.back() }, ::render) }
            button("Use it anyway", TAG_WEAK_CONTINUE) { export(f) }
        }.show()
    }

    private fun export(f: ExportFlow) {
        val (token, listener) = startStep(
            "Encrypting your backup",
            "This takes a few seconds: the password is made slow to guess.",
        )
        work.run({ f.run(listener, token) }) { result ->
            endStep()
            result.fold(
                onSuccess = { state ->
                    if (state is ExportState.Cancelled) {
                        // The flow ends on cancel; the person may start the export again from More.
                        finish()
                    } else {
                        render(state)
                    }
                },
                onFailure = { showErrorScreen(errorTitle, messageFor(it)) },
            )
        }
    }

    private fun showReady(f: ExportFlow, file: ExportedFile, status: String?) {
        Screen(this).apply {
            title("Your backup is ready")
            text("${file.fileName}\nSave it to Files or send it to another app. Keep the password apart from the file.")
            text(status ?: "", TAG_STATUS)
            button("Save to Files", TAG_SAVE) {
                @Suppress("DEPRECATION")
                startActivityForResult(BackupFiles.createDocumentIntent(file.fileName, file.mimeType), REQUEST_SAVE)
            }
            button("Share (Mail, Drive…)", TAG_SHARE) { share(f, file) }
            button("Done", TAG_DONE) {
                setResult(RESULT_OK)
                finish()
            }
        }.show()
    }

    private fun share(f: ExportFlow, file: ExportedFile) {
        val context = applicationContext
        work.run({ BackupFiles.shareIntent(context, f.fileBytes(), file.fileName, file.mimeType, "Send the backup") }) { result ->
            result.fold(
                onSuccess = {
                    @Suppress("DEPRECATION")
                    startActivityForResult(it, REQUEST_SHARE)
                },
                onFailure = { showErrorScreen(errorTitle, messageFor(it)) },
            )
        }
    }

    /**
     * Back from the share sheet. Android does not say whether the chosen app kept the file (most
     * return "cancelled" either way), so the person says it: only then is the export recorded
     * for the backup reminder (`confirmSaved`).
     */
    private fun askWhetherShared(f: ExportFlow, file: ExportedFile) {
        Screen(this).apply {
            title("Did the backup arrive?")
            text("Confirm once ${file.fileName} is sent or stored by the app you chose.")
            button("Yes, it is saved", TAG_SHARED_YES) { advance({ f.confirmSaved() }, ::render) }
            button("No, not yet", TAG_SHARED_NO) { showReady(f, file, null) }
        }.show()
    }

    @Deprecated("Deprecated in Java")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        val f = flow ?: return
        val file = when (val state = f.state()) {
            is ExportState.Finished -> state.file
            is ExportState.Saved -> state.file
            else -> return
        }
        when (requestCode) {
            REQUEST_SHARE -> askWhetherShared(f, file)
            REQUEST_SAVE -> {
                val uri = data?.data
                if (resultCode != RESULT_OK || uri == null) return
                val resolver = contentResolver
                advance({
                    BackupFiles.writeBackup(resolver, uri, f.fileBytes())
                    f.confirmSaved()
                }, ::render)
            }
        }
    }

    override fun onDestroy() {
        flow?.close()
        flow = null
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
        const val TAG_WEAK_WARNING = "export.weak.warning"
        const val TAG_WEAK_BACK = "export.weak.back"
        const val TAG_WEAK_CONTINUE = "export.weak.continue"
        const val TAG_PROGRESS = "export.progress"
        const val TAG_PROGRESS_CANCEL = "export.progress.cancel"
        const val TAG_STATUS = "export.status"
        const val TAG_SAVE = "export.save"
        const val TAG_SHARE = "export.share"
        const val TAG_SHARED_YES = "export.shared.yes"
        const val TAG_SHARED_NO = "export.shared.no"
        const val TAG_DONE = "export.done"
        const val TAG_ERROR = "export.error"
        const val TAG_ERROR_CLOSE = "export.error.close"

        /** The meter's views: "$TAG_PASSWORD.strength", ".strength.text", ".strength.warning". */
        const val TAG_STRENGTH_WARNING = "$TAG_PASSWORD.strength.warning"

        private const val REQUEST_SAVE = 1
        private const val REQUEST_SHARE = 2
    }
}
