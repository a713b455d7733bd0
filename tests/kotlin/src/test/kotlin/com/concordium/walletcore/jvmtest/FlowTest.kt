package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.BackupDue
import com.concordium.walletcore.BackupKind
import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.ExportFlow
import com.concordium.walletcore.ExportState
import com.concordium.walletcore.FlowProblemKind
import com.concordium.walletcore.ImportFlow
import com.concordium.walletcore.ImportState
import com.concordium.walletcore.Network
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.openBackup
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.security.SecureRandom

/** Casts a state to the expected screen, with the actual one in the failure message. */
private inline fun <reified T> expect(state: Any): T {
    assertTrue(state is T, "expected ${T::class.simpleName}, got $state")
    return state as T
}

/**
 * The export and import flows through the generated bindings, as a shell drives them: the
 * storage key stands for what a BiometricPrompt / Keychain prompt releases.
 */
class FlowTest : LibraryTest() {
    @TempDir
    lateinit var dir: File

    private fun storageKey(): ByteArray = ByteArray(32).also { SecureRandom().nextBytes(it) }

    /** Imports the CryptoX fixture through the flow, checking every screen on the way. */
    private fun importFixture(w: Wallet, key: ByteArray, expectNew: Boolean): ImportState.Done {
        ImportFlow(w, fixtureBytes()).use { flow ->
            val enter = expect<ImportState.EnterPassword>(flow.state())
            assertEquals(BackupKind.LEGACY_MOBILE, enter.file.kind)
            assertEquals(0u, enter.failedAttempts)
            assertEquals("Enter the password of this backup.", enter.text())

            // A wrong password: try again without picking the file again.
            val wrong = expect<ImportState.EnterPassword>(flow.submitPassword(pw("111111"), null, null))
            assertEquals(FlowProblemKind.WrongPasswordOrDamaged, wrong.problem!!.kind)
            assertEquals(1u, wrong.failedAttempts)
            assertTrue(wrong.text().startsWith("The password is wrong, or the file is damaged"), wrong.text())

            val progress = RecordingListener()
            expect<ImportState.Unlock>(flow.submitPassword(pw(FIXTURE_PASSWORD), progress, null))
            assertTrue(progress.calls.isNotEmpty(), "progress reported during the key derivation")

            val refused = expect<ImportState.Unlock>(flow.unlock(storageKey()))
            assertEquals(FlowProblemKind.WrongStorageKey, refused.problem!!.kind)

            val review = expect<ImportState.Review>(flow.unlock(key.copyOf()))
            assertEquals(null, review.problem)
            if (expectNew) {
                assertEquals(listOf(2, 5, 5), listOf(review.summary.identitiesAdded.size,
                    review.summary.accountsAdded.size, review.summary.contactsAdded.size))
                assertEquals("Review your import: it adds 2 identities, 5 accounts and 5 contacts.", review.text())
            } else {
                assertEquals(0u, review.summary.changeCount)
                assertEquals(12, review.summary.alreadyPresent.size)
            }
            val done = expect<ImportState.Done>(flow.confirm())
            assertEquals(review.summary, done.summary, "the report is the review")
            assertThrows<WalletException.InvalidParameters> { flow.confirm() }
            return done
        }
    }

    @Test
    fun `import the real fixture end to end, then again`() {
        val key = storageKey()
        Wallet.create(File(dir, "w.sqlite").path, Network.TESTNET, key.copyOf()).use { w ->
            assertEquals(BackupDue.NOTHING_TO_BACK_UP, w.backupStatus().reason)
            importFixture(w, key, expectNew = true)
            val o = w.overview()
            assertEquals(listOf(2u, 5u, 5u), listOf(o.identityCount, o.accountCount, o.contactCount))
            val status = w.backupStatus()
            assertTrue(status.due)
            assertEquals(BackupDue.NEVER_EXPORTED, status.reason)
            assertEquals(listOf(2u, 5u, 5u), listOf(status.identities.added, status.accounts.added, status.contacts.added))

            val again = importFixture(w, key, expectNew = false)
            assertTrue(again.text().contains("nothing was new"), again.text())
            assertEquals(5u, w.overview().accountCount)
        }
    }

    @Test
    fun `export end to end opens with the password and holds the wallet`() {
        val key = storageKey()
        Wallet.create(File(dir, "w.sqlite").path, Network.TESTNET, key.copyOf()).use { w ->
            importFixture(w, key, expectNew = true)
            ExportFlow(w, OURS).use { flow ->
                expect<ExportState.Unlock>(flow.state())
                assertThrows<WalletException.InvalidParameters> { flow.acknowledge() }
                val handed = key.copyOf()
                val info = expect<ExportState.Information>(flow.unlock(handed))
                // The app wipes its copy at once; the flow keeps its own until `run`.
                handed.fill(0)
                assertEquals(listOf(2u, 5u, 5u), listOf(info.contents.identities, info.contents.accounts, info.contents.contacts))
                assertTrue(info.warning.contains("move"), info.warning)

                expect<ExportState.ChoosePassword>(flow.acknowledge())
                val short = expect<ExportState.ChoosePassword>(flow.setPassword(pw("12345"), pw("12345")))
                assertEquals(FlowProblemKind.PasswordTooShort(6u), short.feedback!!.problem!!.kind)
                val differ = expect<ExportState.ChoosePassword>(flow.setPassword(pw(), pw("$PASSWORD!")))
                assertEquals(FlowProblemKind.PasswordsDiffer, differ.feedback!!.problem!!.kind)
                val live = flow.ratePassword(pw("password"), pw("password"))
                assertTrue(live.weak && live.problem == null)
                assertTrue(live.weakWarning!!.contains(live.strength!!.timeToGuess), live.weakWarning)
                val weak = expect<ExportState.ReadyToExport>(flow.setPassword(pw("password"), pw("password")))
                assertEquals(live.weakWarning, weak.text())
                expect<ExportState.ChoosePassword>(flow.back())
                val ready = expect<ExportState.ReadyToExport>(flow.setPassword(pw(), pw()))
                assertFalse(ready.feedback.weak)

                val progress = RecordingListener()
                val finished = expect<ExportState.Finished>(flow.run(progress, null))
                assertTrue(progress.calls.isNotEmpty())
                assertTrue(Regex("""concordium-backup-\d{8}\.wallet-backup""").matches(finished.file.fileName), finished.file.fileName)
                assertEquals("application/octet-stream", finished.file.mimeType)
                assertEquals("com.concordium.wallet-backup", finished.file.uti)
                val bytes = flow.fileBytes()
                assertEquals(finished.file.size, bytes.size.toULong())
                openBackup(bytes, pw(), null, null).use { b ->
                    val s = b.summary()
                    assertEquals(listOf(2u, 5u, 5u), listOf(s.identityCount, s.accountCount, s.contactCount))
                }
                assertEquals(BackupDue.NEVER_EXPORTED, w.backupStatus().reason, "not saved yet")
                val saved = expect<ExportState.Saved>(flow.confirmSaved())
                val status = w.backupStatus()
                assertEquals(BackupDue.UP_TO_DATE, status.reason)
                assertEquals(saved.at, status.lastExportAt)
                assertFalse(status.due)

                // The file imports into a second, empty wallet through the import flow.
                val key2 = storageKey()
                Wallet.create(File(dir, "second.sqlite").path, Network.TESTNET, key2.copyOf()).use { w2 ->
                    ImportFlow(w2, bytes).use { imp ->
                        val enter = expect<ImportState.EnterPassword>(imp.state())
                        assertEquals(BackupKind.OURS, enter.file.kind)
                        assertEquals(Network.TESTNET, enter.file.network)
                        val wrong = expect<ImportState.EnterPassword>(imp.submitPassword(pw("not it"), null, null))
                        assertEquals(FlowProblemKind.WrongPassword, wrong.problem!!.kind)
                        expect<ImportState.Unlock>(imp.submitPassword(pw(), null, null))
                        expect<ImportState.Review>(imp.unlock(key2.copyOf()))
                        expect<ImportState.Done>(imp.confirm())
                    }
                    assertEquals(5u, w2.overview().accountCount)
                }
            }
            w.addContact("Carol", "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7")
            val changed = w.backupStatus()
            assertEquals(BackupDue.CHANGED_SINCE_EXPORT, changed.reason)
            assertEquals(1u, changed.contacts.added)
        }
    }

    @Test
    fun `cancelling an export mid key derivation exports and records nothing`() {
        val key = storageKey()
        Wallet.create(File(dir, "w.sqlite").path, Network.TESTNET, key.copyOf()).use { w ->
            importFixture(w, key, expectNew = true)
            ExportFlow(w, OURS).use { flow ->
                flow.unlock(key.copyOf())
                flow.acknowledge()
                flow.setPassword(pw(), pw())
                CancelToken().use { token ->
                    val listener = object : ProgressListener {
                        override fun onProgress(done: UInt, total: UInt) = token.cancel()
                    }
                    assertEquals(ExportState.Cancelled, flow.run(listener, token))
                }
                assertThrows<WalletException.InvalidParameters> { flow.fileBytes() }
                assertEquals("The export was cancelled; no backup was made.", flow.state().text())
            }
            assertEquals(null, w.backupStatus().lastExportAt)
        }
    }

    @Test
    fun `a Desktop export and a non-backup are refused before any password`() {
        val desktop = """{"cipherText":"tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==","metadata":{"keyLen":32,"iterations":10000,"salt":"AAECAwQFBgcICQoLDA0ODw==","initializationVector":"EBESExQVFhcYGRobHB0eHw==","encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256","hashAlgorithm":"sha256"}}"""
        Wallet.create(File(dir, "w.sqlite").path, Network.TESTNET, storageKey()).use { w ->
            ImportFlow(w, desktop.toByteArray()).use { flow ->
                val r = expect<ImportState.Rejected>(flow.state())
                assertEquals(FlowProblemKind.DesktopWalletExport, r.problem.kind)
                assertTrue(r.text().contains("Desktop Wallet"), r.text())
                assertThrows<WalletException.InvalidParameters> { flow.submitPassword(pw(), null, null) }
            }
            ImportFlow(w, "hello".toByteArray()).use { flow ->
                assertEquals(FlowProblemKind.NotABackup, expect<ImportState.Rejected>(flow.state()).problem.kind)
            }
        }
    }
}
