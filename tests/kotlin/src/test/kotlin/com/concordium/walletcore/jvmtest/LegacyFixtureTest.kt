package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.BackupKind
import com.concordium.walletcore.Network
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.inspectBackup
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The CryptoX Android wallet's own export (shared/fixtures): a file this project did not write. */
class LegacyFixtureTest : LibraryTest() {

    @Test
    fun `inspect shows a legacy mobile file with 100000 iterations, without the password`() {
        val info = inspectBackup(fixtureBytes())
        assertEquals(BackupKind.LEGACY_MOBILE, info.kind)
        assertEquals(100_000uL, info.iterations)
        assertNull(info.formatVersion)
        assertNull(info.intact, "the legacy format has no checksum")
        assertNull(info.network, "the legacy format shows no network without the password")
        assertTrue(info.weakKeyDerivation)
        assertTrue(info.withinLimits)
        assertEquals("PBKDF2WithHmacSHA256", info.keyDerivationMethod)
    }

    @Test
    fun `opens with its password and shows its identities, accounts and address book`() {
        openBackup(fixtureBytes(), pw(FIXTURE_PASSWORD), null, null).use { w ->
            val s = w.summary()
            assertEquals(Network.TESTNET, s.network)
            assertEquals(2u, s.identityCount)
            assertEquals(5u, s.accountCount)
            assertEquals(5u, s.contactCount)
            assertEquals(listOf("My ID", "IDn2"), s.identities.map { it.name })
            assertEquals(listOf(2, 3), s.identities.map { it.accounts.size })
            assertEquals(5, s.addressBook.size)
            assertEquals(BackupKind.LEGACY_MOBILE, w.sourceKind())
            assertEquals(100_000u, w.sourceIterations())
        }
    }

    @Test
    fun `re-exported in our format it opens again with the same content`() {
        openBackup(fixtureBytes(), pw(FIXTURE_PASSWORD), null, null).use { legacy ->
            val file = legacy.export(pw(), OURS, null, null)
            val info = inspectBackup(file)
            assertEquals(BackupKind.OURS, info.kind)
            assertEquals(Network.TESTNET, info.network)
            openBackup(file, pw(), null, null).use { ours ->
                assertEquals(legacy.summary(), ours.summary())
                assertEquals(parseJson(legacy.walletJson()), parseJson(ours.walletJson()))
                assertEquals(BackupKind.OURS, ours.sourceKind())
            }
        }
    }

    @Test
    fun `a wrong password is WrongPasswordOrDamaged`() {
        val file = fixtureBytes() // outside assertThrows, so a missing fixture skips
        assertThrows(WalletException.WrongPasswordOrDamaged::class.java) {
            openBackup(file, pw("000001"), null, null)
        }
    }
}
