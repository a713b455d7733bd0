package com.concordium.walletcore.android.ui

import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import com.concordium.walletcore.ImportLine
import com.concordium.walletcore.ImportSummary
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.PromptText
import com.concordium.walletcore.android.StorageKeyCallback
import com.concordium.walletcore.android.StorageKeyException
import com.concordium.walletcore.inspectBackup

/**
 * More → Import: the system picker (or a file opened or shared from another app) → the file is
 * recognised at once (a Desktop export or a non-backup gets its error before any password) → the
 * password (a wrong one can be typed again without picking the file again) → biometrics or
 * passcode → "Review your import" → Import → the report → "Ok, thanks".
 *
 * The password and the storage key are held from the moment they are given until the import is
 * done or abandoned, and wiped then. The window is `FLAG_SECURE`.
 */
class ImportActivity : FlowActivity("import") {
    private var file: ByteArray? = null
    private var password: ByteArray? = null
    private var storageKey: ByteArray? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        openWallet(::start)
        showWaiting("Import a backup")
    }

    private fun start() {
        val received = receivedUri(intent)
        if (received != null) {
            read(received)
        } else {
            showChooser()
            @Suppress("DEPRECATION")
            startActivityForResult(BackupFiles.openDocumentIntent(), REQUEST_PICK)
        }
    }

    /** `ACTION_VIEW` ("Open with") carries the file as data, `ACTION_SEND` (share) as a stream. */
    private fun receivedUri(intent: Intent): Uri? = when (intent.action) {
        Intent.ACTION_VIEW -> intent.data
        Intent.ACTION_SEND ->
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                intent.getParcelableExtra(Intent.EXTRA_STREAM, Uri::class.java)
            } else {
                @Suppress("DEPRECATION")
                intent.getParcelableExtra(Intent.EXTRA_STREAM)
            }
        else -> null
    }

    private fun showChooser() {
        Screen(this).apply {
            title("Import a backup")
            text("Choose the backup file (.wallet-backup or .concordiumwallet).")
            button("Choose a file", TAG_PICK) {
                @Suppress("DEPRECATION")
                startActivityForResult(BackupFiles.openDocumentIntent(), REQUEST_PICK)
            }
            button("Cancel", TAG_CANCEL) { finish() }
        }.show()
    }

    @Deprecated("Deprecated in Java")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode != REQUEST_PICK) return
        val uri = data?.data
        if (resultCode == RESULT_OK && uri != null) read(uri) else finish()
    }

    private fun read(uri: Uri) {
        showWaiting("Reading the file")
        val resolver = contentResolver
        work.run({
            val bytes = BackupFiles.readBackup(resolver, uri)
            val info = try {
                inspectBackup(bytes)
            } catch (e: Exception) {
                bytes.fill(0)
                throw e
            }
            bytes to info
        }) { result ->
            result.fold(
                onSuccess = { (bytes, info) ->
                    val refusal = ImportCalls.refusal(info)
                    if (refusal != null) {
                        showError(refusal)
                    } else {
                        file = bytes
                        showPassword(null)
                    }
                },
                onFailure = ::showError,
            )
        }
    }

    private fun showPassword(error: String?) {
        val screen = Screen(this)
        screen.title("Enter the backup's password")
        screen.text("The password that was chosen when this backup was made.")
        val field = screen.passwordField("Password", TAG_PASSWORD)
        screen.error(TAG_PASSWORD_ERROR).showError(error)
        screen.button("Continue", TAG_PASSWORD_CONTINUE) {
            val bytes = field.passwordBytes()
            field.wipe()
            checkPassword(bytes)
        }
        screen.button("Cancel", TAG_CANCEL) { finish() }
        screen.show()
        field.requestFocus()
    }

    private fun checkPassword(pw: ByteArray) {
        val bytes = file ?: return pw.fill(0)
        val (token, listener) = startStep("Checking the password")
        work.run({
            ImportCalls.checkPassword(bytes, pw, listener, token)
        }) { result ->
            endStep()
            result.fold(
                onSuccess = {
                    password = pw
                    authenticate()
                },
                onFailure = { e ->
                    pw.fill(0)
                    when {
                        ImportCalls.isWrongPassword(e) -> showPassword(messageFor(e))
                        e is WalletException.Cancelled -> showPassword(null)
                        else -> showError(e)
                    }
                },
            )
        }
    }

    private fun authenticate() {
        val text = PromptText("Import a backup", description = "Confirm it's you to add the backup to your wallet.")
        prompt = WalletShell.storageKeys(this).obtain(this, text, false, object : StorageKeyCallback {
            override fun onKey(key: ByteArray) {
                prompt = null
                if (isDestroyed) return key.fill(0)
                storageKey = key
                preview()
            }

            override fun onError(error: StorageKeyException) {
                prompt = null
                if (isDestroyed) return
                if (error is StorageKeyException.Cancelled) {
                    wipeSecrets()
                    showPassword(null)
                } else {
                    showError(error)
                }
            }
        })
    }

    private fun preview() = step(ImportCalls.Step.PREVIEW, "Checking what is new", ::showReview)

    /** Runs the preview or the import with the file, the password and the storage key. */
    private fun step(step: ImportCalls.Step, title: String, done: (ImportSummary) -> Unit) {
        val w = wallet
        val bytes = file
        val pw = password
        val key = storageKey
        if (w == null || bytes == null || pw == null || key == null) return
        val (token, listener) = startStep(title)
        work.run({ ImportCalls.run(step, w, bytes, pw, key, listener, token) }) { result ->
            endStep()
            if (step == ImportCalls.Step.APPLY) wipeSecrets()
            result.fold(onSuccess = done, onFailure = ::cancelledOrError)
        }
    }

    private fun showReview(plan: ImportSummary) {
        val screen = Screen(this)
        screen.title("Review your import", TAG_REVIEW)
        if (plan.changeCount == 0u) {
            screen.text("Nothing new: everything in this backup is already in your wallet.", TAG_NOTHING_NEW)
            renderSummary(screen, plan)
            screen.button("Ok, thanks", TAG_OK) {
                setResult(RESULT_OK)
                finish()
            }
        } else {
            renderSummary(screen, plan)
            screen.button("Import", TAG_CONFIRM) { apply() }
            screen.button("Cancel", TAG_CANCEL) { finish() }
        }
        screen.show()
    }

    private fun apply() = step(ImportCalls.Step.APPLY, "Importing", ::showReport)

    private fun showReport(report: ImportSummary) {
        val screen = Screen(this)
        screen.title("Your import is done", TAG_REPORT)
        renderSummary(screen, report)
        screen.button("Ok, thanks", TAG_OK) {
            setResult(RESULT_OK)
            finish()
        }
        screen.show()
    }

    /** The preview and the report: counts, then every line with its reason. */
    private fun renderSummary(screen: Screen, plan: ImportSummary) {
        screen.text("Identities to add: ${plan.identitiesAdded.size}", TAG_COUNT_IDENTITIES)
        screen.text("Accounts to add: ${plan.accountsAdded.size}", TAG_COUNT_ACCOUNTS)
        screen.text("Contacts to add: ${plan.contactsAdded.size}", TAG_COUNT_CONTACTS)
        if (plan.accountsUpgraded.isNotEmpty()) {
            screen.text("Read-only accounts that get their keys: ${plan.accountsUpgraded.size}")
        }
        if (plan.alreadyPresent.isNotEmpty()) {
            screen.text("Already in your wallet: ${plan.alreadyPresent.size}", TAG_COUNT_PRESENT)
        }
        section(screen, "New", plan.identitiesAdded + plan.accountsAdded + plan.contactsAdded + plan.accountsUpgraded)
        section(screen, "Kept as they are in your wallet", plan.conflicts)
        section(screen, "Skipped", plan.skipped)
    }

    private fun section(screen: Screen, heading: String, lines: List<ImportLine>) {
        if (lines.isEmpty()) return
        screen.title(heading)
        for (line in lines) {
            val kind = line.kind.name.lowercase().replaceFirstChar { it.uppercase() }
            val reason = if (line.reason.isEmpty()) "" else " — ${line.reason}"
            screen.text("$kind: ${line.name}$reason")
        }
    }

    private fun cancelledOrError(e: Throwable) {
        if (e is WalletException.Cancelled) {
            wipeSecrets()
            showPassword(null)
        } else {
            showError(e)
        }
    }

    private fun showError(e: Throwable) = showError(messageFor(e))

    override val errorTitle: String get() = "This backup cannot be imported"

    private fun showError(message: String) = showErrorScreen(errorTitle, message)

    override fun wipeSecrets() {
        password?.fill(0)
        password = null
        storageKey?.fill(0)
        storageKey = null
    }

    override fun onDestroy() {
        file?.fill(0)
        file = null
        super.onDestroy()
    }

    companion object {
        const val TAG_PICK = "import.pick"
        const val TAG_CANCEL = "import.cancel"
        const val TAG_PASSWORD = "import.password"
        const val TAG_PASSWORD_ERROR = "import.password.error"
        const val TAG_PASSWORD_CONTINUE = "import.password.continue"
        const val TAG_PROGRESS = "import.progress"
        const val TAG_PROGRESS_CANCEL = "import.progress.cancel"
        const val TAG_REVIEW = "import.review"
        const val TAG_NOTHING_NEW = "import.nothing-new"
        const val TAG_COUNT_IDENTITIES = "import.count.identities"
        const val TAG_COUNT_ACCOUNTS = "import.count.accounts"
        const val TAG_COUNT_CONTACTS = "import.count.contacts"
        const val TAG_COUNT_PRESENT = "import.count.present"
        const val TAG_CONFIRM = "import.confirm"
        const val TAG_REPORT = "import.report"
        const val TAG_OK = "import.ok"
        const val TAG_ERROR = "import.error"
        const val TAG_ERROR_CLOSE = "import.error.close"

        private const val REQUEST_PICK = 1
    }
}
