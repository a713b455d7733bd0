@file:Suppress("DEPRECATION") // ShadowFingerprintManager stands in for API 28 fingerprint hardware

package com.concordium.walletcore.android.test

import android.app.Activity
import android.app.Application
import android.app.KeyguardManager
import android.content.ContentProvider
import android.content.ContentValues
import android.content.pm.PackageManager
import android.database.Cursor
import android.database.MatrixCursor
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG
import android.hardware.biometrics.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import android.hardware.fingerprint.FingerprintManager
import android.net.Uri
import android.os.Build
import android.os.Looper
import android.os.ParcelFileDescriptor
import android.provider.OpenableColumns
import android.view.View
import android.widget.EditText
import android.widget.TextView
import com.concordium.walletcore.Network
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.defaultIterations
import com.concordium.walletcore.openBackup
import java.util.concurrent.CopyOnWriteArrayList
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.BackupShareProvider
import com.concordium.walletcore.android.BiometricStorageKey
import com.concordium.walletcore.android.PromptText
import com.concordium.walletcore.android.StorageKeyCallback
import com.concordium.walletcore.android.StorageKeyException
import com.concordium.walletcore.android.ui.WalletShell
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Assume.assumeTrue
import org.robolectric.Robolectric
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBiometricManager
import org.robolectric.shadows.ShadowBiometricPrompt
import org.robolectric.shadows.ShadowFingerprintManager
import java.io.File
import java.io.FileNotFoundException
import java.nio.file.Files
import java.util.concurrent.Executors

/** The CryptoX fixture's password. */
const val FIXTURE_PASSWORD = "000000"

/** The authority of the test's document provider, standing in for the system picker's. */
const val DOCUMENTS = "com.concordium.walletcore.test.documents"

/** A Desktop Wallet export (self-generated vector, 10,000 iterations, password "password"). */
val DESKTOP_EXPORT: String =
    """{"cipherText":"tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==",""" +
        """"metadata":{"keyLen":32,"iterations":10000,"salt":"AAECAwQFBgcICQoLDA0ODw==",""" +
        """"initializationVector":"EBESExQVFhcYGRobHB0eHw==","encryptionMethod":"AES-256",""" +
        """"keyDerivationMethod":"PBKDF2WithHmacSHA256","hashAlgorithm":"sha256"}}"""

/**
 * One test's device: a secure lock screen, a class-3 biometric (a fingerprint on API 28), the
 * stand-in Keystore, the share provider, a document provider, a wallet path in a fresh directory,
 * and the screens wired to them.
 */
class TestDevice {
    val app: Application = RuntimeEnvironment.getApplication()
    val dir: File = Files.createTempDirectory("walletcore-android").toFile()
    val walletFile = File(dir, "wallet.sqlite")
    val storageKeys = BiometricStorageKey(app, background = Executors.newSingleThreadExecutor())

    init {
        // Loads the bindings (and registers their callback tables) as soon as a sandbox starts.
        check(defaultIterations() > 0u)
        FakeAndroidKeyStore.install()
        ShadowBiometricPrompt.reset()
        shadowOf(app.getSystemService(KeyguardManager::class.java)).setIsDeviceSecure(true)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            val biometrics = Shadow.extract<ShadowBiometricManager>(app.getSystemService(BiometricManager::class.java))
            biometrics.setCanAuthenticate(true)
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                biometrics.setAuthenticatorType(BIOMETRIC_STRONG or DEVICE_CREDENTIAL)
            }
        } else {
            shadowOf(app.packageManager).setSystemFeature(PackageManager.FEATURE_FINGERPRINT, true)
            val fingerprints = Shadow.extract<ShadowFingerprintManager>(app.getSystemService(FingerprintManager::class.java))
            fingerprints.setIsHardwareDetected(true)
            fingerprints.setHasEnrolledFingerprints(true)
        }
        Robolectric.setupContentProvider(BackupShareProvider::class.java, BackupFiles.authority(app))
        Documents.dir = File(dir, "documents").apply { mkdirs() }
        Robolectric.setupContentProvider(Documents::class.java, DOCUMENTS)
        WalletShell.walletPath = { walletFile }
        WalletShell.storageKeys = { storageKeys }
        BackupFiles.deleteSharedBackups(app)
    }

    /** A document the picker can hand out. */
    fun document(name: String, bytes: ByteArray): Uri {
        File(Documents.dir, name).writeBytes(bytes)
        return Uri.parse("content://$DOCUMENTS/$name")
    }

    /** Files the exports left anywhere in the app's cache directory. */
    fun cacheFiles(): List<File> = app.cacheDir.walkTopDown().filter { it.isFile }.toList()

    /**
     * Creates the wallet store as an app would: the first prompt creates the Keystore key and the
     * storage key, which `Wallet.create` then seals the store under.
     */
    fun createWallet(withFixture: Boolean = false): Wallet {
        val activity = Robolectric.buildActivity(Activity::class.java).setup().get()
        val key = obtainKey(activity, allowCreate = true)
        return try {
            Wallet.create(walletFile.path, Network.TESTNET, key).also { wallet ->
                if (withFixture) {
                    wallet.`import`(fixtureBytes(), FIXTURE_PASSWORD.toByteArray(), key, null, null, null)
                }
            }
        } finally {
            key.fill(0)
        }
    }

    /** Runs [BiometricStorageKey.obtain] and approves the prompt; the caller wipes the key. */
    fun obtainKey(activity: Activity, allowCreate: Boolean = false): ByteArray {
        var released: ByteArray? = null
        var failed: StorageKeyException? = null
        storageKeys.obtain(activity, PromptText("Test"), allowCreate, object : StorageKeyCallback {
            override fun onKey(key: ByteArray) {
                released = key
            }

            override fun onError(error: StorageKeyException) {
                failed = error
            }
        })
        approvePrompt()
        waitFor("the storage key") { released != null || failed != null }
        failed?.let { throw it }
        return released!!
    }
}

/** A test with a fresh [TestDevice] (created inside the Robolectric sandbox, removed afterwards). */
abstract class DeviceTest {
    lateinit var device: TestDevice

    @org.junit.Before
    fun setUpDevice() {
        device = TestDevice()
    }

    @org.junit.After
    fun tearDownDevice() {
        FakeAndroidKeyStore.uninstall()
        device.dir.deleteRecursively()
    }
}

/** Serves files of one directory as `content://DOCUMENTS/<name>`, readable and writable. */
class Documents : ContentProvider() {
    companion object {
        lateinit var dir: File
    }

    override fun onCreate(): Boolean = true
    override fun getType(uri: Uri): String = "application/octet-stream"

    override fun query(uri: Uri, projection: Array<out String>?, s: String?, a: Array<out String>?, o: String?): Cursor {
        val file = File(dir, uri.lastPathSegment!!)
        return MatrixCursor(arrayOf(OpenableColumns.DISPLAY_NAME, OpenableColumns.SIZE)).apply {
            addRow(arrayOf<Any>(file.name, file.length()))
        }
    }

    override fun openFile(uri: Uri, mode: String): ParcelFileDescriptor {
        val file = File(dir, uri.lastPathSegment!!)
        if (mode == "r" && !file.isFile) throw FileNotFoundException(uri.toString())
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.parseMode(mode))
    }

    override fun insert(uri: Uri, values: ContentValues?): Uri? = null
    override fun update(uri: Uri, v: ContentValues?, s: String?, a: Array<out String>?): Int = 0
    override fun delete(uri: Uri, s: String?, a: Array<out String>?): Int = 0
}

/** The CryptoX testnet export (2 identities, 5 accounts, 5 contacts); skips without shared/ unless CI. */
fun fixtureBytes(): ByteArray {
    val file = System.getProperty("walletcore.fixture.cryptox")?.let(::File)
    if (file == null || !file.isFile) {
        val why = "fixture $file is absent (put the project's shared/fixtures next to the repository)"
        if (System.getenv("REQUIRE_FIXTURES") == "1") fail(why)
        assumeTrue(why, false)
    }
    return file!!.readBytes()
}

/**
 * Checks that the core's progress reports reach a listener made in this test's sandbox (they stop
 * when another sandbox's copy of the bindings registered its callback tables last; see
 * [WalletCoreTestRunner]).
 */
fun assertProgressReported() {
    val reports = CopyOnWriteArrayList<Pair<UInt, UInt>>()
    val listener = object : ProgressListener {
        override fun onProgress(done: UInt, total: UInt) {
            reports += done to total
        }
    }
    openBackup(fixtureBytes(), FIXTURE_PASSWORD.toByteArray(), listener, null).close()
    assertTrue("no progress reported", reports.isNotEmpty())
    val (done, total) = reports.last()
    assertEquals(total, done)
}

/**
 * Lets the main looper run until [condition] holds. Background work (key derivation, the store)
 * runs on real threads and posts back to the main looper. The bound only turns a hang into a
 * failure; no test asserts anything about time.
 */
fun waitFor(what: String, condition: () -> Boolean) {
    val deadline = System.nanoTime() + 180_000_000_000L
    val looper = shadowOf(Looper.getMainLooper())
    while (true) {
        looper.idle()
        if (condition()) return
        if (System.nanoTime() > deadline) fail("gave up waiting for $what")
        Thread.sleep(2)
    }
}

fun idle() = shadowOf(Looper.getMainLooper()).idle()

/** Waits for the biometric prompt and approves it (the user touched the sensor or typed the PIN). */
fun approvePrompt() {
    waitFor("the biometric prompt") { ShadowBiometricPrompt.getCurrentPrompt() != null }
    ShadowBiometricPrompt.authenticateCurrentSessionSuccessfully()
    ShadowBiometricPrompt.reset()
    idle()
}

fun awaitPrompt() = waitFor("the biometric prompt") { ShadowBiometricPrompt.getCurrentPrompt() != null }

fun <T : View> Activity.view(tag: String): T =
    window.decorView.findViewWithTag<T>(tag) ?: throw AssertionError("no view '$tag' on the screen: ${screenText()}")

fun Activity.has(tag: String): Boolean = window.decorView.findViewWithTag<View>(tag)?.isShown == true

fun Activity.textOf(tag: String): String = view<TextView>(tag).text.toString()

fun Activity.click(tag: String) {
    assertTrue("'$tag' is not shown", has(tag))
    view<View>(tag).performClick()
    idle()
}

fun Activity.type(tag: String, text: String) {
    view<EditText>(tag).setText(text)
    idle()
}

/** Every text on the screen, for failure messages. */
fun Activity.screenText(): String {
    val texts = mutableListOf<String>()
    fun walk(v: View) {
        if (v is TextView && v.isShown && v.text.isNotEmpty() && v !is EditText) texts += v.text.toString()
        if (v is android.view.ViewGroup) for (i in 0 until v.childCount) walk(v.getChildAt(i))
    }
    walk(window.decorView)
    return texts.joinToString(" | ")
}

fun Activity.awaitScreen(tag: String) = waitFor("'$tag' (screen: ${screenText()})") { has(tag) }

/** Waits until the view [tag] is shown and its text contains [fragment]. */
fun Activity.awaitText(tag: String, fragment: String) =
    waitFor("'$fragment' in '$tag' (screen: ${screenText()})") { has(tag) && fragment in textOf(tag) }
