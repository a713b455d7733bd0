package com.concordium.walletcore.android.test

import android.content.Intent
import com.concordium.walletcore.android.ui.ExportActivity
import com.concordium.walletcore.android.ui.ImportActivity
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

/** The minimum SDK: class-3 biometrics only (a fingerprint), a per-use key without the device credential. */
@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [28])
class Api28Test : DeviceTest() {

    @Test
    fun progressReportsReachThisSandbox() = assertProgressReported()

    @Test
    fun theKeyIsBiometricOnlyAndPerUse() {
        device.createWallet().close()
        val spec = FakeAndroidKeyStore.specs.single()
        assertTrue(spec.isUserAuthenticationRequired)
        assertEquals(-1, spec.userAuthenticationValidityDurationSeconds)
    }

    @Test
    fun exportAndImportWorkOnApi28() {
        device.createWallet(withFixture = true).close()
        val export = Robolectric.buildActivity(ExportActivity::class.java).setup().get()
        approvePrompt()
        export.awaitScreen(ExportActivity.TAG_INFO_CONTINUE)
        export.click(ExportActivity.TAG_INFO_CONTINUE)
        export.awaitScreen(ExportActivity.TAG_PASSWORD)
        export.type(ExportActivity.TAG_PASSWORD, "violet kestrel orbits 42 lanterns")
        export.type(ExportActivity.TAG_PASSWORD_REPEAT, "violet kestrel orbits 42 lanterns")
        export.click(ExportActivity.TAG_PASSWORD_CONTINUE)
        export.awaitScreen(ExportActivity.TAG_SHARE)
        export.click(ExportActivity.TAG_SHARE)
        waitFor("the share chooser") { shadowOf(export).peekNextStartedActivityForResult() != null }
        assertEquals(Intent.ACTION_CHOOSER, shadowOf(export).nextStartedActivityForResult.intent.action)

        // The same wallet's backup, imported back into it: nothing new (progress listeners and
        // the store work in this second sandbox too).
        val import = Robolectric.buildActivity(ImportActivity::class.java).setup().get()
        waitFor("the system picker") { shadowOf(import).peekNextStartedActivityForResult() != null }
        val request = shadowOf(import).nextStartedActivityForResult
        val file = device.document("backup.concordiumwallet", fixtureBytes())
        shadowOf(import).receiveResult(request.intent, android.app.Activity.RESULT_OK, Intent().setData(file))
        import.awaitScreen(ImportActivity.TAG_PASSWORD)
        import.type(ImportActivity.TAG_PASSWORD, FIXTURE_PASSWORD)
        import.click(ImportActivity.TAG_PASSWORD_CONTINUE)
        approvePrompt()
        import.awaitScreen(ImportActivity.TAG_NOTHING_NEW)
        assertFalse(import.has(ImportActivity.TAG_CONFIRM))
    }
}
