package com.concordium.walletcore.android

import android.app.Activity
import android.os.CancellationSignal
import java.io.IOException

/**
 * Where the screens get the wallet's 32-byte storage key from ("biometrics or app passcode").
 *
 * [BiometricStorageKey] is the implementation this library ships: the device credential (PIN,
 * pattern, password) serves as the passcode, and the key is released by a Keystore key through a
 * crypto-bound BiometricPrompt. An app that keeps a passcode of its own implements this interface
 * instead (for example by unwrapping the storage key with a key derived from its passcode) and
 * installs it with [com.concordium.walletcore.android.ui.WalletShell.storageKeys]; the screens do
 * not change.
 */
interface StorageKeySource {
    /**
     * Asks the user to authenticate and hands the storage key to [callback] on the main thread.
     * The receiver owns the key and wipes it (`fill(0)`) when done. [allowCreate]: whether a
     * missing key may be created (only when a new wallet is made; an existing wallet whose key is
     * missing gets [StorageKeyException.Missing]). Cancelling the returned signal dismisses the
     * prompt; the callback is then not called.
     */
    fun obtain(
        activity: Activity,
        text: PromptText,
        allowCreate: Boolean,
        callback: StorageKeyCallback,
    ): CancellationSignal
}

/** Receives the outcome of [StorageKeySource.obtain], on the main thread, exactly once. */
interface StorageKeyCallback {
    /** The storage key; wipe it when done. */
    fun onKey(key: ByteArray)

    /** Why there is no key ([StorageKeyException.Cancelled] when the user dismissed the prompt). */
    fun onError(error: StorageKeyException)
}

/** Texts of the system prompt. [cancelButton] is shown only by the biometric-only prompt (API 28–29). */
data class PromptText(
    val title: String,
    val subtitle: String? = null,
    val description: String? = null,
    val cancelButton: String = "Cancel",
)

/** Why no storage key was released. [message] is a sentence for the user. */
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
