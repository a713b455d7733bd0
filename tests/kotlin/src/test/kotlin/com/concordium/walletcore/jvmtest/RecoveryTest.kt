package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.AccountDirectory
import com.concordium.walletcore.KeyDeriver
import com.concordium.walletcore.LookupAnswer
import com.concordium.walletcore.Network
import com.concordium.walletcore.PhraseStatus
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.checkRecoveryPhrase
import com.concordium.walletcore.generateRecoveryPhrase
import com.concordium.walletcore.seedFromHex
import com.concordium.walletcore.seedFromRecoveryPhrase
import com.concordium.walletcore.suggestPhraseWords
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.atomic.AtomicInteger

/** docs/references.md §A.4.6: TEST_SEED_1 and its published values. */
private const val TEST_SEED_1 =
    "efa5e27326f8fa0902e647b52449bf335b7b605adc387015ec903f41d95080eb71361cbc7fb78721dcd4f3926a337340aa1406df83332c44c1cdcfe100603860"

private fun ByteArray.hex() = joinToString("") { "%02x".format(it) }

class RecoveryTest {
    @Test
    fun `a new phrase has 24 valid words and gives a 64-byte seed`() {
        val phrase = generateRecoveryPhrase()
        assertEquals(24, phrase.toString(Charsets.UTF_8).split(" ").size)
        val check = checkRecoveryPhrase(phrase.copyOf())
        assertEquals(PhraseStatus.VALID, check.status)
        assertTrue(check.is24Words)
        val seed = seedFromRecoveryPhrase(phrase)
        assertEquals(64, seed.size)
        phrase.fill(0)
        seed.fill(0)
    }

    @Test
    fun `typing mistakes are reported next to the right word`() {
        val typo = ("abandon ".repeat(11) + "abuot").toByteArray()
        val check = checkRecoveryPhrase(typo)
        assertEquals(PhraseStatus.UNKNOWN_WORDS, check.status)
        assertEquals(12u, check.unknownWords[0].position)
        assertTrue("about" in check.unknownWords[0].suggestions, check.unknownWords.toString())
        assertEquals("Word 12 is not in the recovery-phrase word list.", check.message)

        val checksum = checkRecoveryPhrase(("abandon ".repeat(12)).trim().toByteArray())
        assertEquals(PhraseStatus.BAD_CHECKSUM, checksum.status)
        val count = checkRecoveryPhrase("abandon abandon".toByteArray())
        assertEquals(PhraseStatus.WRONG_WORD_COUNT, count.status)
        assertTrue("abandon" in suggestPhraseWords("aban".toByteArray()))

        val e = assertThrows<WalletException.InvalidPhrase> {
            seedFromRecoveryPhrase("abandon abandon".toByteArray())
        }
        assertTrue(e.message!!.startsWith("The recovery phrase has 2 words"), e.message)
    }

    @Test
    fun `keys match Concordium's published vectors`() {
        KeyDeriver(seedFromHex(TEST_SEED_1.toByteArray()), Network.TESTNET).use { d ->
            val acc = d.account(0u, 0u, 1u, null)
            assertEquals(
                "b317d3fea7de56f8c96f6e72820c5cd502cc0eef8454016ee548913255897c6b52156cc60df965d3efb3f160eff6ced4",
                acc.credentialIdHex,
            )
            assertEquals("4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7", acc.address)
        }
        KeyDeriver(seedFromHex(TEST_SEED_1.toByteArray()), Network.MAINNET).use { d ->
            assertEquals(
                "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5",
                d.identitySecrets(3u, 35u).prfKey.hex(),
            )
            assertEquals(
                "d54aab7218fc683cbd4d822f7c2b4e7406c41ae08913012fab0fa992fa008e98",
                d.account(1u, 341u, 9u, null).publicKeyHex,
            )
        }
        assertThrows<WalletException.InvalidSeed> { KeyDeriver(ByteArray(10), Network.MAINNET) }
        assertThrows<WalletException.InvalidSeed> { seedFromHex("xyz".toByteArray()) }
    }

    @Test
    fun `restore finds existing accounts and stops after 20 misses`() {
        KeyDeriver(seedFromHex(TEST_SEED_1.toByteArray()), Network.TESTNET).use { d ->
            val existing = listOf(0, 1, 4).map { d.account(2u, 0u, it.toUByte(), null).address }.toSet()
            val lookups = AtomicInteger()
            val directory = object : AccountDirectory {
                override fun accountExists(network: Network, credentialIdHex: String, address: String): LookupAnswer {
                    lookups.incrementAndGet()
                    return if (address in existing) LookupAnswer.Exists else LookupAnswer.Missing
                }
            }
            val found = d.restore(listOf(2u), directory, null)
            assertEquals(1, found.size)
            assertEquals(existing, found[0].accounts.map { it.address }.toSet())
            assertEquals(5u, found[0].nextCredential)
            // Identity 0: counters 0..24 (20 misses after 4); identities 1..20: 20 misses each.
            assertEquals(25 + 20 * 20, lookups.get())

            val failing = object : AccountDirectory {
                override fun accountExists(network: Network, credentialIdHex: String, address: String) =
                    LookupAnswer.Failed("the node did not answer")
            }
            val e = assertThrows<WalletException.LookupFailed> { d.restore(listOf(2u), failing, null) }
            assertTrue(e.message!!.contains("the node did not answer"), e.message)
            val cancelled = object : AccountDirectory {
                override fun accountExists(network: Network, credentialIdHex: String, address: String) =
                    LookupAnswer.Cancelled
            }
            assertThrows<WalletException.Cancelled> { d.restore(listOf(2u), cancelled, null) }
        }
    }
}
