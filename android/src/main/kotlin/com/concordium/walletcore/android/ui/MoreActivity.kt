package com.concordium.walletcore.android.ui

import android.app.Activity
import android.content.Intent
import android.os.Bundle

/** The More screen's backup part: Export and Import. */
class MoreActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        Screen(this).apply {
            title("More")
            text("A backup file holds your identities, accounts with their keys, and contacts. " +
                "Export one after every change, and keep it and its password apart.")
            button("Export", TAG_EXPORT) { startActivity(Intent(this@MoreActivity, ExportActivity::class.java)) }
            button("Import", TAG_IMPORT) { startActivity(Intent(this@MoreActivity, ImportActivity::class.java)) }
        }.show()
    }

    companion object {
        const val TAG_EXPORT = "more.export"
        const val TAG_IMPORT = "more.import"
    }
}
