package com.concordium.walletcore.android.ui

import android.app.Activity
import android.os.Bundle
import android.os.CancellationSignal
import android.view.WindowManager
import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.android.PromptText
import com.concordium.walletcore.android.StorageKeyCallback
import com.concordium.walletcore.android.StorageKeyException

/**
 * What the export and import screens share: a `FLAG_SECURE` window (no screenshots, blank in the
 * recent-apps list: both show password fields), background [work], the open biometric [prompt]
 * and the [CancelToken] of the running core call, both ended when the screen goes, and the
 * waiting, progress and error screens.
 */
abstract class FlowActivity internal constructor(private val tagPrefix: String) : Activity() {
    internal lateinit var work: Work
    internal var wallet: Wallet? = null
    internal var prompt: CancellationSignal? = null
    private var cancel: CancelToken? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        work = Work(this)
    }

    /** Opens the wallet store of [WalletShell.walletPath] off the main thread, then runs [then]. */
    internal fun openWallet(then: () -> Unit) {
        val path = WalletShell.walletPath(this).path
        work.run({ Wallet.open(path) }, discard = { it.close() }) { opened ->
            opened.fold(
                onSuccess = {
                    wallet = it
                    then()
                },
                onFailure = { showErrorScreen(errorTitle, messageFor(it)) },
            )
        }
    }

    /**
     * Shows the biometric / passcode prompt of [WalletShell.storageKeys] and hands the released
     * storage key to [onKey] (which passes it to the flow, which wipes it). A dismissed prompt
     * calls [onCancelled]; any other failure shows the error screen.
     */
    internal fun askForStorageKey(text: PromptText, onCancelled: () -> Unit, onKey: (ByteArray) -> Unit) {
        prompt = WalletShell.storageKeys(this).obtain(this, text, false, object : StorageKeyCallback {
            override fun onKey(key: ByteArray) {
                prompt = null
                if (isDestroyed) key.fill(0) else onKey(key)
            }

            override fun onError(error: StorageKeyException) {
                prompt = null
                if (isDestroyed) return
                if (error is StorageKeyException.Cancelled) onCancelled() else showErrorScreen(errorTitle, messageFor(error))
            }
        })
    }

    /** Runs a flow call off the main thread and shows the screen of the state it returns. */
    internal fun <S> advance(call: () -> S, render: (S) -> Unit) {
        work.run(call) { result -> result.fold(render) { showErrorScreen(errorTitle, messageFor(it)) } }
    }

    /** The title of this flow's error screen. */
    internal abstract val errorTitle: String

    /** A title and an indeterminate bar, while the wallet opens or the prompt is up. */
    internal fun showWaiting(title: String) {
        Screen(this).apply {
            title(title)
            progressBar("$tagPrefix.progress")
        }.show()
    }

    /**
     * A progress screen whose Cancel button cancels the returned token; the listener moves its
     * bar. Call [endStep] when the core call is over.
     */
    internal fun startStep(title: String, note: String? = null): Pair<CancelToken, ProgressListener> {
        val token = CancelToken().also { cancel = it }
        val screen = Screen(this)
        screen.title(title)
        note?.let { screen.text(it) }
        val bar = screen.progressBar("$tagPrefix.progress")
        screen.button("Cancel", "$tagPrefix.progress.cancel") { token.cancel() }
        screen.show()
        val listener = work.progress { done, total ->
            bar.isIndeterminate = false
            bar.max = total
            bar.progress = done
        }
        return token to listener
    }

    /** Releases the token of the finished step (closing one still in use is safe: the call holds its own reference). */
    internal fun endStep() {
        cancel?.close()
        cancel = null
    }

    /** The error screen: a sentence for people and Close. */
    internal fun showErrorScreen(title: String, message: String) {
        wipeSecrets()
        Screen(this).apply {
            title(title)
            text(message, "$tagPrefix.error")
            button("Close", "$tagPrefix.error.close") { finish() }
        }.show()
    }

    /** Wipes the passwords, keys and files the screen holds (the flow objects wipe their own). */
    internal open fun wipeSecrets() = Unit

    override fun onDestroy() {
        prompt?.cancel()
        cancel?.cancel()
        endStep()
        wipeSecrets()
        wallet?.close()
        wallet = null
        super.onDestroy()
    }
}
