package com.concordium.walletcore.android.test

import android.app.Activity
import android.content.Intent
import android.os.CancellationSignal
import android.os.Handler
import android.os.Looper
import com.concordium.walletcore.Network
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.android.PromptText
import com.concordium.walletcore.android.StorageKeyCallback
import com.concordium.walletcore.android.StorageKeySource
import com.concordium.walletcore.android.ui.ExportActivity
import com.concordium.walletcore.android.ui.WalletShell
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowBiometricPrompt
import java.security.SecureRandom

/**
 * An app with a passcode of its own supplies the storage key through [StorageKeySource]; the
 * screens work unchanged and no biometric prompt is shown.
 */
@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [35])
class OwnPasscodeTest : DeviceTest() {
    /** Stands in for an app's passcode screen that releases the key once the passcode is right. */
    private class PasscodeKeys(private val key: ByteArray) : StorageKeySource {
        var asked = 0

        override fun obtain(
            activity: Activity,
            text: PromptText,
            allowCreate: Boolean,
            callback: StorageKeyCallback,
        ): CancellationSignal {
            asked++
            Handler(Looper.getMainLooper()).post { callback.onKey(key.copyOf()) }
            return CancellationSignal()
        }
    }

    @Test
    fun theScreensTakeTheKeyFromTheAppsSource() {
        val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
        Wallet.create(device.walletFile.path, Network.TESTNET, key).use {
            it.`import`(fixtureBytes(), FIXTURE_PASSWORD.toByteArray(), key, null, null, null)
        }
        val keys = PasscodeKeys(key)
        WalletShell.storageKeys = { keys }

        val activity = Robolectric.buildActivity(ExportActivity::class.java).setup().get()
        activity.awaitScreen(ExportActivity.TAG_INFO_CONTINUE)
        activity.click(ExportActivity.TAG_INFO_CONTINUE)
        activity.awaitScreen(ExportActivity.TAG_PASSWORD)
        activity.type(ExportActivity.TAG_PASSWORD, "violet kestrel orbits 42 lanterns")
        activity.type(ExportActivity.TAG_PASSWORD_REPEAT, "violet kestrel orbits 42 lanterns")
        activity.click(ExportActivity.TAG_PASSWORD_CONTINUE)
        activity.awaitScreen(ExportActivity.TAG_SHARE)
        activity.click(ExportActivity.TAG_SHARE)
        waitFor("the share chooser") { shadowOf(activity).peekNextStartedActivityForResult() != null }
        assertEquals(Intent.ACTION_CHOOSER, shadowOf(activity).nextStartedActivityForResult.intent.action)
        assertEquals(1, keys.asked)
        assertNull("no biometric prompt", ShadowBiometricPrompt.getCurrentPrompt())
    }
}
