package com.concordium.walletcore.android

import android.app.KeyguardManager
import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyInfo
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import java.io.File
import java.io.IOException
import java.security.GeneralSecurityException
import java.security.InvalidAlgorithmParameterException
import java.security.KeyStore
import java.security.ProviderException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.SecretKeyFactory
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * The wallet's 32-byte storage key, released only through a BiometricPrompt that is
 * crypto-bound to an Android Keystore key (strong biometrics or the device credential).
 *
 * - A Keystore AES-256-GCM key (alias [alias]) that needs user authentication for every use
 *   (`setUserAuthenticationParameters(0, AUTH_BIOMETRIC_STRONG or AUTH_DEVICE_CREDENTIAL)`),
 *   StrongBox-backed where the device has StrongBox.
 * - The storage key itself: 32 random bytes, stored sealed by that Keystore key in the
 *   [StorageKeyWrapping] format in `noBackupFilesDir/walletcore/` (app-private, never in a backup,
 *   like the Keystore key).
 * - [obtain] shows the prompt with a `CryptoObject` around the Keystore cipher; only after the user
 *   authenticates can the cipher open (or, on first use, seal) the storage key.
 *
 * Usage (from a coroutine, e.g. `lifecycleScope.launch`):
 * ```
 * val key = storageKey.obtain(activity, prompt)          // throws StorageKeyException
 * key.useAndWipe { k ->                                   // fill(0) afterwards, also on error
 *     withContext(Dispatchers.IO) { wallet.export(k, password, settings, listener, cancel) }
 * }
 * ```
 *
 * API 28–29: `setUserAuthenticationParameters` and a device credential with a `CryptoObject` do
 * not exist there, so the key is created per-use and biometric-only
 * (`setUserAuthenticationValidityDurationSeconds(-1)`) and the prompt offers only class-3
 * biometrics with a cancel button; a new enrollment invalidates that key. A device without an
 * enrolled class-3 biometric gets [StorageKeyException.Unavailable]. (The alternative, a
 * time-bound key unlocked through `KeyguardManager.createConfirmDeviceCredentialIntent`, is not
 * crypto-bound per use and is left out on purpose.) A key created on API 28–29 keeps its
 * biometric-only rule after an upgrade to 30+; the prompt follows the key, not the API level.
 *
 * One instance per process is enough; calls are serialised.
 */
class BiometricStorageKey(
    context: Context,
    private val alias: String = DEFAULT_ALIAS,
    fileName: String = DEFAULT_FILE_NAME,
) {
    private val appContext: Context = context.applicationContext
    private val file = StorageKeyFile(File(File(appContext.noBackupFilesDir, DIRECTORY), fileName))

    /** Texts of the system prompt. [cancelButton] is shown only by the biometric-only prompt (API 28–29). */
    data class PromptText(
        val title: String,
        val subtitle: String? = null,
        val description: String? = null,
        val cancelButton: String = "Cancel",
    )

    /** Whether a storage key was created (no prompt). If a wallet store exists but this is false, the key is lost. */
    fun exists(): Boolean = file.exists()

    /**
     * Shows the prompt and returns the 32-byte storage key. The caller passes it to
     * `Wallet.create` / `export` / `previewImport` / `import` and then wipes it (`fill(0)`, or
     * [useAndWipe]).
     *
     * On first use (no stored key) it creates the Keystore key and a random storage key and seals
     * it; the prompt then authorises the sealing. With [allowCreate] = false a missing key is an
     * error ([StorageKeyException.Missing]) instead: pass false for a wallet that already exists,
     * so a lost key is reported rather than replaced by a new one the store will refuse.
     *
     * Must be called with an activity that is at least CREATED; the prompt is shown on the main
     * thread, the Keystore and file work runs on `Dispatchers.IO`. Cancelling the coroutine
     * dismisses the prompt.
     *
     * @throws StorageKeyException (and CancellationException when the coroutine is cancelled)
     */
    suspend fun obtain(
        activity: FragmentActivity,
        text: PromptText,
        allowCreate: Boolean = true,
    ): ByteArray = LOCK.withLock {
        try {
            val wrapped = withContext(Dispatchers.IO) { file.read() }
            when {
                wrapped != null -> unlock(activity, text, wrapped)
                allowCreate -> create(activity, text)
                else -> throw StorageKeyException.Missing()
            }
        } catch (e: StorageKeyBlobException) {
            throw StorageKeyException.Damaged(e)
        } catch (e: GeneralSecurityException) {
            throw StorageKeyException.KeystoreFailure(e)
        } catch (e: ProviderException) {
            throw StorageKeyException.KeystoreFailure(e)
        } catch (e: IOException) {
            throw StorageKeyException.StorageFailure(e)
        }
    }

    /**
     * Deletes the stored storage key and the Keystore key. Only for starting over after
     * [StorageKeyException.Invalidated] / [StorageKeyException.Damaged], or when the wallet is
     * deleted: every secret sealed under the old key is unreadable afterwards.
     */
    suspend fun reset() {
        LOCK.withLock {
            withContext(Dispatchers.IO) {
                try {
                    file.delete()
                    keyStore().deleteEntry(alias)
                } catch (e: GeneralSecurityException) {
                    throw StorageKeyException.KeystoreFailure(e)
                } catch (e: IOException) {
                    throw StorageKeyException.StorageFailure(e)
                }
            }
        }
    }

    private suspend fun create(activity: FragmentActivity, text: PromptText): ByteArray {
        val (cipher, deviceCredential) = withContext(Dispatchers.IO) {
            requireScreenLock()
            // No stored blob means no storage key was ever handed out (it is returned only after
            // the blob is on disk), so a Keystore key left by an interrupted first use can go.
            keyStore().deleteEntry(alias)
            val key = generateKeystoreKey()
            val cipher = Cipher.getInstance(StorageKeyWrapping.TRANSFORMATION)
            initCipher { cipher.init(Cipher.ENCRYPT_MODE, key) }
            cipher to allowsDeviceCredential(key)
        }
        val authorised = authenticate(activity, text, cipher, deviceCredential)
        val storageKey = StorageKeyWrapping.newStorageKey()
        try {
            withContext(Dispatchers.IO) {
                val blob = keystoreOperation { StorageKeyWrapping.wrap(authorised, storageKey) }
                file.write(blob)
            }
            return storageKey
        } catch (e: Throwable) {
            storageKey.fill(0)
            throw e
        }
    }

    private suspend fun unlock(
        activity: FragmentActivity,
        text: PromptText,
        wrapped: WrappedStorageKey,
    ): ByteArray {
        val (cipher, deviceCredential) = withContext(Dispatchers.IO) {
            val key = keyStore().getKey(alias, null) as? SecretKey
                ?: throw StorageKeyException.Invalidated(null)
            val cipher = Cipher.getInstance(StorageKeyWrapping.TRANSFORMATION)
            initCipher { cipher.init(Cipher.DECRYPT_MODE, key, wrapped.decryptionParameters()) }
            cipher to allowsDeviceCredential(key)
        }
        val authorised = authenticate(activity, text, cipher, deviceCredential)
        return withContext(Dispatchers.IO) {
            keystoreOperation { StorageKeyWrapping.unwrap(authorised, wrapped) }
        }
    }

    /** Shows the prompt around [cipher]; returns the cipher the Keystore now lets us use once. */
    private suspend fun authenticate(
        activity: FragmentActivity,
        text: PromptText,
        cipher: Cipher,
        deviceCredential: Boolean,
    ): Cipher = withContext(Dispatchers.Main) {
        val authenticators = if (deviceCredential) BIOMETRIC_STRONG or DEVICE_CREDENTIAL else BIOMETRIC_STRONG
        checkCanAuthenticate(authenticators, deviceCredential)
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(text.title)
            .apply {
                text.subtitle?.let { setSubtitle(it) }
                text.description?.let { setDescription(it) }
                setAllowedAuthenticators(authenticators)
                // A negative button is required without DEVICE_CREDENTIAL and forbidden with it.
                if (!deviceCredential) setNegativeButtonText(text.cancelButton)
            }
            .build()
        // After onSaveInstanceState BiometricPrompt logs and never calls back: the user left.
        if (activity.isFinishing || activity.supportFragmentManager.isStateSaved) {
            throw StorageKeyException.Cancelled()
        }
        val executor = ContextCompat.getMainExecutor(activity)
        suspendCancellableCoroutine { continuation ->
            val prompt = BiometricPrompt(
                activity,
                executor,
                object : BiometricPrompt.AuthenticationCallback() {
                    override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                        val authorised = result.cryptoObject?.cipher
                        if (authorised == null) {
                            continuation.resumeWithException(
                                StorageKeyException.KeystoreFailure(IllegalStateException("no cipher in the result")),
                            )
                        } else {
                            continuation.resume(authorised)
                        }
                    }

                    override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                        // Ignored by the continuation if it was already cancelled.
                        continuation.resumeWithException(promptError(errorCode, errString.toString()))
                    }

                    // onAuthenticationFailed (a face or finger not recognised): the prompt stays
                    // up and lets the user try again; the system counts attempts and locks out.
                },
            )
            continuation.invokeOnCancellation { executor.execute { prompt.cancelAuthentication() } }
            prompt.authenticate(info, BiometricPrompt.CryptoObject(cipher))
        }
    }

    private fun checkCanAuthenticate(authenticators: Int, deviceCredential: Boolean) {
        when (val status = BiometricManager.from(appContext).canAuthenticate(authenticators)) {
            BiometricManager.BIOMETRIC_SUCCESS -> Unit
            BiometricManager.BIOMETRIC_ERROR_NONE_ENROLLED ->
                if (deviceCredential) {
                    throw StorageKeyException.NoScreenLock(null)
                } else {
                    throw StorageKeyException.Unavailable(
                        status,
                        "Enroll a fingerprint or face in the system settings to protect your wallet.",
                    )
                }
            else -> throw StorageKeyException.Unavailable(
                status,
                "This device cannot confirm your identity right now (code $status).",
            )
        }
    }

    private fun requireScreenLock() {
        val keyguard = appContext.getSystemService(KeyguardManager::class.java)
        if (keyguard != null && !keyguard.isDeviceSecure) throw StorageKeyException.NoScreenLock(null)
    }

    private fun generateKeystoreKey(): SecretKey {
        fun spec(strongBox: Boolean): KeyGenParameterSpec =
            KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .setUserAuthenticationRequired(true)
                .apply {
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                        // Timeout 0: every use needs its own authentication through a CryptoObject.
                        setUserAuthenticationParameters(
                            0,
                            KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL,
                        )
                    } else {
                        // API 28–29: -1 = per use, class-3 biometrics only (see the class comment).
                        @Suppress("DEPRECATION")
                        setUserAuthenticationValidityDurationSeconds(-1)
                    }
                    // setRandomizedEncryptionRequired(true) is the default: the Keystore picks the IV.
                    if (strongBox) setIsStrongBoxBacked(true)
                }
                .build()

        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        return try {
            try {
                generator.init(spec(strongBox = true))
                generator.generateKey()
            } catch (e: StrongBoxUnavailableException) {
                generator.init(spec(strongBox = false))
                generator.generateKey()
            }
        } catch (e: InvalidAlgorithmParameterException) {
            // "Secure lock screen must be enabled" / "At least one biometric must be enrolled".
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                throw StorageKeyException.NoScreenLock(e)
            }
            throw StorageKeyException.Unavailable(
                BiometricManager.BIOMETRIC_ERROR_NONE_ENROLLED,
                "Enroll a fingerprint or face in the system settings to protect your wallet.",
                e,
            )
        } catch (e: GeneralSecurityException) {
            throw StorageKeyException.KeystoreFailure(e)
        } catch (e: ProviderException) {
            throw StorageKeyException.KeystoreFailure(e)
        }
    }

    /** Whether the key accepts the device credential (API 30+ keys), so the prompt may offer it. */
    private fun allowsDeviceCredential(key: SecretKey): Boolean {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.R) return false
        return try {
            val info = SecretKeyFactory.getInstance(key.algorithm, ANDROID_KEYSTORE)
                .getKeySpec(key, KeyInfo::class.java) as KeyInfo
            info.userAuthenticationType and KeyProperties.AUTH_DEVICE_CREDENTIAL != 0
        } catch (e: GeneralSecurityException) {
            false // a biometric-only prompt is always allowed for either kind of key
        }
    }

    private inline fun initCipher(init: () -> Unit) {
        try {
            init()
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw StorageKeyException.Invalidated(e)
        } catch (e: GeneralSecurityException) {
            throw StorageKeyException.KeystoreFailure(e)
        }
    }

    private inline fun <R> keystoreOperation(operation: () -> R): R =
        try {
            operation()
        } catch (e: StorageKeyBlobException) {
            throw StorageKeyException.Damaged(e)
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw StorageKeyException.Invalidated(e)
        } catch (e: GeneralSecurityException) {
            // e.g. IllegalBlockSizeException caused by a KeyStoreException: the key was not authorised.
            throw StorageKeyException.KeystoreFailure(e)
        }

    private fun keyStore(): KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    companion object {
        const val DEFAULT_ALIAS: String = "com.concordium.walletcore.storage-key-wrapping"
        const val DEFAULT_FILE_NAME: String = "storage-key.v1"
        const val DIRECTORY: String = "walletcore"
        private const val ANDROID_KEYSTORE = "AndroidKeyStore"

        /** One file and one alias per app: serialise across instances. */
        private val LOCK = Mutex()

        private fun promptError(code: Int, text: String): StorageKeyException = when (code) {
            BiometricPrompt.ERROR_USER_CANCELED,
            BiometricPrompt.ERROR_NEGATIVE_BUTTON,
            BiometricPrompt.ERROR_CANCELED,
            -> StorageKeyException.Cancelled()
            BiometricPrompt.ERROR_LOCKOUT -> StorageKeyException.LockedOut(permanent = false)
            BiometricPrompt.ERROR_LOCKOUT_PERMANENT -> StorageKeyException.LockedOut(permanent = true)
            BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL -> StorageKeyException.NoScreenLock(null)
            BiometricPrompt.ERROR_NO_BIOMETRICS,
            BiometricPrompt.ERROR_HW_NOT_PRESENT,
            BiometricPrompt.ERROR_HW_UNAVAILABLE,
            -> StorageKeyException.Unavailable(code, text)
            else -> StorageKeyException.AuthenticationError(code, text)
        }
    }
}

/**
 * Why [BiometricStorageKey.obtain] returned no storage key. [message] is a sentence for the user.
 */
sealed class StorageKeyException(message: String, cause: Throwable? = null) : Exception(message, cause) {
    /** The user dismissed the prompt (or another app came to the front). Nothing to report. */
    class Cancelled : StorageKeyException("Authentication was cancelled.")

    /** No secure screen lock (PIN, pattern or password) is set; the storage key needs one. */
    class NoScreenLock(cause: Throwable?) :
        StorageKeyException("Set a screen lock (PIN, pattern or password) to protect your wallet.", cause)

    /** The device cannot authenticate now (no hardware, none enrolled on API 28–29, unavailable). */
    class Unavailable(val code: Int, message: String, cause: Throwable? = null) :
        StorageKeyException(message, cause)

    /** Too many failed attempts. [permanent]: the screen lock must be used to unlock biometrics. */
    class LockedOut(val permanent: Boolean) : StorageKeyException(
        if (permanent) {
            "Too many attempts. Unlock the device with your screen lock, then try again."
        } else {
            "Too many attempts. Try again in a moment."
        },
    )

    /** The prompt failed with another BiometricPrompt error code. */
    class AuthenticationError(val code: Int, message: String) : StorageKeyException(message)

    /** No storage key was created yet and `allowCreate` was false. */
    class Missing : StorageKeyException(
        "This wallet's storage key is missing on this device. Restore the wallet from a backup " +
            "file or its recovery phrase.",
    )

    /**
     * The Keystore key is permanently invalidated or gone: the screen lock was removed (or, for a
     * key made on API 28–29, a new biometric was enrolled), or the key was deleted. The storage
     * key cannot be recovered: the wallet's secrets must be restored from a backup file or the
     * recovery phrase after [BiometricStorageKey.reset].
     */
    class Invalidated(cause: Throwable?) : StorageKeyException(
        "The screen lock or biometrics changed, so this device can no longer unlock the wallet's " +
            "keys. Restore the wallet from a backup file or its recovery phrase.",
        cause,
    )

    /** The stored storage key is damaged ([StorageKeyBlobException]); same consequence as [Invalidated]. */
    class Damaged(cause: StorageKeyBlobException) : StorageKeyException(
        "The wallet's stored key is damaged. Restore the wallet from a backup file or its recovery phrase.",
        cause,
    )

    /** The key file under `noBackupFilesDir` could not be read or written. */
    class StorageFailure(cause: IOException) :
        StorageKeyException("The wallet's key file could not be read or written. Try again.", cause)

    /** The Keystore refused an operation (a device problem, or the key was not authorised). */
    class KeystoreFailure(cause: Throwable) :
        StorageKeyException("The device's key store failed. Try again.", cause)
}
