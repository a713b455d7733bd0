package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.KeyDeriver
import com.concordium.walletcore.LedgerBridge
import com.concordium.walletcore.LedgerRecoveryPaths
import com.concordium.walletcore.Network
import com.concordium.walletcore.RestoreProgress
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.WalletOverview
import com.concordium.walletcore.defaultMaxEmptyIdentities
import com.concordium.walletcore.seedFromRecoveryPhrase
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.security.SecureRandom

/** The emulated Ledger's accounts a legacy recovery must find (and those just beyond the gap
 *  rules), checked against the Rust tests (tests/data/bindings/ledger-legacy-accounts.json). */
private val LEGACY_DATA = parseJson(testData("ledger-legacy-accounts.json")).jsonObject

private fun strings(name: String) = LEGACY_DATA[name]!!.jsonArray.map { it.jsonPrimitive.content }.toSet()

private val LEGACY_FOUND = strings("legacyFound")
private val LEGACY_BEYOND_GAP = strings("legacyBeyondGap")
private val LEGACY_LOOKUPS = LEGACY_DATA["legacyLookups"]!!.jsonPrimitive.int
private val EMULATOR_PHRASE = LEGACY_DATA["emulatorPhrase"]!!.jsonPrimitive.content

/**
 * Ledger recovery into the wallet store through the bindings: the emulated Concordium app
 * (`examples/ledger_emulator`) over loopback TCP, the accounts looked up by a Kotlin
 * `AccountDirectory` against a real HTTP server on loopback.
 */
class LedgerRecoveryTest : LibraryTest() {
    @TempDir
    lateinit var dir: File

    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }

    private fun newWallet(name: String) = Wallet.create(File(dir, name).path, Network.TESTNET, key.copyOf())

    private fun addresses(o: WalletOverview) = o.identities.flatMap { i -> i.accounts.map { it.address } }.toSet()

    private val legacy = LedgerRecoveryPaths.Legacy(defaultMaxEmptyIdentities())

    @Test
    fun `legacy paths - preview, apply without asking again, re-run adds nothing`() =
        withEmulator("--app-version", "5.7.0") { address ->
            ProxyServer(LEGACY_FOUND + LEGACY_BEYOND_GAP).use { server ->
                LedgerBridge.speculos(address).use { bridge ->
                    newWallet("w.sqlite").use { w ->
                        val lookup = WalletProxyLookup(server.url)
                        val listener = RecordingRestoreListener()
                        val pending = w.previewLedgerRecovery(bridge, key.copyOf(), legacy, lookup, listener, null)
                        val preview = pending.summary()
                        assertEquals(LEGACY_FOUND, preview.accountsAdded.map { it.key }.toSet())
                        assertEquals(
                            listOf("Recovered: Index 0", "Recovered: Index 1", "Recovered: Index 4"),
                            preview.identitiesAdded.map { it.name },
                        )
                        assertEquals(LEGACY_LOOKUPS, server.lookups.get())
                        assertEquals(RestoreProgress(8u, LEGACY_LOOKUPS.toUInt(), 4u), listener.calls.last())
                        assertEquals(setOf(Network.TESTNET), lookup.networks)
                        assertEquals(0u, w.overview().accountCount, "a preview changes nothing")

                        val report = w.applyPendingImport(pending, key.copyOf())
                        pending.close()
                        assertEquals(preview, report)
                        assertEquals(LEGACY_LOOKUPS, server.lookups.get(), "applying looks nothing up")
                        val overview = w.overview()
                        assertEquals(LEGACY_FOUND, addresses(overview))
                        val pairing = bridge.pairingId().publicKeyHex
                        val accounts = overview.identities.flatMap { it.accounts }
                        assertTrue(accounts.all { it.readOnly && it.ledgerPairingId == pairing }, "$accounts")

                        w.previewLedgerRecovery(bridge, key.copyOf(), legacy, lookup, null, null).use { again ->
                            assertEquals(0u, again.summary().changeCount)
                            assertEquals(0u, w.applyPendingImport(again, key.copyOf()).changeCount)
                        }
                        assertEquals(overview, w.overview())
                    }
                }
            }
        }

    @Test
    fun `new paths on app 5_7_0 find the seed wallet's accounts`() = withEmulator("--app-version", "5.7.0") { address ->
        val found = KeyDeriver(seedFromRecoveryPhrase(EMULATOR_PHRASE.toByteArray()), Network.TESTNET).use { d ->
            setOf(d.account(0u, 0u, 0u, null).address, d.account(0u, 0u, 2u, null).address)
        }
        ProxyServer(found).use { server ->
            LedgerBridge.speculos(address).use { bridge ->
                assertTrue(bridge.supportsNewPathRecovery(Network.TESTNET))
                newWallet("new.sqlite").use { w ->
                    val paths = LedgerRecoveryPaths.NewPaths(listOf(0u))
                    w.previewLedgerRecovery(bridge, key.copyOf(), paths, WalletProxyLookup(server.url), null, null).use { p ->
                        assertEquals(found, p.summary().accountsAdded.map { it.key }.toSet())
                        assertEquals(listOf("Recovered: Provider 0, Index 0"), p.summary().identitiesAdded.map { it.name })
                        // Identity 0: counters 0..=22 (a hit at 2, then 20 misses); identities 1..=20: 20 each.
                        assertEquals(23 + 20 * 20, server.lookups.get())
                        w.applyPendingImport(p, key.copyOf())
                    }
                    assertEquals(found, addresses(w.overview()))
                }
            }
        }
    }

    @Test
    fun `new paths on app 5_1_3 are LedgerUnsupported before any lookup`() = withEmulator("--app-version", "5.1.3") { address ->
        ProxyServer(LEGACY_FOUND).use { server ->
            LedgerBridge.speculos(address).use { bridge ->
                assertFalse(bridge.supportsNewPathRecovery(Network.TESTNET), "the app can tell beforehand")
                assertTrue(bridge.supportsNewPathRecovery(Network.MAINNET))
                newWallet("old.sqlite").use { w ->
                    val e = assertThrows<WalletException.LedgerUnsupported> {
                        w.previewLedgerRecovery(
                            bridge, key.copyOf(), LedgerRecoveryPaths.NewPaths(listOf(0u)),
                            WalletProxyLookup(server.url), null, null,
                        )
                    }
                    assertTrue(e.message!!.contains("5.1.3"), e.message)
                    assertEquals(0, server.lookups.get())
                }
            }
        }
    }

    @Test
    fun `a locked Ledger is LedgerLocked and a rejection LedgerRejected, the store unchanged`() {
        for ((args, kind) in listOf(
            arrayOf("--screen", "locked") to WalletException.LedgerLocked::class,
            arrayOf("--approval", "reject") to WalletException.LedgerRejected::class,
        )) {
            withEmulator("--app-version", "5.7.0", *args) { address ->
                ProxyServer(LEGACY_FOUND).use { server ->
                    LedgerBridge.speculos(address).use { bridge ->
                        newWallet("kinds-${args[1]}.sqlite").use { w ->
                            val e = assertThrows<WalletException> {
                                w.previewLedgerRecovery(bridge, key.copyOf(), legacy, WalletProxyLookup(server.url), null, null)
                            }
                            assertTrue(kind.isInstance(e), "${e::class.simpleName}: ${e.message}")
                            assertTrue(e.message!!.contains(if (args[1] == "locked") "locked" else "rejected"), e.message)
                            assertEquals(0, server.lookups.get(), "no lookup without keys")
                            assertEquals(0u, w.overview().identityCount)
                            assertEquals(0u, w.overview().accountCount)
                        }
                    }
                }
            }
        }
    }

    @Test
    fun `a cancel or a failing wallet proxy leaves the store unchanged`() = withEmulator("--app-version", "5.7.0") { address ->
        ProxyServer(LEGACY_FOUND).use { server ->
            LedgerBridge.speculos(address).use { bridge ->
                newWallet("cancel.sqlite").use { w ->
                    CancelToken().use { token ->
                        val listener = RecordingRestoreListener { if (it.credentialsScanned == 10u) token.cancel() }
                        assertThrows<WalletException.Cancelled> {
                            w.previewLedgerRecovery(bridge, key.copyOf(), legacy, WalletProxyLookup(server.url), listener, token)
                        }
                        assertEquals(10, server.lookups.get(), "no lookup after the cancel")
                    }
                    server.failFrom = 30
                    val e = assertThrows<WalletException.LookupFailed> {
                        w.previewLedgerRecovery(bridge, key.copyOf(), legacy, WalletProxyLookup(server.url), null, null)
                    }
                    assertTrue(e.message!!.contains("HTTP 500"), e.message)
                    assertEquals(31, server.lookups.get(), "the scan stops at the first failure")
                    assertEquals(0u, w.overview().identityCount)
                    assertEquals(0u, w.overview().accountCount)
                }
            }
        }
    }

    @Test
    fun `a preview made before the wallet changed is StaleImport`() = withEmulator("--app-version", "5.7.0") { address ->
        ProxyServer(LEGACY_FOUND).use { server ->
            LedgerBridge.speculos(address).use { bridge ->
                newWallet("stale.sqlite").use { w ->
                    w.previewLedgerRecovery(bridge, key.copyOf(), legacy, WalletProxyLookup(server.url), null, null).use { p ->
                        assertTrue(w.addContact("Bob", LEGACY_FOUND.first()))
                        assertThrows<WalletException.StaleImport> { w.applyPendingImport(p, key.copyOf()) }
                    }
                    assertEquals(0u, w.overview().accountCount)
                }
            }
        }
    }
}
