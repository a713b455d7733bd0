@file:Suppress("DEPRECATION") // FingerprintManager: the only way to ask for a sensor on API 28

package com.concordium.walletcore.android

import android.app.Activity
import android.app.KeyguardManager
import android.content.Context
import android.content.pm.PackageManager
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG
import android.hardware.biometrics.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import android.hardware.biometrics.BiometricPrompt
import android.hardware.fingerprint.FingerprintManager
import android.os.Build
import android.os.CancellationSignal
import android.os.Handler
import android.os.Looper
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyInfo
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.io.File
import java.io.IOException
import java.security.GeneralSecurityException
import java.security.InvalidAlgorithmParameterException
import java.security.KeyStore
import java.security.ProviderException
import java.util.concurrent.Executor
import java.util.concurrent.Executors
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.SecretKeyFactory

/**
 * The wallet's 32-byte storage key, released only through a framework BiometricPrompt that is
 * crypto-bound to an Android Keystore key (class-3 biometrics or the device credential).
 *
 * - A Keystore AES-256-GCM key (alias [alias]) that needs user authentication for every use
 *   (`setUserAuthenticationParameters(0, AUTH_BIOMETRIC_STRONG or AUTH_DEVICE_CREDENTIAL)`),
 *   StrongBox-backed where the device has StrongBox.
 * - The storage key itself: 32 random bytes, stored sealed by that Keystore key in the
 *   [StorageKeyWrapping] format in `noBackupFilesDir/walletcore/` (app-private, never in a backup,
 *   like the Keystore key).
 * - [obtain] shows the prompt with a `CryptoObject` around the Keystore cipher; only after the user
 *   authenticates can that cipher open (or, on first use, seal) the storage key. The Keystore
 *   refuses the cipher until then, so skipping or hooking the prompt releases nothing.
 *
 * API 28–29: `setUserAuthenticationParameters` and a device credential with a `CryptoObject` do
 * not exist there, so the key is created per use and biometric-only
 * (`setUserAuthenticationValidityDurationSeconds(-1)`) and the prompt offers class-3 biometrics
 * with a cancel button; a new enrollment invalidates that key. A device without an enrolled
 * biometric gets [StorageKeyException.Unavailable]. (A time-bound key unlocked through
 * `KeyguardManager.createConfirmDeviceCredentialIntent` is not crypto-bound per use and is left
 * out on purpose.) A key created on API 28–29 keeps its biometric-only rule after an upgrade: the
 * prompt follows the key ([KeyInfo]), not the API level.
 *
 * Keystore and file work runs on [background]; the prompt and the callback run on the main
 * thread. One instance per process is enough; the Keystore work of all instances is serialised.
 */
class BiometricStorageKey(
    context: Context,
    private val alias: String = DEFAULT_ALIAS,
    fileName: String = DEFAULT_FILE_NAME,
    private val background: Executor = DEFAULT_EXECUTOR,
) : StorageKeySource {
    private val appContext: Context = context.applicationContext
    private val file = StorageKeyFile(File(File(appContext.noBackupFilesDir, DIRECTORY), fileName))
    private val main = Handler(Looper.getMainLooper())

    /** Whether a storage key was created (no prompt). If a wallet store exists but this is false, the key is lost. */
    fun exists(): Boolean = file.exists()

    override fun obtain(
        activity: Activity,
        text: PromptText,
        allowCreate: Boolean,
        callback: StorageKeyCallback,
    ): CancellationSignal {
        val signal = CancellationSignal()
        val once = OnceCallback(callback, signal)
        background.execute {
            val prepared = try {
                synchronized(KEYSTORE_LOCK) { prepare(allowCreate) }
            } catch (e: StorageKeyException) {
                main.post { once.error(e) }
                return@execute
            }
            main.post { authenticate(activity, text, prepared, signal, once) }
        }
        return signal
    }

    /**
     * Deletes the stored storage key and the Keystore key (blocking: call off the main thread).
     * Only for starting over after [StorageKeyException.Invalidated] / [StorageKeyException.Damaged],
     * or when the wallet is deleted: every secret sealed under the old key is unreadable afterwards.
     */
    fun reset() {
        synchronized(KEYSTORE_LOCK) {
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

    /** A cipher ready for the prompt, and what to do with it once authorised. */
    private class Prepared(val cipher: Cipher, val deviceCredential: Boolean, val wrapped: WrappedStorageKey?)

    private fun prepare(allowCreate: Boolean): Prepared = translate {
        val wrapped = file.read()
        when {
            wrapped != null -> {
                val key = keyStore().getKey(alias, null) as? SecretKey
                    ?: throw StorageKeyException.Invalidated(null)
                val cipher = Cipher.getInstance(StorageKeyWrapping.TRANSFORMATION)
                initCipher { cipher.init(Cipher.DECRYPT_MODE, key, wrapped.decryptionParameters()) }
                Prepared(cipher, allowsDeviceCredential(key), wrapped)
            }
            allowCreate -> {
                requireScreenLock()
                // No stored blob means no storage key was ever handed out (it is returned only
                // after the blob is on disk), so a Keystore key left by an interrupted first use can go.
                keyStore().deleteEntry(alias)
                val key = generateKeystoreKey()
                val cipher = Cipher.getInstance(StorageKeyWrapping.TRANSFORMATION)
                initCipher { cipher.init(Cipher.ENCRYPT_MODE, key) }
                Prepared(cipher, allowsDeviceCredential(key), null)
            }
            else -> throw StorageKeyException.Missing()
        }
    }

    /** After the prompt: seal a new storage key or open the stored one with the authorised cipher. */
    private fun release(cipher: Cipher, prepared: Prepared): ByteArray = translate {
        val wrapped = prepared.wrapped
        if (wrapped != null) return@translate StorageKeyWrapping.unwrap(cipher, wrapped)
        val storageKey = StorageKeyWrapping.newStorageKey()
        try {
            file.write(StorageKeyWrapping.wrap(cipher, storageKey))
            storageKey
        } catch (e: Throwable) {
            storageKey.fill(0)
            throw e
        }
    }

    private fun authenticate(
        activity: Activity,
        text: PromptText,
        prepared: Prepared,
        signal: CancellationSignal,
        once: OnceCallback,
    ) {
        if (signal.isCanceled) return
        // The user left before the prompt could be shown: a prompt without a window never answers.
        if (activity.isFinishing || activity.isDestroyed) {
            once.error(StorageKeyException.Cancelled())
            return
        }
        val executor = activity.mainExecutor
        val prompt = try {
            checkCanAuthenticate(prepared.deviceCredential)
            buildPrompt(activity, text, prepared.deviceCredential, executor, once)
        } catch (e: StorageKeyException) {
            once.error(e)
            return
        }
        val callback = object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                // On a device the result holds the CryptoObject we passed in, around the same
                // Cipher instance, which the Keystore now lets us use once.
                val cipher = result.cryptoObject?.cipher ?: prepared.cipher
                background.execute {
                    val outcome = try {
                        Result.success(release(cipher, prepared))
                    } catch (e: StorageKeyException) {
                        Result.failure(e)
                    }
                    main.post {
                        outcome.fold(
                            onSuccess = { key -> if (!once.key(key)) key.fill(0) },
                            onFailure = { once.error(it as StorageKeyException) },
                        )
                    }
                }
            }

            override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                once.error(promptError(errorCode, errString.toString()))
            }

            // onAuthenticationFailed (a face or finger not recognised): the prompt stays up and
            // lets the user try again; the system counts the attempts and locks out.
        }
        prompt.authenticate(BiometricPrompt.CryptoObject(prepared.cipher), signal, executor, callback)
    }

    private fun buildPrompt(
        activity: Activity,
        text: PromptText,
        deviceCredential: Boolean,
        executor: Executor,
        once: OnceCallback,
    ): BiometricPrompt {
        val builder = BiometricPrompt.Builder(activity).setTitle(text.title)
        text.subtitle?.let { builder.setSubtitle(it) }
        text.description?.let { builder.setDescription(it) }
        if (deviceCredential && Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            // A negative button is forbidden with DEVICE_CREDENTIAL: the system offers "Use PIN".
            builder.setAllowedAuthenticators(BIOMETRIC_STRONG or DEVICE_CREDENTIAL)
        } else {
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) builder.setAllowedAuthenticators(BIOMETRIC_STRONG)
            // The negative button ends the prompt without an error callback of its own.
            builder.setNegativeButton(text.cancelButton, executor) { _, _ -> once.error(StorageKeyException.Cancelled()) }
        }
        return builder.build()
    }

    private fun checkCanAuthenticate(deviceCredential: Boolean) {
        val noneEnrolled = "Enroll a fingerprint or face in the system settings to protect your wallet."
        when {
            Build.VERSION.SDK_INT >= Build.VERSION_CODES.R -> {
                val manager = biometricManager()
                val authenticators = if (deviceCredential) BIOMETRIC_STRONG or DEVICE_CREDENTIAL else BIOMETRIC_STRONG
                when (val status = manager.canAuthenticate(authenticators)) {
                    BiometricManager.BIOMETRIC_SUCCESS -> Unit
                    BiometricManager.BIOMETRIC_ERROR_NONE_ENROLLED ->
                        if (deviceCredential) {
                            throw StorageKeyException.NoScreenLock(null)
                        } else {
                            throw StorageKeyException.Unavailable(status, noneEnrolled)
                        }
                    else -> throw StorageKeyException.Unavailable(
                        status,
                        "This device cannot confirm your identity right now (code $status).",
                    )
                }
            }
            Build.VERSION.SDK_INT == Build.VERSION_CODES.Q -> {
                @Suppress("DEPRECATION")
                val status = biometricManager().canAuthenticate()
                if (status != BiometricManager.BIOMETRIC_SUCCESS) {
                    throw StorageKeyException.Unavailable(status, noneEnrolled)
                }
            }
            else -> {
                // API 28 has no BiometricManager; its BiometricPrompt is backed by fingerprints.
                @Suppress("DEPRECATION")
                val fingerprints = appContext.getSystemService(FingerprintManager::class.java)
                val hardware = appContext.packageManager.hasSystemFeature(PackageManager.FEATURE_FINGERPRINT)
                @Suppress("DEPRECATION")
                if (!hardware || fingerprints == null || !fingerprints.isHardwareDetected) {
                    throw StorageKeyException.Unavailable(
                        BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
                        "This device has no fingerprint sensor to protect your wallet with.",
                    )
                }
                @Suppress("DEPRECATION")
                if (!fingerprints.hasEnrolledFingerprints()) {
                    throw StorageKeyException.Unavailable(BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS, noneEnrolled)
                }
            }
        }
    }

    private fun biometricManager(): BiometricManager =
        appContext.getSystemService(BiometricManager::class.java)
            ?: throw StorageKeyException.Unavailable(
                BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
                "This device cannot confirm your identity with biometrics.",
            )

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
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) throw StorageKeyException.NoScreenLock(e)
            throw StorageKeyException.Unavailable(
                BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
                "Enroll a fingerprint or face in the system settings to protect your wallet.",
                e,
            )
        }
    }

    /**
     * Whether the key accepts the device credential, so the prompt may offer it: API 30+ keys made
     * by this class do; keys made on API 28–29 keep their biometric-only rule after an upgrade.
     */
    private fun allowsDeviceCredential(key: SecretKey): Boolean {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.R) return false
        val info = try {
            SecretKeyFactory.getInstance(key.algorithm, ANDROID_KEYSTORE).getKeySpec(key, KeyInfo::class.java) as KeyInfo
        } catch (e: GeneralSecurityException) {
            return true // every key this class makes on API 30+ allows it
        }
        return info.userAuthenticationType and KeyProperties.AUTH_DEVICE_CREDENTIAL != 0
    }

    private inline fun initCipher(init: () -> Unit) {
        try {
            init()
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw StorageKeyException.Invalidated(e)
        }
    }

    /** Maps platform failures to the [StorageKeyException] the screens show. */
    private inline fun <R> translate(operation: () -> R): R =
        try {
            operation()
        } catch (e: StorageKeyException) {
            throw e
        } catch (e: StorageKeyBlobException) {
            throw StorageKeyException.Damaged(e)
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw StorageKeyException.Invalidated(e)
        } catch (e: GeneralSecurityException) {
            // e.g. IllegalBlockSizeException caused by a KeyStoreException: the key was not authorised.
            throw StorageKeyException.KeystoreFailure(e)
        } catch (e: ProviderException) {
            throw StorageKeyException.KeystoreFailure(e)
        } catch (e: IOException) {
            throw StorageKeyException.StorageFailure(e)
        }

    private fun keyStore(): KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    /** Delivers at most one outcome, never after the caller cancelled. */
    private class OnceCallback(private val callback: StorageKeyCallback, private val signal: CancellationSignal) {
        private var done = false

        /** Returns false (the caller wipes the key) when the outcome is no longer wanted. */
        fun key(key: ByteArray): Boolean {
            if (done || signal.isCanceled) return false
            done = true
            callback.onKey(key)
            return true
        }

        fun error(error: StorageKeyException) {
            if (done) return
            done = true
            // A cancelled signal means the caller gave up; it still hears that the prompt ended.
            callback.onError(error)
        }
    }

    companion object {
        const val DEFAULT_ALIAS: String = "com.concordium.walletcore.storage-key-wrapping"
        const val DEFAULT_FILE_NAME: String = "storage-key.v1"
        const val DIRECTORY: String = "walletcore"
        private const val ANDROID_KEYSTORE = "AndroidKeyStore"

        /** One file and one alias per app: the Keystore work of all instances is serialised. */
        private val KEYSTORE_LOCK = Any()

        private val DEFAULT_EXECUTOR: Executor = Executors.newSingleThreadExecutor { r ->
            Thread(r, "walletcore-storage-key").apply { isDaemon = true }
        }

        private fun promptError(code: Int, text: String): StorageKeyException = when (code) {
            BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED,
            BiometricPrompt.BIOMETRIC_ERROR_CANCELED,
            BiometricPrompt.BIOMETRIC_ERROR_TIMEOUT,
            -> StorageKeyException.Cancelled()
            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT -> StorageKeyException.LockedOut(permanent = false)
            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT -> StorageKeyException.LockedOut(permanent = true)
            BiometricPrompt.BIOMETRIC_ERROR_NO_DEVICE_CREDENTIAL -> StorageKeyException.NoScreenLock(null)
            BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
            BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
            BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE,
            -> StorageKeyException.Unavailable(code, text)
            else -> StorageKeyException.AuthenticationError(code, text)
        }
    }
}
