package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.defaultIterations
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ProgressTest : LibraryTest() {

    /** Checks one key derivation's worth of progress calls. */
    private fun assertProgress(calls: List<Progress>, total: UInt) {
        assertTrue(calls.size >= 5, "expected several progress calls, got ${calls.size}")
        assertTrue(calls.all { it.total == total }, "every call reports total $total")
        calls.zipWithNext().forEach { (a, b) ->
            assertTrue(b.done > a.done, "done must increase: ${a.done} then ${b.done}")
        }
        assertTrue(calls.first().done > 0u)
        assertEquals(total, calls.last().done, "the last call reports completion")
        // Documented: the listener is called on the calling thread.
        calls.forEach { assertSame(Thread.currentThread(), it.thread) }
    }

    @Test
    fun `export with default iterations reports progress up to 600000`() {
        assertEquals(600_000u, defaultIterations())
        val listener = RecordingListener()
        wallet().use { it.export(pw(), OURS, listener, null) }
        assertProgress(listener.calls, 600_000u)
    }

    @Test
    fun `open reports progress up to the file's iterations`() {
        val file = exportSample()
        val listener = RecordingListener()
        openBackup(file, pw(), listener, null).close()
        assertProgress(listener.calls, 600_000u)
    }

    @Test
    fun `legacy export and open report progress up to 100000`() {
        val exportListener = RecordingListener()
        val file = wallet().use { it.export(pw(), LEGACY, exportListener, null) }
        assertProgress(exportListener.calls, 100_000u)
        val openListener = RecordingListener()
        openBackup(file, pw(), openListener, null).close()
        assertProgress(openListener.calls, 100_000u)
    }

    @Test
    fun `a wrong password still runs the whole derivation before failing`() {
        val file = exportSample()
        val listener = RecordingListener()
        runCatching { openBackup(file, pw("wrong password"), listener, null) }
        assertProgress(listener.calls, 600_000u)
    }
}
