package com.concordium.walletcore.android.test

import android.app.Activity
import android.content.Intent
import android.net.Uri
import android.view.WindowManager
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.android.ui.ImportActivity
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_CONFIRM
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_COUNT_ACCOUNTS
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_COUNT_CONTACTS
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_COUNT_IDENTITIES
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_COUNT_PRESENT
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_ERROR
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_NOTHING_NEW
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_OK
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_PASSWORD
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_PASSWORD_CONTINUE
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_PASSWORD_ERROR
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_REPORT
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_REVIEW
import com.concordium.walletcore.android.ui.ImportActivity.Companion.TAG_UNLOCK_AGAIN
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowBiometricPrompt

@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [35])
class ImportFlowTest : DeviceTest() {
    private val controllers = mutableListOf<ActivityController<ImportActivity>>()

    @Before
    fun createWallet() {
        device.createWallet().close()
    }

    @After
    fun tearDown() {
        controllers.forEach { if (!it.get().isDestroyed) it.pause().stop().destroy() }
    }

    private fun start(intent: Intent? = null): ImportActivity {
        val controller = if (intent == null) {
            Robolectric.buildActivity(ImportActivity::class.java)
        } else {
            Robolectric.buildActivity(ImportActivity::class.java, intent)
        }
        controllers += controller
        return controller.setup().get()
    }

    /** Starts the import and answers the system picker with [document]. */
    private fun pick(document: Uri): ImportActivity {
        val activity = start()
        waitFor("the system picker") { shadowOf(activity).peekNextStartedActivityForResult() != null }
        val request = shadowOf(activity).nextStartedActivityForResult
        assertEquals(Intent.ACTION_OPEN_DOCUMENT, request.intent.action)
        assertTrue(request.intent.hasCategory(Intent.CATEGORY_OPENABLE))
        shadowOf(activity).receiveResult(request.intent, Activity.RESULT_OK, Intent().setData(document))
        return activity
    }

    private fun ImportActivity.enterPassword(password: String) {
        awaitScreen(TAG_PASSWORD)
        type(TAG_PASSWORD, password)
        click(TAG_PASSWORD_CONTINUE)
    }

    private fun counts(activity: Activity): Triple<String, String, String> = Triple(
        activity.textOf(TAG_COUNT_IDENTITIES),
        activity.textOf(TAG_COUNT_ACCOUNTS),
        activity.textOf(TAG_COUNT_CONTACTS),
    )

    private fun storeCounts(): Triple<UInt, UInt, UInt> = Wallet.open(device.walletFile.path).use {
        val o = it.overview()
        Triple(o.identityCount, o.accountCount, o.contactCount)
    }

    @Test
    fun importEndToEndFromThePicker() {
        val fixture = device.document("cryptox-testnet-export.concordiumwallet", fixtureBytes())
        val activity = pick(fixture)
        assertTrue(activity.window.attributes.flags and WindowManager.LayoutParams.FLAG_SECURE != 0)

        // A wrong password: told so, and asked again without picking the file again.
        activity.enterPassword("wrong-password")
        activity.awaitText(TAG_PASSWORD_ERROR, "password")
        assertTrue(activity.textOf(TAG_PASSWORD_ERROR), activity.textOf(TAG_PASSWORD_ERROR).contains("password"))
        assertNull("no prompt for a wrong password", ShadowBiometricPrompt.getCurrentPrompt())
        assertNull(shadowOf(activity).peekNextStartedActivityForResult())

        activity.enterPassword(FIXTURE_PASSWORD)
        approvePrompt()
        activity.awaitScreen(TAG_REVIEW)
        assertEquals(
            Triple("Identities to add: 2", "Accounts to add: 5", "Contacts to add: 5"),
            counts(activity),
        )
        assertEquals("the preview changes nothing", Triple(0u, 0u, 0u), storeCounts())

        activity.click(TAG_CONFIRM)
        activity.awaitScreen(TAG_REPORT)
        assertEquals(
            "the report is the preview",
            Triple("Identities to add: 2", "Accounts to add: 5", "Contacts to add: 5"),
            counts(activity),
        )
        activity.click(TAG_OK)
        assertTrue(activity.isFinishing)
        assertEquals(Triple(2u, 5u, 5u), storeCounts())

        // The same file again: nothing new, nothing changes.
        val again = pick(fixture)
        again.enterPassword(FIXTURE_PASSWORD)
        approvePrompt()
        again.awaitScreen(TAG_NOTHING_NEW)
        assertEquals(Triple("Identities to add: 0", "Accounts to add: 0", "Contacts to add: 0"), counts(again))
        assertTrue(again.textOf(TAG_COUNT_PRESENT), again.textOf(TAG_COUNT_PRESENT).endsWith(": 12"))
        assertFalse(again.has(TAG_CONFIRM))
        again.click(TAG_OK)
        assertTrue(again.isFinishing)
        assertEquals(Triple(2u, 5u, 5u), storeCounts())
    }

    @Test
    fun aFileSharedToTheAppOpensTheImport() {
        val fixture = device.document("shared.concordiumwallet", fixtureBytes())
        val activity = start(Intent(Intent.ACTION_SEND).setType("application/octet-stream").putExtra(Intent.EXTRA_STREAM, fixture))
        assertNull("no picker for a shared file", shadowOf(activity).peekNextStartedActivityForResult())
        activity.enterPassword(FIXTURE_PASSWORD)
        approvePrompt()
        activity.awaitScreen(TAG_REVIEW)
        assertEquals("Accounts to add: 5", activity.textOf(TAG_COUNT_ACCOUNTS))
    }

    @Test
    fun aDesktopExportGetsItsErrorBeforeAnyPassword() {
        val desktop = device.document("desktop.json", DESKTOP_EXPORT.toByteArray())
        val activity = start(Intent(Intent.ACTION_VIEW).setDataAndType(desktop, "application/json"))
        activity.awaitScreen(TAG_ERROR)
        assertTrue(activity.textOf(TAG_ERROR), activity.textOf(TAG_ERROR).contains("Desktop Wallet"))
        assertFalse(activity.has(TAG_PASSWORD))
        assertNull(ShadowBiometricPrompt.getCurrentPrompt())
    }

    @Test
    fun aFileThatIsNotABackupGetsItsError() {
        val photo = device.document("photo.jpg", byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 0xE0.toByte(), 1, 2, 3))
        val activity = pick(photo)
        activity.awaitScreen(TAG_ERROR)
        assertFalse(activity.has(TAG_PASSWORD))
    }

    @Test
    fun invalidatedKeystoreKeyShowsTheKeyLostScreen() {
        // A new biometric enrolled on an API 28–29 key, or the screen lock removed.
        FakeAndroidKeyStore.invalidateAll()
        val activity = pick(device.document("backup.concordiumwallet", fixtureBytes()))
        activity.enterPassword(FIXTURE_PASSWORD)
        activity.awaitScreen(TAG_ERROR)
        assertTrue(activity.textOf(TAG_ERROR), activity.textOf(TAG_ERROR).contains("can no longer unlock"))
        assertNull("the Keystore refused before any prompt", ShadowBiometricPrompt.getCurrentPrompt())
        assertEquals(Triple(0u, 0u, 0u), storeCounts())
    }

    @Test
    fun aSecondKeystoreKeyCannotOpenTheStoredKey() {
        // After re-enrolment an app that made a new Keystore key under the same alias.
        FakeAndroidKeyStore.replace(com.concordium.walletcore.android.BiometricStorageKey.DEFAULT_ALIAS)
        val activity = pick(device.document("backup.concordiumwallet", fixtureBytes()))
        activity.enterPassword(FIXTURE_PASSWORD)
        approvePrompt()
        activity.awaitScreen(TAG_ERROR)
        assertTrue(activity.textOf(TAG_ERROR), activity.textOf(TAG_ERROR).contains("stored key is damaged"))
        assertEquals(Triple(0u, 0u, 0u), storeCounts())
    }

    @Test
    fun aDismissedPromptCanBeTriedAgainWithoutThePassword() {
        val activity = pick(device.document("backup.concordiumwallet", fixtureBytes()))
        activity.enterPassword(FIXTURE_PASSWORD)
        awaitPrompt()
        ShadowBiometricPrompt.cancelCurrentSession()
        ShadowBiometricPrompt.reset()
        idle()
        activity.awaitScreen(TAG_UNLOCK_AGAIN)
        assertEquals(Triple(0u, 0u, 0u), storeCounts())
        activity.click(TAG_UNLOCK_AGAIN)
        approvePrompt()
        activity.awaitScreen(TAG_REVIEW)
        assertEquals("Accounts to add: 5", activity.textOf(TAG_COUNT_ACCOUNTS))
    }

    @Test
    fun progressReportsReachThisSandbox() = assertProgressReported()

    @Test
    fun aCancelledPickerClosesTheImport() {
        val activity = start()
        waitFor("the system picker") { shadowOf(activity).peekNextStartedActivityForResult() != null }
        val request = shadowOf(activity).nextStartedActivityForResult
        shadowOf(activity).receiveResult(request.intent, Activity.RESULT_CANCELED, null)
        assertTrue(activity.isFinishing)
    }
}
