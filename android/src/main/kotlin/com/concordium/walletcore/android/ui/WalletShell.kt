package com.concordium.walletcore.android.ui

import android.content.Context
import com.concordium.walletcore.ExportFormat
import com.concordium.walletcore.ExportSettings
import com.concordium.walletcore.android.BiometricStorageKey
import com.concordium.walletcore.android.StorageKeySource
import java.io.File
import java.util.concurrent.Executor
import java.util.concurrent.Executors

/**
 * How the library's screens ([MoreActivity], [ExportActivity], [ImportActivity]) reach the app's
 * wallet. Set once, e.g. in `Application.onCreate`; the defaults suit an app that keeps one
 * wallet store and uses the device credential or biometrics as its passcode.
 *
 * The wallet path is never taken from an intent: [ImportActivity] also receives files from other
 * apps ("Open with", share), and they must not choose which store is written.
 */
object WalletShell {
    /** The wallet store file (created by the app with `Wallet.create`). */
    @Volatile
    var walletPath: (Context) -> File = { File(File(it.noBackupFilesDir, "walletcore"), "wallet.sqlite") }

    /**
     * Where the storage key comes from: [BiometricStorageKey] by default; an app with a passcode of
     * its own installs its [StorageKeySource] here.
     */
    @Volatile
    var storageKeys: (Context) -> StorageKeySource = { DefaultKeys.get(it) }

    /** Format and cost of exports: our format at the default cost. */
    @Volatile
    var exportSettings: ExportSettings = ExportSettings(ExportFormat.OURS, null)

    /** Runs the key derivation, the store and the file work off the main thread. */
    @Volatile
    var background: Executor = Executors.newCachedThreadPool { r ->
        Thread(r, "walletcore-screens").apply { isDaemon = true }
    }

    private object DefaultKeys {
        @Volatile
        private var instance: BiometricStorageKey? = null

        fun get(context: Context): BiometricStorageKey =
            instance ?: synchronized(this) {
                instance ?: BiometricStorageKey(context.applicationContext).also { instance = it }
            }
    }
}
