package com.concordium.walletcore.android.test

import android.content.Intent
import android.hardware.biometrics.BiometricPrompt
import android.net.Uri
import android.provider.OpenableColumns
import android.security.keystore.KeyProperties
import android.view.WindowManager
import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.ExportFormat
import com.concordium.walletcore.ExportSettings
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.ui.ExportActivity
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_CONTENTS
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_DONE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_ERROR
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_INFO_CONTINUE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_PASSWORD
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_PASSWORD_CONTINUE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_PASSWORD_ERROR
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_PASSWORD_REPEAT
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_PROGRESS_CANCEL
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_SAVE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_SHARE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_STATUS
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_SHARED_YES
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_STRENGTH_WARNING
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_WEAK_BACK
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_WEAK_CONTINUE
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_WEAK_WARNING
import com.concordium.walletcore.android.ui.ExportActivity.Companion.TAG_WARNING
import com.concordium.walletcore.android.ui.ImportActivity
import com.concordium.walletcore.android.ui.MoreActivity
import com.concordium.walletcore.android.ui.WalletShell
import com.concordium.walletcore.openBackup
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowBiometricPrompt
import java.util.concurrent.Executor
import java.util.concurrent.LinkedBlockingQueue

private const val STRONG_PASSWORD = "violet kestrel orbits 42 lanterns"

@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [35])
class ExportFlowTest : DeviceTest() {
    private var controller: ActivityController<ExportActivity>? = null
    private val defaultBackground = WalletShell.background

    @Before
    fun createWallet() {
        device.createWallet(withFixture = true).close()
    }

    @After
    fun tearDown() {
        controller?.let { if (!it.get().isDestroyed) it.pause().stop().destroy() }
        WalletShell.background = defaultBackground
        WalletShell.exportSettings = ExportSettings(ExportFormat.OURS, null)
    }

    private fun start(): ExportActivity =
        Robolectric.buildActivity(ExportActivity::class.java).also { controller = it }.setup().get()

    /** Prompt → information → the password screen. */
    private fun toPasswordScreen(activity: ExportActivity) {
        approvePrompt()
        activity.awaitScreen(TAG_INFO_CONTINUE)
        activity.click(TAG_INFO_CONTINUE)
        activity.awaitScreen(TAG_PASSWORD)
    }

    private fun ExportActivity.enterPasswords(first: String, second: String = first) {
        type(TAG_PASSWORD, first)
        type(TAG_PASSWORD_REPEAT, second)
        click(TAG_PASSWORD_CONTINUE)
    }

    @Test
    fun exportEndToEndSharesAFileThatOpensWithThePassword() {
        val activity = start()
        assertTrue(
            "the export screens are FLAG_SECURE",
            activity.window.attributes.flags and WindowManager.LayoutParams.FLAG_SECURE != 0,
        )
        approvePrompt()
        activity.awaitScreen(TAG_INFO_CONTINUE)
        val contents = activity.textOf(TAG_CONTENTS)
        assertTrue(contents, "2 identities" in contents && "5 accounts" in contents && "5 contacts" in contents)
        assertTrue(activity.textOf(TAG_WARNING), activity.textOf(TAG_WARNING).contains("move the funds"))
        activity.click(TAG_INFO_CONTINUE)
        activity.awaitScreen(TAG_PASSWORD)

        activity.enterPasswords("abc")
        activity.awaitText(TAG_PASSWORD_ERROR, "at least 6 characters")
        assertTrue("the fields are emptied", activity.view<android.widget.EditText>(TAG_PASSWORD).text.isEmpty())

        activity.enterPasswords(STRONG_PASSWORD, "$STRONG_PASSWORD!")
        activity.awaitText(TAG_PASSWORD_ERROR, "not the same")

        activity.type(TAG_PASSWORD, "password1")
        assertTrue("the meter warns while typing", activity.has(TAG_STRENGTH_WARNING))
        activity.enterPasswords("password1")
        activity.awaitScreen(TAG_WEAK_WARNING)
        assertTrue(activity.textOf(TAG_WEAK_WARNING), activity.textOf(TAG_WEAK_WARNING).startsWith("This password is weak"))
        activity.click(TAG_WEAK_BACK)
        activity.awaitScreen(TAG_PASSWORD)

        activity.type(TAG_PASSWORD, STRONG_PASSWORD)
        val strength = activity.textOf("$TAG_PASSWORD.strength.text")
        assertTrue("the meter follows the typing: $strength", strength.startsWith("Strength: strong"))
        assertFalse(activity.has(TAG_STRENGTH_WARNING))
        activity.enterPasswords(STRONG_PASSWORD)
        activity.awaitScreen(TAG_SHARE)
        assertTrue("the typed password is gone from the screen", !activity.has(TAG_PASSWORD))

        assertTrue("not exported before it is saved", backupDue())
        activity.click(TAG_SHARE)
        waitFor("the share chooser") { shadowOf(activity).peekNextStartedActivityForResult() != null }
        val chooserRequest = shadowOf(activity).nextStartedActivityForResult
        val chooser = chooserRequest.intent
        assertEquals(Intent.ACTION_CHOOSER, chooser.action)
        @Suppress("DEPRECATION")
        val send = chooser.getParcelableExtra<Intent>(Intent.EXTRA_INTENT)!!
        assertEquals(Intent.ACTION_SEND, send.action)
        assertEquals(BackupFiles.MIME_TYPE, send.type)
        assertTrue(send.flags and Intent.FLAG_GRANT_READ_URI_PERMISSION != 0)
        @Suppress("DEPRECATION")
        val uri = send.getParcelableExtra<Uri>(Intent.EXTRA_STREAM)!!
        assertEquals(BackupFiles.authority(activity), uri.authority)
        assertEquals(uri, send.clipData!!.getItemAt(0).uri)

        // What the receiving app reads, through our provider.
        val name = activity.contentResolver.query(uri, null, null, null, null)!!.use {
            it.moveToFirst()
            it.getString(it.getColumnIndexOrThrow(OpenableColumns.DISPLAY_NAME))
        }
        assertTrue(name, name.startsWith("concordium-backup-") && name.endsWith(".wallet-backup"))
        val bytes = activity.contentResolver.openInputStream(uri)!!.use { it.readBytes() }
        val summary = openBackup(bytes, STRONG_PASSWORD.toByteArray(), null, null).use { it.summary() }
        assertEquals(2u, summary.identityCount)
        assertEquals(5u, summary.accountCount)
        assertEquals(5u, summary.contactCount)

        // Back from the share sheet: only the person's "yes" records the export for the reminder.
        shadowOf(activity).receiveResult(chooser, android.app.Activity.RESULT_CANCELED, null)
        activity.awaitScreen(TAG_SHARED_YES)
        activity.click(TAG_SHARED_YES)
        waitFor("the saved note") { activity.has(TAG_STATUS) && activity.textOf(TAG_STATUS) == "Saved." }
        assertFalse("the reminder knows about the export", backupDue())

        activity.click(TAG_DONE)
        assertTrue(activity.isFinishing)
        controller!!.pause().stop().destroy()
        assertEquals("the shared file is deleted when the export closes", emptyList<Any>(), device.cacheFiles())
    }

    @Test
    fun saveToFilesWritesTheBackupWhereTheUserChose() {
        val activity = start()
        toPasswordScreen(activity)
        activity.enterPasswords(STRONG_PASSWORD)
        activity.awaitScreen(TAG_SAVE)
        activity.click(TAG_SAVE)
        val request = shadowOf(activity).nextStartedActivityForResult
        assertEquals(Intent.ACTION_CREATE_DOCUMENT, request.intent.action)
        assertEquals(BackupFiles.MIME_TYPE, request.intent.type)
        assertTrue(request.intent.getStringExtra(Intent.EXTRA_TITLE)!!.endsWith(".wallet-backup"))
        val target = device.document("chosen.wallet-backup", ByteArray(0))
        shadowOf(activity).receiveResult(request.intent, android.app.Activity.RESULT_OK, Intent().setData(target))
        waitFor("the saved note") { activity.has(TAG_STATUS) && activity.textOf(TAG_STATUS) == "Saved." }
        val saved = activity.contentResolver.openInputStream(target)!!.use { it.readBytes() }
        openBackup(saved, STRONG_PASSWORD.toByteArray(), null, null).use { assertEquals(5u, it.summary().accountCount) }
        assertEquals("saving leaves no copy in the app", emptyList<Any>(), device.cacheFiles().filter { "documents" !in it.path })
    }

    @Test
    fun aWeakPasswordCanBeUsedAfterTheWarning() {
        val activity = start()
        toPasswordScreen(activity)
        activity.enterPasswords("password1")
        activity.awaitScreen(TAG_WEAK_CONTINUE)
        activity.click(TAG_WEAK_CONTINUE)
        activity.awaitScreen(TAG_SHARE)
    }

    @Test
    fun cancelledPromptExportsNothing() {
        val activity = start()
        awaitPrompt()
        ShadowBiometricPrompt.cancelCurrentSession()
        idle()
        assertTrue("a cancelled prompt closes the export", activity.isFinishing)
        assertEquals(emptyList<Any>(), device.cacheFiles())
        assertEquals(null, shadowOf(activity).peekNextStartedActivity())
    }

    @Test
    fun failedThenLockedOutPromptExportsNothing() {
        val activity = start()
        awaitPrompt()
        ShadowBiometricPrompt.failCurrentSessionOnce()
        idle()
        assertFalse("a finger not recognised leaves the prompt up", activity.has(TAG_INFO_CONTINUE))
        assertFalse(activity.isFinishing)
        ShadowBiometricPrompt.authenticateCurrentSessionWithError(BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT, "Too many attempts")
        idle()
        activity.awaitScreen(TAG_ERROR)
        assertTrue(activity.textOf(TAG_ERROR), activity.textOf(TAG_ERROR).startsWith("Too many attempts"))
        assertFalse(activity.has(TAG_INFO_CONTINUE))
        assertEquals(emptyList<Any>(), device.cacheFiles())
        assertEquals(null, shadowOf(activity).peekNextStartedActivity())
    }

    @Test
    fun cancelDuringTheExportMakesNoBackup() {
        val held = HeldExecutor()
        WalletShell.background = held
        val activity = start()
        // Held work runs only while the awaited screen is not there yet, so the export's own task
        // is still held when the progress screen appears.
        fun until(what: String, condition: () -> Boolean) = waitFor("$what (screen: ${activity.screenText()})") {
            condition() || false.also { held.runAll() }
        }
        until("the prompt") { ShadowBiometricPrompt.getCurrentPrompt() != null }
        approvePrompt()
        until("the information") { activity.has(TAG_INFO_CONTINUE) }
        activity.click(TAG_INFO_CONTINUE)
        until("the password screen") { activity.has(TAG_PASSWORD) }
        activity.enterPasswords(STRONG_PASSWORD)
        until("the progress screen") { activity.has(TAG_PROGRESS_CANCEL) }
        activity.click(TAG_PROGRESS_CANCEL) // before the export runs: the held task sees the token fired
        until("the end of the export") { activity.isFinishing }
        assertEquals(emptyList<Any>(), device.cacheFiles())
        assertTrue(backupDue())
    }

    @Test
    fun moreSaysABackupIsDueAndOpensExportAndImport() {
        val more = Robolectric.buildActivity(MoreActivity::class.java).setup().get()
        waitFor("the backup status") { more.textOf(MoreActivity.TAG_BACKUP_STATUS).isNotEmpty() }
        assertTrue(more.textOf(MoreActivity.TAG_BACKUP_STATUS), more.textOf(MoreActivity.TAG_BACKUP_STATUS).startsWith("Backup due."))
        more.click(MoreActivity.TAG_EXPORT)
        assertEquals(ExportActivity::class.java.name, shadowOf(more).nextStartedActivity.component!!.className)
        more.click(MoreActivity.TAG_IMPORT)
        assertEquals(ImportActivity::class.java.name, shadowOf(more).nextStartedActivity.component!!.className)
    }

    @Test
    fun progressReportsReachThisSandbox() = assertProgressReported()

    @Test
    fun theKeystoreKeyNeedsAuthenticationForEveryUse() {
        val spec = FakeAndroidKeyStore.specs.single()
        assertTrue(spec.isUserAuthenticationRequired)
        assertEquals(0, spec.userAuthenticationValidityDurationSeconds)
        assertEquals(
            KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL,
            spec.userAuthenticationType,
        )
        assertFalse("no StrongBox on this device: the fallback key", spec.isStrongBoxBacked)
        assertTrue(spec.blockModes.contentEquals(arrayOf(KeyProperties.BLOCK_MODE_GCM)))
        assertEquals(256, spec.keySize)
    }

    @Test
    fun theStorageKeyIsTheSameAtEveryPromptAndTheBlobIsSealed() {
        val activity = Robolectric.buildActivity(android.app.Activity::class.java).setup().get()
        val first = device.obtainKey(activity)
        val second = device.obtainKey(activity)
        assertTrue(first.contentEquals(second))
        val blob = java.io.File(java.io.File(activity.noBackupFilesDir, "walletcore"), "storage-key.v1").readBytes()
        assertEquals(61, blob.size)
        assertEquals("version 1", 1, blob[0].toInt())
        assertFalse("the storage key is not in the file in clear", String(blob, Charsets.ISO_8859_1).contains(String(first, Charsets.ISO_8859_1)))
        assertNotNull(CancelToken()) // the bindings are loaded outside the sandbox and usable here
    }
}

/** Whether the store says a backup is due (the reminder on More). */
private fun backupDue(): Boolean =
    com.concordium.walletcore.Wallet.open(WalletShell.walletPath(org.robolectric.RuntimeEnvironment.getApplication()).path)
        .use { it.backupStatus().due }

/** Holds background work until the test runs it, so a test can act between two steps. */
class HeldExecutor : Executor {
    private val tasks = LinkedBlockingQueue<Runnable>()
    override fun execute(command: Runnable) {
        tasks.add(command)
    }

    fun pending(): Int = tasks.size

    fun runAll() {
        while (true) (tasks.poll() ?: return).run()
    }
}
