package com.concordium.walletcore.android.test

import android.util.Log
import com.concordium.walletcore.LogLevel
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.android.LogcatSink
import com.concordium.walletcore.clearLogSink
import com.concordium.walletcore.openBackup
import org.junit.After
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowLog

/** The core's log records reach Logcat through [LogcatSink], at Logcat's matching priorities. */
@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [35])
class LogcatSinkTest : DeviceTest() {

    @After
    fun stopLogging() = clearLogSink()

    @Test
    fun coreRecordsReachLogcat() {
        ShadowLog.clear()
        LogcatSink.install(LogLevel.DEBUG)
        val wrong = "kestrel-lantern-91"
        assertThrows(WalletException::class.java) {
            openBackup(DESKTOP_EXPORT.toByteArray(), wrong.toByteArray(), null, null)
        }
        val logs = ShadowLog.getLogsForTag(LogcatSink.DEFAULT_TAG)
        val text = logs.joinToString("\n") { "${it.type} ${it.msg}" }
        assertTrue(text, logs.any { it.type == Log.DEBUG && it.msg.startsWith("wallet_core::format: opening a legacy file (Desktop Wallet fields)") })
        assertTrue(text, logs.any { it.type == Log.INFO && it.msg.contains("failed") })
        assertFalse(text, logs.any { it.msg.contains(wrong) })
    }

    @Test
    fun theLevelFilters() {
        ShadowLog.clear()
        LogcatSink.install(LogLevel.WARN)
        runCatching { openBackup(DESKTOP_EXPORT.toByteArray(), "kestrel-lantern-91".toByteArray(), null, null) }
        assertTrue(ShadowLog.getLogsForTag(LogcatSink.DEFAULT_TAG).none { it.type == Log.DEBUG || it.type == Log.INFO })
    }
}
