package com.concordium.walletcore.android.ui

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import android.widget.TextView
import com.concordium.walletcore.Wallet

/**
 * The More screen's backup part: whether a backup is due (the core's `Wallet.backupStatus`: never
 * exported, or what changed since the last export), Export and Import.
 */
class MoreActivity : Activity() {
    private lateinit var work: Work
    private lateinit var status: TextView

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        work = Work(this)
        Screen(this).apply {
            title("More")
            status = text("", TAG_BACKUP_STATUS)
            button("Export", TAG_EXPORT) { startActivity(Intent(this@MoreActivity, ExportActivity::class.java)) }
            button("Import", TAG_IMPORT) { startActivity(Intent(this@MoreActivity, ImportActivity::class.java)) }
        }.show()
    }

    /** Read again whenever the screen comes back (after an export or an import). */
    override fun onResume() {
        super.onResume()
        val path = WalletShell.walletPath(this).path
        work.run({ Wallet.open(path).use { it.backupStatus() } }) { result ->
            // No wallet yet, or it cannot be read: the export and import screens explain why.
            status.text = result.getOrNull()?.let { if (it.due) "Backup due. ${it.text}" else it.text } ?: ""
        }
    }

    companion object {
        const val TAG_BACKUP_STATUS = "more.backup-status"
        const val TAG_EXPORT = "more.export"
        const val TAG_IMPORT = "more.import"
    }
}
