package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.KeyDeriver
import com.concordium.walletcore.Network
import com.concordium.walletcore.RestoreProgress
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.WalletOverview
import com.concordium.walletcore.openBackup
import com.concordium.walletcore.seedFromRecoveryPhrase
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.security.SecureRandom

/** The BIP39 test phrase "abandon × 23, art" (a valid 24-word phrase). */
private val PHRASE = ("abandon ".repeat(23) + "art")

/** The identity provider the test chain has. */
private const val IDP = 1u

/** (identity, credential) of the accounts on the test chain that a restore must find. */
private val FOUND = listOf(0 to 0, 0 to 1, 0 to 4, 2 to 0)

/** Accounts on the chain just beyond the gap rules: identity 0's counters 5..24 are 20 misses, so
 *  counter 25 is never looked up; identities 3..22 are 20 empty ones, so 23 is never looked at. */
private val BEYOND_GAP = listOf(0 to 25, 23 to 0)

/** Lookups of one full scan: identity 0 counters 0..24, identity 1 0..19, identity 2 0..20,
 *  identities 3..22 0..19 each. */
private const val SCAN_LOOKUPS = 25 + 20 + 21 + 20 * 20

private fun ByteArray.hex() = joinToString("") { "%02x".format(it) }

/** Restore from a recovery phrase into the wallet store through the bindings, with a Kotlin lookup
 *  against a real HTTP server on loopback. */
class RestoreTest : LibraryTest() {
    @TempDir
    lateinit var dir: File

    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }

    private fun address(d: KeyDeriver, at: Pair<Int, Int>) =
        d.account(IDP, at.first.toUInt(), at.second.toUByte(), null).address

    private fun <T> chain(body: (KeyDeriver, ProxyServer, Set<String>) -> T): T =
        KeyDeriver(seedFromRecoveryPhrase(PHRASE.toByteArray()), Network.TESTNET).use { d ->
            val found = FOUND.map { address(d, it) }.toSet()
            ProxyServer(found + BEYOND_GAP.map { address(d, it) }).use { server -> body(d, server, found) }
        }

    private fun newWallet(name: String) = Wallet.create(File(dir, name).path, "testnet", key.copyOf())

    private fun addresses(o: WalletOverview) = o.identities.flatMap { i -> i.accounts.map { it.address } }.toSet()

    @Test
    fun `preview and restore add exactly the seeded accounts, with their keys, and a re-run adds nothing`() =
        chain { d, server, found ->
            newWallet("w.sqlite").use { w ->
                val lookup = WalletProxyLookup(server.url)
                val listener = RecordingRestoreListener()
                val preview = w.previewRestoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, listener, null)
                assertEquals(SCAN_LOOKUPS, server.lookups.get())
                assertEquals(0u, w.overview().accountCount, "a preview changes nothing")
                assertEquals(found, preview.accountsAdded.map { it.key }.toSet())
                assertEquals(
                    listOf("Recovered: Provider 1, Index 0", "Recovered: Provider 1, Index 2"),
                    preview.identitiesAdded.map { it.name },
                )
                assertEquals(setOf(Network.TESTNET), lookup.networks)
                val last = listener.calls.last()
                assertEquals(RestoreProgress(23u, SCAN_LOOKUPS.toUInt(), 4u), last)
                // One call after every lookup and after every identity index.
                assertEquals(SCAN_LOOKUPS + 23, listener.calls.size)

                val report = w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
                assertEquals(preview, report)
                assertEquals(2 * SCAN_LOOKUPS, server.lookups.get())
                val overview = w.overview()
                assertEquals(found, addresses(overview))
                assertEquals(2u, overview.identityCount)
                assertTrue(overview.identities.flatMap { it.accounts }.none { it.readOnly })

                // The keys were stored: the wallet's own backup has account 0.4's signing key.
                val backup = w.export(key.copyOf(), pw(), OURS, null, null)
                val json = openBackup(backup, pw(), null, null).use { it.walletJson() }
                val signKey = d.accountSecrets(IDP, 0u, 4u, null).signingKey
                assertTrue(json.toString(Charsets.UTF_8).contains(signKey.hex()), "account 0.4's key")
                json.fill(0)
                signKey.fill(0)

                val again = w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
                assertEquals(0u, again.changeCount)
                assertTrue(again.accountsAdded.isEmpty() && again.identitiesAdded.isEmpty())
                assertEquals(overview, w.overview())
            }
        }

    @Test
    fun `a failing wallet proxy throws and leaves the store unchanged`() = chain { _, server, _ ->
        newWallet("fail.sqlite").use { w ->
            // Identity 0's accounts are found (lookups 0, 1 and 4) before the proxy fails.
            server.failFrom = 30
            val e = assertThrows<WalletException.LookupFailed> {
                w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), WalletProxyLookup(server.url), null, null)
            }
            assertTrue(e.message!!.contains("HTTP 500"), e.message)
            assertEquals(31, server.lookups.get(), "the scan stops at the first failure")
            assertEquals(0u, w.overview().identityCount)
            assertEquals(0u, w.overview().accountCount)
        }
    }

    @Test
    fun `a cancelled restore leaves the store unchanged`() = chain { _, server, _ ->
        newWallet("cancel.sqlite").use { w ->
            CancelToken().use { token ->
                val listener = RecordingRestoreListener { if (it.credentialsScanned == 10u) token.cancel() }
                assertThrows<WalletException.Cancelled> {
                    w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), WalletProxyLookup(server.url), listener, token)
                }
                assertEquals(10, server.lookups.get(), "no lookup after the cancel")
                assertEquals(0u, w.overview().accountCount)
            }
        }
    }

    @Test
    fun `bad input is refused before any lookup`() = chain { _, server, _ ->
        newWallet("bad.sqlite").use { w ->
            val lookup = WalletProxyLookup(server.url)
            assertThrows<WalletException.InvalidPhrase> {
                w.previewRestoreFromPhrase("abandon abandon".toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
            }
            assertThrows<WalletException.WrongStorageKey> {
                w.previewRestoreFromPhrase(PHRASE.toByteArray(), ByteArray(32), listOf(IDP), lookup, null, null)
            }
            assertThrows<WalletException.InvalidParameters> {
                w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), emptyList(), lookup, null, null)
            }
            assertEquals(0, server.lookups.get())
        }
    }
}
