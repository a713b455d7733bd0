package com.concordium.walletcore.android

import android.util.Log
import com.concordium.walletcore.LogLevel
import com.concordium.walletcore.LogSink
import com.concordium.walletcore.setLogSink

/**
 * Sends the wallet core's log records to Logcat under [tag], each as `target: message` (the
 * target names the core's module, `wallet_core::ledger::bridge`). The core logs no secrets.
 *
 * Install it once at app start, for example in `Application.onCreate`:
 * `LogcatSink.install(if (BuildConfig.DEBUG) LogLevel.DEBUG else LogLevel.INFO)`.
 */
class LogcatSink(private val tag: String = DEFAULT_TAG) : LogSink {

    override fun log(level: LogLevel, target: String, message: String) {
        val text = "$target: $message"
        when (level) {
            LogLevel.ERROR -> Log.e(tag, text)
            LogLevel.WARN -> Log.w(tag, text)
            LogLevel.INFO -> Log.i(tag, text)
            LogLevel.DEBUG -> Log.d(tag, text)
            LogLevel.TRACE -> Log.v(tag, text)
        }
    }

    companion object {
        /** The Logcat tag (at most 23 characters, Logcat's limit before API 26). */
        const val DEFAULT_TAG = "WalletCore"

        /** Routes the core's records up to [maxLevel] to Logcat; a later call replaces the sink. */
        fun install(maxLevel: LogLevel = LogLevel.INFO, tag: String = DEFAULT_TAG) =
            setLogSink(LogcatSink(tag), maxLevel)
    }
}
