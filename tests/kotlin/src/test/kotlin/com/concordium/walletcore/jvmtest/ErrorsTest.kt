package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.ExportFormat
import com.concordium.walletcore.ExportSettings
import com.concordium.walletcore.WalletBackup
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.inspectBackup
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.security.MessageDigest
import java.util.Random

class ErrorsTest : LibraryTest() {

    /** Messages are sentences for people, never `field=value` debug output. */
    private fun assertHumanSentence(e: WalletException) {
        val m = e.message!!
        assertTrue(m.first().isUpperCase(), "message should start like a sentence: $m")
        assertTrue(m.endsWith("."), "message should end like a sentence: $m")
        assertFalse(Regex("""\w+=\S""").containsMatchIn(m), "message looks like debug output: $m")
        assertFalse(m.contains(e.javaClass.simpleName), "message repeats the variant name: $m")
    }

    @Test
    fun `wrong password on our format is WrongPassword with a human message`() {
        val file = exportSample()
        val e = assertThrows(WalletException.WrongPassword::class.java) {
            openBackup(file, pw("not the password"), null, null)
        }
        assertEquals("The password is wrong.", e.message)
        assertHumanSentence(e)
    }

    @Test
    fun `wrong password on a legacy file cannot be told from damage`() {
        val file = exportSample(LEGACY)
        val e = assertThrows(WalletException.WrongPasswordOrDamaged::class.java) {
            openBackup(file, pw("not the password"), null, null)
        }
        assertHumanSentence(e)
    }

    @Test
    fun `one flipped byte in the middle of our file is Damaged`() {
        val file = exportSample()
        val text = file.toString(Charsets.UTF_8)
        val middle = file.size / 2
        // The middle of the file is inside the Base64 ciphertext: the case worth testing.
        val cipherStart = text.indexOf("\"cipherText\":\"") + "\"cipherText\":\"".length
        assertTrue(middle in cipherStart until text.indexOf('"', cipherStart), "middle is in the ciphertext")
        for (mask in listOf(0x01, 0x20)) {
            val bad = file.copyOf()
            bad[middle] = (bad[middle].toInt() xor mask).toByte()
            val e = assertThrows(WalletException.Damaged::class.java) {
                openBackup(bad, pw(), null, null)
            }
            assertTrue(e.message!!.startsWith("The backup file is damaged"), e.message)
            assertHumanSentence(e)
            // Damage is found without the password too.
            assertThrows(WalletException.Damaged::class.java) { inspectBackup(bad) }
        }
    }

    @Test
    fun `a truncated file is Damaged`() {
        val file = exportSample()
        for (length in listOf(file.size - 1, file.size / 2, 10)) {
            val e = assertThrows(WalletException.Damaged::class.java, {
                openBackup(file.copyOf(length), pw(), null, null)
            }, "cut to $length of ${file.size} bytes")
            assertTrue(e.message!!.startsWith("The backup file is damaged"), e.message)
            assertHumanSentence(e)
        }
    }

    @Test
    fun `random bytes are NotABackup`() {
        val junk = ByteArray(4096).also { Random(42).nextBytes(it) }
        junk[0] = 0x7f // not `{`, so it cannot look like a damaged JSON envelope
        val e = assertThrows(WalletException.NotABackup::class.java) { openBackup(junk, pw(), null, null) }
        assertHumanSentence(e)
        assertThrows(WalletException.NotABackup::class.java) { inspectBackup(junk) }
    }

    @Test
    fun `empty file and plain wallet JSON are NotABackup`() {
        assertThrows(WalletException.NotABackup::class.java) { openBackup(ByteArray(0), pw(), null, null) }
        assertThrows(WalletException.NotABackup::class.java) { inspectBackup(ByteArray(0)) }
        val e = assertThrows(WalletException.NotABackup::class.java) {
            openBackup(WALLET_JSON.toByteArray(), pw(), null, null)
        }
        assertTrue(e.message!!.contains("unencrypted"), e.message)
    }

    @Test
    fun `a Desktop Wallet export is refused with its own error`() {
        val desktop = """{"identities":[],"accounts":[],"addressBook":[]}"""
        val e = assertThrows(WalletException.DesktopWalletExport::class.java) {
            WalletBackup.fromWalletJson(desktop.toByteArray())
        }
        assertTrue(e.message!!.contains("Ledger"), e.message)
        assertHumanSentence(e)
    }

    /**
     * Edits the text of one of our files and recomputes its (unkeyed) checksum, as a deliberate
     * edit would: the range checks, not the checksum, must then catch bad parameters.
     */
    private fun resealed(file: ByteArray, edit: (String) -> String): ByteArray {
        val text = file.toString(Charsets.UTF_8)
        val marker = ",\"checksum\":\""
        val prefix = edit(text.substring(0, text.lastIndexOf(marker)))
        val sum = MessageDigest.getInstance("SHA-256").digest(prefix.toByteArray())
            .joinToString("") { "%02x".format(it) }
        return "$prefix$marker$sum\"}".toByteArray()
    }

    @Test
    fun `resealing an unchanged file gives the same bytes`() {
        val file = exportSample()
        assertArrayEquals(file, resealed(file) { it })
    }

    @Test
    fun `iterations outside the accepted range are ParamsOutOfRange before any key derivation`() {
        val ours = exportSample()
        val legacy = exportSample(LEGACY)
        val cases = listOf(
            // Our format: above the cap, above 32 bits, below the import minimum.
            5_000_000_000uL to resealed(ours) { it.replace("\"iterations\":600000", "\"iterations\":5000000000") },
            20_000_000uL to resealed(ours) { it.replace("\"iterations\":600000", "\"iterations\":20000000") },
            999uL to resealed(ours) { it.replace("\"iterations\":600000", "\"iterations\":999") },
            // Legacy format (no checksum): above the cap.
            4_000_000_000uL to legacy.toString(Charsets.UTF_8)
                .replace("\"iterations\":100000", "\"iterations\":4000000000").toByteArray(),
        )
        for ((n, file) in cases) {
            val info = inspectBackup(file)
            assertEquals(n, info.iterations, "inspect reports the count as written")
            assertFalse(info.withinLimits, "$n iterations")
            val listener = RecordingListener()
            val e = assertThrows(WalletException.ParamsOutOfRange::class.java, {
                openBackup(file, pw(), listener, null)
            }, "$n iterations")
            assertHumanSentence(e)
            assertTrue(listener.calls.isEmpty(), "no key derivation may start ($n iterations)")
        }
    }

    @Test
    fun `our format refuses fewer iterations than the default on export`() {
        wallet().use { w ->
            assertThrows(WalletException.InvalidParameters::class.java) {
                w.export(pw(), ExportSettings(ExportFormat.OURS, 1000u), null, null)
            }
        }
    }

    @Test
    fun `legacy export needs a network`() {
        val noNetwork = WALLET_JSON.replace("\"environment\":\"testnet\",", "")
        wallet(noNetwork).use { w ->
            assertEquals(null, w.summary().network)
            val e = assertThrows(WalletException.MissingEnvironment::class.java) {
                w.export(pw(), LEGACY, null, null)
            }
            assertHumanSentence(e)
        }
    }

    @Test
    fun `invalid wallet JSON is rejected when building`() {
        assertThrows(WalletException.PayloadInvalid::class.java) {
            WalletBackup.fromWalletJson("not json".toByteArray())
        }
        assertThrows(WalletException.UnsupportedVersion::class.java) {
            WalletBackup.fromWalletJson(WALLET_JSON.replace("\"v\":1", "\"v\":2").toByteArray())
        }
    }

    @Test
    fun `every failure is a WalletException`() {
        val e: Exception = assertThrows(Exception::class.java) { openBackup(ByteArray(0), pw(), null, null) }
        assertTrue(e is WalletException, "got ${e.javaClass}")
    }
}
