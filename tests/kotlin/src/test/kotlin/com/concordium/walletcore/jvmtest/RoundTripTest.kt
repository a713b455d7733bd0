package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.AccountSummary
import com.concordium.walletcore.BackupKind
import com.concordium.walletcore.Contact
import com.concordium.walletcore.IdentitySummary
import com.concordium.walletcore.Network
import com.concordium.walletcore.WalletSummary
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

class RoundTripTest : LibraryTest() {

    private val expectedSummary = WalletSummary(
        network = Network.TESTNET,
        identities = listOf(
            IdentitySummary(
                name = "Id",
                providerName = null,
                providerId = null,
                accounts = listOf(AccountSummary("Acc", "3ZFGxLtnUUSJGW2WqjMh1DDjxyq5rnytCwkSqxFTpsWSFdQnNn")),
            ),
        ),
        addressBook = listOf(Contact("Bob", "3a1iz9jtYEh3CfSBsZt2nPx287UHWpia7eqWi5rpyfWKZUCXKG")),
        identityCount = 1u,
        accountCount = 1u,
        contactCount = 1u,
    )

    @Test
    fun `wallet built from JSON summarises it and gives the same JSON back`() {
        wallet().use { w ->
            assertEquals(expectedSummary, w.summary())
            assertNull(w.sourceKind(), "built from JSON, not opened from a file")
            assertNull(w.sourceIterations())
            assertEquals(parseJson(WALLET_JSON), parseJson(w.walletJson()))
        }
    }

    @Test
    fun `our format round trip keeps summary and wallet JSON`() {
        wallet().use { original ->
            val file = original.export(pw(), OURS, null, null)
            openBackup(file, pw(), null, null).use { opened ->
                assertEquals(original.summary(), opened.summary())
                assertArrayEquals(original.walletJson(), opened.walletJson())
                assertEquals(parseJson(WALLET_JSON), parseJson(opened.walletJson()))
                assertEquals(BackupKind.OURS, opened.sourceKind())
                assertEquals(600_000u, opened.sourceIterations())
            }
        }
    }

    @Test
    fun `legacy format round trip keeps summary and wallet JSON`() {
        wallet().use { original ->
            val file = original.export(pw(), LEGACY, null, null)
            openBackup(file, pw(), null, null).use { opened ->
                assertEquals(original.summary(), opened.summary())
                assertArrayEquals(original.walletJson(), opened.walletJson())
                assertEquals(BackupKind.LEGACY_MOBILE, opened.sourceKind())
                assertEquals(100_000u, opened.sourceIterations())
            }
        }
    }

    @Test
    fun `two exports of the same wallet differ (fresh salt and nonce)`() {
        wallet().use { w ->
            val a = w.export(pw(), OURS, null, null)
            val b = w.export(pw(), OURS, null, null)
            assertFalse(a.contentEquals(b))
        }
    }

    @Test
    fun `exported file holds no plaintext secret`() {
        val text = exportSample().toString(Charsets.UTF_8)
        for (secret in listOf("idCredSecret", "prfKey", "encryptionSecretKey", "3ZFGxLtnUUSJGW2WqjMh1DDjxyq5rnytCwkSqxFTpsWSFdQnNn")) {
            assertFalse(text.contains(secret), "the file shows `$secret` in clear")
        }
    }

    @Test
    fun `wiping the returned wallet JSON does not touch the wallet`() {
        wallet().use { w ->
            val first = w.walletJson()
            first.fill(0)
            assertEquals(parseJson(WALLET_JSON), parseJson(w.walletJson()))
        }
    }
}
