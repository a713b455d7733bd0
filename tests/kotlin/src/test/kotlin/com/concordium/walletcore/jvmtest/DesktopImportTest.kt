package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.LedgerBridge
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.security.SecureRandom

/** A Desktop Wallet export of the emulated Ledger (testnet), checked against the Rust tests. */
private val EXPORT = File("../data/bindings/desktop-export.json").readBytes()

private fun exportPassword() = "desktop pw".toByteArray()

/**
 * Importing a Concordium Desktop Wallet export into the wallet store through the bindings: with
 * the emulated Ledger it was made with (over loopback TCP), without it, with another Ledger, into
 * a wallet of another network.
 */
class DesktopImportTest : LibraryTest() {
    @TempDir
    lateinit var dir: File

    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }

    private fun newWallet(name: String, network: String = "testnet") =
        Wallet.create(File(dir, name).path, network, key.copyOf())

    private fun preview(w: Wallet, ledger: LedgerBridge?) =
        w.previewDesktopImport(EXPORT.copyOf(), exportPassword(), key.copyOf(), null, ledger, null, null)

    @Test
    fun `without its Ledger only the address book, every account skipped with the reason`() =
        withEmulator("--app-version", "5.1.3") { address ->
            val pairing = LedgerBridge.speculos(address).use { it.pairingId().publicKeyHex }
            newWallet("phone.sqlite").use { w ->
                preview(w, null).use { p ->
                    val s = p.summary()
                    assertEquals(listOf("Bob"), s.contactsAdded.map { it.name })
                    assertTrue(s.accountsAdded.isEmpty() && s.identitiesAdded.isEmpty())
                    assertEquals(listOf("Main", "Second", "Old", "Tampered"), s.skipped.map { it.name })
                    val reason = "its keys are on the Ledger with pairing identifier $pairing"
                    assertTrue(s.skipped.all { it.reason == reason }, "${s.skipped}")
                    assertEquals(0u, w.overview().contactCount, "a preview changes nothing")
                    assertEquals(s, w.applyPendingImport(p, key.copyOf()))
                }
                assertEquals(1u, w.overview().contactCount)
                assertEquals(0u, w.overview().accountCount)
            }
        }

    @Test
    fun `with its Ledger identities, Ledger-backed accounts and contacts, again adds nothing`() =
        withEmulator("--app-version", "5.1.3") { address ->
            LedgerBridge.speculos(address).use { bridge ->
                val pairing = bridge.pairingId().publicKeyHex
                newWallet("desktop.sqlite").use { w ->
                    preview(w, bridge).use { p ->
                        val s = p.summary()
                        assertEquals(listOf("Alice", "Alice (2021)"), s.identitiesAdded.map { it.name })
                        assertEquals(listOf("Main", "Second", "Old"), s.accountsAdded.map { it.name })
                        assertEquals(listOf("Bob"), s.contactsAdded.map { it.name })
                        assertEquals(listOf("Tampered"), s.skipped.map { it.name })
                        assertTrue(s.skipped[0].reason.contains("credential id does not match"), s.skipped[0].reason)
                        assertEquals(s, w.applyPendingImport(p, key.copyOf()))
                    }
                    val overview = w.overview()
                    val accounts = overview.identities.flatMap { it.accounts }
                    assertEquals(3, accounts.size)
                    assertTrue(accounts.all { it.readOnly && it.ledgerPairingId == pairing }, "$accounts")
                    preview(w, bridge).use { again ->
                        assertEquals(0u, again.summary().changeCount)
                        assertEquals(0u, w.applyPendingImport(again, key.copyOf()).changeCount)
                    }
                    assertEquals(overview, w.overview())
                }
            }
        }

    @Test
    fun `another Ledger is OtherLedger and another network NetworkMismatch, nothing changed`() {
        val phrase = File(dir, "phrase.txt").apply { writeText("abandon ".repeat(23) + "art") }
        withEmulator("--app-version", "5.7.0", "--phrase-file", phrase.path) { address ->
            LedgerBridge.speculos(address).use { other ->
                newWallet("fresh.sqlite").use { w ->
                    val e = assertThrows<WalletException.OtherLedger> { preview(w, other) }
                    assertTrue(e.message!!.contains("is not the one this export was made with"), e.message)
                    assertEquals(0u, w.overview().contactCount)
                }
                newWallet("mainnet.sqlite", "mainnet").use { w ->
                    val e = assertThrows<WalletException.NetworkMismatch> { preview(w, other) }
                    assertTrue(e.message!!.contains("testnet"), e.message)
                    assertThrows<WalletException.NetworkMismatch> { preview(w, null) }
                    assertEquals(0u, w.overview().contactCount)
                }
            }
        }
    }

    @Test
    fun `a wrong password is WrongPasswordOrDamaged`() {
        newWallet("pw.sqlite").use { w ->
            assertThrows<WalletException.WrongPasswordOrDamaged> {
                w.previewDesktopImport(EXPORT.copyOf(), "wrong pw".toByteArray(), key.copyOf(), null, null, null, null)
            }
        }
    }
}
