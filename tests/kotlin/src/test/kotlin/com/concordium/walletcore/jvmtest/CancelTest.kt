package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class CancelTest : LibraryTest() {

    @Test
    fun `a token starts uncancelled and stays cancelled`() {
        CancelToken().use { token ->
            assertFalse(token.isCancelled())
            token.cancel()
            assertTrue(token.isCancelled())
            token.cancel()
            assertTrue(token.isCancelled())
        }
    }

    @Test
    fun `cancel from the first progress callback stops an export`() {
        CancelToken().use { token ->
            val listener = RecordingListener { token.cancel() }
            val e = assertThrows(WalletException.Cancelled::class.java) {
                wallet().use { it.export(pw(), OURS, listener, token) }
            }
            assertEquals("The operation was cancelled.", e.message)
            assertEquals(1, listener.calls.size, "no progress after the cancel")
        }
    }

    @Test
    fun `cancel from the first progress callback stops an open`() {
        val file = exportSample()
        CancelToken().use { token ->
            val listener = RecordingListener { token.cancel() }
            assertThrows(WalletException.Cancelled::class.java) {
                openBackup(file, pw(), listener, token)
            }
            assertEquals(1, listener.calls.size)
        }
    }

    @Test
    fun `an already cancelled token fails before any key derivation`() {
        CancelToken().use { token ->
            token.cancel()
            val listener = RecordingListener()
            assertThrows(WalletException.Cancelled::class.java) {
                wallet().use { it.export(pw(), OURS, listener, token) }
            }
            assertTrue(listener.calls.isEmpty())
        }
    }

    @Test
    @Timeout(30)
    fun `cancel from another thread stops an export running on a worker thread`() {
        val executor = Executors.newSingleThreadExecutor()
        try {
            CancelToken().use { token ->
                val started = CountDownLatch(1)
                val listener = RecordingListener { started.countDown() }
                val w = wallet()
                val result = executor.submit<ByteArray> { w.export(pw(), OURS, listener, token) }
                assertTrue(started.await(20, TimeUnit.SECONDS), "export never reported progress")
                token.cancel()
                val e = assertThrows(ExecutionException::class.java) { result.get(20, TimeUnit.SECONDS) }
                assertTrue(e.cause is WalletException.Cancelled, "expected Cancelled, got ${e.cause}")
                val last = listener.calls.last()
                assertTrue(last.done < last.total, "the derivation stopped before the end (${last.done}/${last.total})")
                w.close()
            }
        } finally {
            executor.shutdownNow()
        }
    }

    @Test
    fun `a token left uncancelled does not disturb the call`() {
        CancelToken().use { token ->
            val file = wallet().use { it.export(pw(), OURS, null, token) }
            openBackup(file, pw(), null, token).close()
            assertFalse(token.isCancelled())
        }
    }
}
