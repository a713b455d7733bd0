package com.concordium.walletcore.android.ui

import android.app.Activity
import android.os.Handler
import android.os.Looper
import com.concordium.walletcore.ProgressListener

/**
 * Runs blocking work (key derivation, the store, files) on [WalletShell.background] and hands the
 * outcome back on the main thread, unless the activity is gone by then: [discard] then receives a
 * result that holds secrets, so it can wipe them.
 */
internal class Work(private val activity: Activity) {
    private val main = Handler(Looper.getMainLooper())

    fun <T> run(task: () -> T, discard: (T) -> Unit = {}, done: (Result<T>) -> Unit) {
        WalletShell.background.execute {
            val outcome = try {
                Result.success(task())
            } catch (e: Exception) {
                Result.failure(e)
            }
            main.post {
                if (activity.isDestroyed) {
                    outcome.getOrNull()?.let(discard)
                } else {
                    done(outcome)
                }
            }
        }
    }

    /** A listener for the core's progress reports (key derivation) that updates [show] on the main thread. */
    fun progress(show: (done: Int, total: Int) -> Unit): ProgressListener = object : ProgressListener {
        override fun onProgress(done: UInt, total: UInt) {
            main.post { if (!activity.isDestroyed) show(done.toInt(), total.toInt()) }
        }
    }
}
