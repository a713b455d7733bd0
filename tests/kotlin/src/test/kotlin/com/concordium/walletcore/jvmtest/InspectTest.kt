package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.BackupKind
import com.concordium.walletcore.Network
import com.concordium.walletcore.inspectBackup
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class InspectTest : LibraryTest() {

    @Test
    fun `inspect our file without a password`() {
        val file = exportSample()
        val info = inspectBackup(file)
        assertEquals(BackupKind.OURS, info.kind)
        assertEquals(1uL, info.formatVersion)
        assertEquals(600_000uL, info.iterations)
        assertEquals(Network.TESTNET, info.network)
        assertEquals(true, info.intact)
        assertEquals("AES-256-GCM", info.encryptionMethod)
        assertEquals("PBKDF2WithHmacSHA256", info.keyDerivationMethod)
        assertEquals(file.size.toULong(), info.fileSize)
        assertFalse(info.weakKeyDerivation)
        assertTrue(info.withinLimits)
        assertTrue(info.description.isNotBlank())
    }

    @Test
    fun `inspect a legacy file we wrote`() {
        val file = exportSample(LEGACY)
        val info = inspectBackup(file)
        assertEquals(BackupKind.LEGACY_MOBILE, info.kind)
        assertNull(info.formatVersion)
        assertEquals(100_000uL, info.iterations)
        assertNull(info.intact)
        assertTrue(info.weakKeyDerivation)
        assertEquals("AES-256", info.encryptionMethod)
    }
}
