package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.WalletException
import com.concordium.walletcore.checkPassword
import com.concordium.walletcore.defaultIterations
import com.concordium.walletcore.minPasswordLength
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class PasswordTest : LibraryTest() {

    @Test
    fun `minimum length is 6`() {
        assertEquals(6u, minPasswordLength())
    }

    @Test
    fun `a six-digit password meets the minimum but scores 0`() {
        val check = checkPassword("123456".toByteArray(), defaultIterations())
        assertEquals(0.toUByte(), check.score)
        assertTrue(check.meetsMinimum)
        assertTrue(check.timeToGuess.isNotBlank())
    }

    @Test
    fun `a long random password scores 4`() {
        val check = checkPassword("vT9#qLm2!xZr8&pWk4".toByteArray(), defaultIterations())
        assertEquals(4.toUByte(), check.score)
        assertTrue(check.meetsMinimum)
        assertTrue(check.secondsToGuessOneGpu > check.secondsToGuess100Gpus)
    }

    @Test
    fun `a five-character password does not meet the minimum`() {
        assertFalse(checkPassword("12345".toByteArray(), defaultIterations()).meetsMinimum)
    }

    @Test
    fun `exporting with a five-character password is PasswordTooShort`() {
        for (format in listOf(OURS, LEGACY)) {
            val e = assertThrows(WalletException.PasswordTooShort::class.java) {
                wallet().use { it.export("12345".toByteArray(), format, null, null) }
            }
            assertEquals("The password must be at least 6 characters long.", e.message)
        }
    }

    @Test
    fun `length counts characters, not bytes`() {
        // Three characters, nine UTF-8 bytes: still too short.
        assertThrows(WalletException.PasswordTooShort::class.java) {
            wallet().use { it.export("密码密".toByteArray(), OURS, null, null) }
        }
    }

    @Test
    fun `password bytes that are not UTF-8 are PasswordNotText`() {
        val notUtf8 = byteArrayOf(0xff.toByte(), 0xfe.toByte(), 0x41, 0x42, 0x43, 0x44, 0x45)
        assertThrows(WalletException.PasswordNotText::class.java) {
            wallet().use { it.export(notUtf8, OURS, null, null) }
        }
        assertThrows(WalletException.PasswordNotText::class.java) { checkPassword(notUtf8, defaultIterations()) }
    }

    @Test
    fun `the caller can wipe its password bytes right after each call`() {
        val password = pw()
        val file = wallet().use { it.export(password, OURS, null, null) }
        // The library worked on its own copy: the caller's array is intact until the caller wipes it.
        assertArrayEquals(pw(), password)
        password.fill(0)
        assertTrue(password.all { it == 0.toByte() })

        // The file opens with a fresh copy of the password...
        val fresh = pw()
        openBackup(file, fresh, null, null).use { w ->
            assertEquals(parseJson(WALLET_JSON), parseJson(w.walletJson()))
        }
        fresh.fill(0)
        // ...and not with the wiped bytes (now all zeros).
        assertThrows(WalletException.WrongPassword::class.java) { openBackup(file, password, null, null) }
    }

    @Test
    fun `a non-ASCII password round trips`() {
        val password = "pässwörd-密码-🔑"
        val file = exportSample(password = password)
        openBackup(file, pw(password), null, null).close()
    }

    @Test
    fun `our format opens with the password typed with composed or decomposed accents`() {
        val file = exportSample(password = "caf\u00e9-au-lait") // é as one code point (NFC)
        openBackup(file, pw("cafe\u0301-au-lait"), null, null).close() // e + combining accent (NFD)
    }

    @Test
    fun `time to guess uses correct English plurals`() {
        val check = checkPassword("vT9#qLm2!xZr8&pWk4".toByteArray(), defaultIterations())
        assertFalse(check.timeToGuess.contains("centurys"), check.timeToGuess)
        assertTrue(check.timeToGuess.endsWith("centuries"), check.timeToGuess)
    }
}
