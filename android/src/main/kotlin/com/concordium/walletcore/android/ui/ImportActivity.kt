package com.concordium.walletcore.android.ui

import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import com.concordium.walletcore.ImportFlow
import com.concordium.walletcore.ImportLine
import com.concordium.walletcore.ImportState
import com.concordium.walletcore.ImportSummary
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.PromptText

/**
 * More → Import, rendering the core's `ImportFlow` (docs/flows.md): the system picker (or a file
 * opened or shared from another app) → the file is recognised at once (a Desktop export or a
 * non-backup gets its error before any password) → the password (a wrong one can be typed again
 * without picking the file again) → biometrics or passcode → "Review your import" → Import → the
 * report → "Ok, thanks".
 *
 * The flow holds the file, the decrypted wallet and the storage key only while it needs them and
 * wipes them; this screen wipes its own copies after each call.
 */
class ImportActivity : FlowActivity("import") {
    private var flow: ImportFlow? = null

    override val errorTitle: String get() = "This backup cannot be imported"

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        showWaiting("Import a backup")
        openWallet(::start)
    }

    private fun start() {
        val received = receivedUri(intent)
        if (received != null) {
            read(received)
        } else {
            showChooser()
            pick()
        }
    }

    private fun pick() {
        @Suppress("DEPRECATION")
        startActivityForResult(BackupFiles.openDocumentIntent(), REQUEST_PICK)
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
            button("Choose a file", TAG_PICK) { pick() }
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

    /** Reads the file (capped) and hands it to a new flow, which recognises it at once. */
    private fun read(uri: Uri) {
        val w = wallet ?: return
        showWaiting("Reading the file")
        val resolver = contentResolver
        advance({
            val bytes = BackupFiles.readBackup(resolver, uri)
            try {
                ImportFlow(w, bytes).also { flow = it }.state()
            } finally {
                bytes.fill(0)
            }
        }, ::render)
    }

    /** Shows the screen of [state]. */
    private fun render(state: ImportState) {
        val f = flow ?: return
        when (state) {
            is ImportState.Rejected -> showErrorScreen(errorTitle, state.problem.text)
            is ImportState.EnterPassword -> showPassword(f, state.problem?.text)
            is ImportState.ChooseNetwork -> showNetworks(f, state)
            is ImportState.Unlock ->
                if (state.problem != null) {
                    showErrorScreen(errorTitle, state.problem!!.text)
                } else {
                    unlock(f)
                }
            is ImportState.Review -> showReview(f, state)
            is ImportState.Done -> showReport(state.summary)
            is ImportState.Cancelled -> finish()
            is ImportState.Failed -> showErrorScreen(errorTitle, state.problem.text)
        }
    }

    private fun showPassword(f: ImportFlow, problem: String?) {
        val screen = Screen(this)
        screen.title("Enter the backup's password")
        screen.text("The password that was chosen when this backup was made.")
        val field = screen.passwordField("Password", TAG_PASSWORD)
        screen.error(TAG_PASSWORD_ERROR).showError(problem)
        screen.button("Continue", TAG_PASSWORD_CONTINUE) {
            val password = field.passwordBytes()
            field.wipe()
            val (token, listener) = startStep("Checking the password")
            work.run({ f.submitPassword(password, listener, token) }) { result ->
                endStep()
                password.fill(0)
                result.fold(::render) { showErrorScreen(errorTitle, messageFor(it)) }
            }
        }
        screen.button("Cancel", TAG_CANCEL) { finish() }
        screen.show()
        field.requestFocus()
    }

    /** A backup that names no network: the person says which one it was made for. */
    private fun showNetworks(f: ImportFlow, state: ImportState.ChooseNetwork) {
        Screen(this).apply {
            title("Which network is this backup from?")
            text(state.text())
            for (network in state.choices) {
                val name = network.name.lowercase()
                button(name.replaceFirstChar { it.uppercase() }, "$TAG_NETWORK.$name") {
                    advance({ f.chooseNetwork(network) }, ::render)
                }
            }
            button("Cancel", TAG_CANCEL) { finish() }
        }.show()
    }

    private fun unlock(f: ImportFlow) {
        showWaiting("Confirm it's you")
        val text = PromptText("Import a backup", description = "Confirm it's you to add the backup to your wallet.")
        askForStorageKey(text, onCancelled = { showUnlockAgain(f) }) { key ->
            showWaiting("Checking what is new")
            advance({ f.unlock(key) }, ::render)
        }
    }

    /** The prompt was dismissed: the password is checked already, so only the prompt is asked again. */
    private fun showUnlockAgain(f: ImportFlow) {
        Screen(this).apply {
            title("Confirm it's you")
            text("Your fingerprint, face or screen lock is needed to add the backup to your wallet.")
            button("Try again", TAG_UNLOCK_AGAIN) { unlock(f) }
            button("Cancel", TAG_CANCEL) { finish() }
        }.show()
    }

    private fun showReview(f: ImportFlow, state: ImportState.Review) {
        val plan = state.summary
        val screen = Screen(this)
        screen.title("Review your import", TAG_REVIEW)
        state.problem?.let { screen.error(TAG_REVIEW_PROBLEM).showError(it.text) }
        if (plan.changeCount == 0u) {
            screen.text("Nothing new: everything in this backup is already in your wallet.", TAG_NOTHING_NEW)
            renderSummary(screen, plan)
            screen.button("Ok, thanks", TAG_OK) {
                setResult(RESULT_OK)
                finish()
            }
        } else {
            renderSummary(screen, plan)
            screen.button("Import", TAG_CONFIRM) {
                showWaiting("Importing")
                advance({ f.confirm() }, ::render)
            }
            screen.button("Cancel", TAG_CANCEL) { finish() }
        }
        screen.show()
    }

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

    /** The review and the report: counts, then every line with its reason. */
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

    override fun onDestroy() {
        flow?.close()
        flow = null
        super.onDestroy()
    }

    companion object {
        const val TAG_PICK = "import.pick"
        const val TAG_CANCEL = "import.cancel"
        const val TAG_PASSWORD = "import.password"
        const val TAG_PASSWORD_ERROR = "import.password.error"
        const val TAG_PASSWORD_CONTINUE = "import.password.continue"
        const val TAG_NETWORK = "import.network"
        const val TAG_UNLOCK_AGAIN = "import.unlock.again"
        const val TAG_PROGRESS = "import.progress"
        const val TAG_PROGRESS_CANCEL = "import.progress.cancel"
        const val TAG_REVIEW = "import.review"
        const val TAG_REVIEW_PROBLEM = "import.review.problem"
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
