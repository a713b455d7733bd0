package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.LogLevel
import com.concordium.walletcore.LogSink
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.clearLogSink
import com.concordium.walletcore.openBackup
import com.concordium.walletcore.setLogSink
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.CopyOnWriteArrayList

/** The library's log records reach a Kotlin [LogSink], as an app routes them to Logcat. */
class LoggingTest : LibraryTest() {

    data class Record(val level: LogLevel, val target: String, val message: String)

    class Collect : LogSink {
        val records = CopyOnWriteArrayList<Record>()
        override fun log(level: LogLevel, target: String, message: String) {
            records.add(Record(level, target, message))
        }
    }

    @AfterEach
    fun stopLogging() = clearLogSink()

    @Test
    fun `a real open logs through the sink, without the password`() {
        val file = exportSample()
        val sink = Collect()
        setLogSink(sink, LogLevel.DEBUG)
        openBackup(file, pw(), null, null).close()
        assertThrows(WalletException.WrongPassword::class.java) {
            openBackup(file, pw("not the password"), null, null)
        }
        val records = sink.records.toList()
        assertTrue(
            records.any { it.level == LogLevel.INFO && it.target == "wallet_core::format" && it.message.startsWith("opened a wallet backup") },
            records.joinToString("\n"),
        )
        assertTrue(records.any { it.level == LogLevel.DEBUG && it.message.contains("600000 iterations") })
        assertTrue(records.any { it.message.contains("The password is wrong.") })
        assertTrue(records.all { it.target.startsWith("wallet_core") })
        assertFalse(records.any { it.message.contains(PASSWORD) || it.message.contains("not the password") })
    }

    @Test
    fun `a second sink replaces the first, and the level filters`() {
        val first = Collect()
        val second = Collect()
        setLogSink(first, LogLevel.INFO)
        setLogSink(second, LogLevel.INFO)
        exportSample()
        assertTrue(first.records.isEmpty())
        assertTrue(second.records.any { it.message.startsWith("exporting 1 identities") })
        assertTrue(second.records.none { it.level == LogLevel.DEBUG || it.level == LogLevel.TRACE })

        clearLogSink()
        val before = second.records.size
        exportSample()
        assertTrue(second.records.size == before)
    }
}
