package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.Network
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.security.SecureRandom

/** A wallet an import can take: the identity has an idCredPub and the account has keys. */
private val STORE_WALLET_JSON = testData("store-wallet.json")

private fun storeSample(): ByteArray = wallet(STORE_WALLET_JSON).use { it.export(pw(), OURS, null, null) }

/** The whole store flow through the generated bindings: the storage key stands for the key a
 *  BiometricPrompt / Keychain prompt releases. */
class WalletStoreTest {
    @TempDir
    lateinit var dir: File

    private fun storageKey(): ByteArray = ByteArray(32).also { SecureRandom().nextBytes(it) }

    @Test
    fun `create, import with preview, re-import, contacts, export, import into an empty wallet`() {
        val key = storageKey()
        val path = File(dir, "wallet.sqlite").path
        Wallet.create(path, Network.TESTNET, key.copyOf()).use { w ->
            assertEquals(0u, w.overview().accountCount)
            val file = storeSample()
            val preview = w.previewImport(file, pw(), key.copyOf(), null, null, null)
            assertEquals(1, preview.identitiesAdded.size)
            assertEquals(1, preview.accountsAdded.size)
            assertEquals(1, preview.contactsAdded.size)
            assertEquals(0u, w.overview().accountCount, "a preview changes nothing")

            val report = w.`import`(file, pw(), key.copyOf(), null, null, null)
            assertEquals(preview, report, "the report matches the preview")
            val o = w.overview()
            assertEquals(listOf(1u, 1u, 1u), listOf(o.identityCount, o.accountCount, o.contactCount))

            val again = w.`import`(file, pw(), key.copyOf(), null, null, null)
            assertEquals(0u, again.changeCount)
            assertEquals(3, again.alreadyPresent.size)

            assertTrue(w.addContact("Carol", "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"))
            assertFalse(w.addContact("Carol", "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"))
            assertTrue(w.removeContact("Carol", "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"))
            // Not Base58Check / a mistyped last character: a typed error with a sentence.
            for (bad in listOf("not base58 !!", "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F8")) {
                val e = assertThrows<WalletException.InvalidAddress> { w.addContact("Foo", bad) }
                assertTrue(e.message!!.startsWith("This is not a valid Concordium account address"), e.message)
            }

            val exported = w.export(key.copyOf(), pw(), OURS, null, null)
            // Into an empty wallet and out again: the same plaintext content.
            val key2 = storageKey()
            Wallet.create(File(dir, "second.sqlite").path, Network.TESTNET, key2.copyOf()).use { w2 ->
                w2.`import`(exported, pw(), key2.copyOf(), null, null, null)
                val back = w2.export(key2.copyOf(), pw(), OURS, null, null)
                val a = com.concordium.walletcore.openBackup(exported, pw(), null, null).use { it.walletJson() }
                val b = com.concordium.walletcore.openBackup(back, pw(), null, null).use { it.walletJson() }
                assertEquals(parseJson(a), parseJson(b))
            }
        }
        // Reopened from disk, the data is still there and still needs the key.
        Wallet.open(path).use { w -> assertEquals(1u, w.overview().accountCount) }
    }

    @Test
    fun `a wrong or missing storage key reads no secret`() {
        val key = storageKey()
        Wallet.create(File(dir, "w.sqlite").path, Network.TESTNET, key.copyOf()).use { w ->
            w.`import`(storeSample(), pw(), key.copyOf(), null, null, null)
            val e = assertThrows<WalletException.WrongStorageKey> {
                w.export(storageKey(), pw(), OURS, null, null)
            }
            assertEquals("The storage key is wrong: it does not unlock this wallet.", e.message)
            assertThrows<WalletException.StorageKeyMissing> { w.export(ByteArray(0), pw(), OURS, null, null) }
            assertThrows<WalletException.WrongStorageKey> {
                w.previewImport(storeSample(), pw(), storageKey(), null, null, null)
            }
            // Listing needs no key.
            assertEquals(1u, w.overview().accountCount)
        }
    }

    @Test
    fun `network mismatch and an interrupted import leave the wallet as it was`() {
        val key = storageKey()
        Wallet.create(File(dir, "main.sqlite").path, Network.MAINNET, key.copyOf()).use { w ->
            val e = assertThrows<WalletException.NetworkMismatch> {
                w.`import`(storeSample(), pw(), key.copyOf(), null, null, null)
            }
            assertTrue(e.message!!.contains("testnet") && e.message!!.contains("mainnet"), e.message)
            assertEquals(0u, w.overview().accountCount)
        }
        Wallet.create(File(dir, "test.sqlite").path, Network.TESTNET, key.copyOf()).use { w ->
            val file = storeSample()
            CancelToken().use { token ->
                val listener = object : ProgressListener {
                    override fun onProgress(done: UInt, total: UInt) = token.cancel()
                }
                assertThrows<WalletException.Cancelled> {
                    w.`import`(file, pw(), key.copyOf(), null, listener, token)
                }
            }
            assertEquals(0u, w.overview().accountCount, "an interrupted import changes nothing")
            assertThrows<WalletException.WrongPassword> {
                w.`import`(file, pw("not the password"), key.copyOf(), null, null, null)
            }
            assertEquals(0u, w.overview().contactCount)
        }
        assertThrows<WalletException.Store> { Wallet.open(File(dir, "missing.sqlite").path) }
        val notAStore = File(dir, "garbage.sqlite").also { it.writeBytes(ByteArray(4096) { 7 }) }
        assertThrows<WalletException.Store> { Wallet.open(notAStore.path) }
    }

    @Test
    fun `the key bytes handed over can be wiped by the app`() {
        val key = storageKey()
        val handed = key.copyOf()
        Wallet.create(File(dir, "wipe.sqlite").path, Network.TESTNET, handed).use { w ->
            handed.fill(0)
            w.checkStorageKey(key.copyOf())
            assertArrayEquals(ByteArray(32), handed)
        }
    }
}
