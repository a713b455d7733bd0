package com.concordium.walletcore.android

// Platform-free on purpose: only java.* and javax.crypto. This directory (src/main/kotlin-common)
// is compiled by the Android module and by the JVM tests (tests/kotlin/pom.xml), which run it with
// a software AES key; nothing under it may import android.* or androidx.*.

import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.io.InputStream
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.security.GeneralSecurityException
import java.security.MessageDigest
import java.security.SecureRandom
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec

/**
 * The stored form of the wallet's 32-byte storage key: sealed with AES-256-GCM under a key that
 * never leaves the platform's key store (on Android a Keystore key usable only through
 * BiometricPrompt).
 *
 * Layout, version 1 (61 bytes):
 *
 * ```
 * offset 0   1 byte    version = 0x01
 * offset 1   12 bytes  GCM IV (chosen by the cipher: Keystore keys require randomized encryption)
 * offset 13  48 bytes  AES-GCM ciphertext of the 32-byte storage key ‖ 16-byte tag
 * ```
 *
 * The associated data is the ASCII text [ASSOCIATED_DATA_TEXT], which names the purpose and the
 * version, so a blob sealed by the same Keystore key for anything else does not open here.
 *
 * The caller owns the [Cipher]: [wrap] takes one already initialised in `ENCRYPT_MODE` and
 * [unwrap] one initialised in `DECRYPT_MODE` with [WrappedStorageKey.decryptionParameters]. On
 * Android that is the cipher of the `BiometricPrompt.CryptoObject` after authentication; in the
 * JVM tests it is a cipher over a software key. Each cipher is used for exactly one operation.
 */
object StorageKeyWrapping {
    /** The only version written and read. */
    const val VERSION: Int = 1

    /** Length of the storage key the core takes (`Wallet.create`, `export`, `import`). */
    const val STORAGE_KEY_LENGTH: Int = 32

    /** GCM IV length: 96 bits, what the Android Keystore generates. */
    const val IV_LENGTH: Int = 12

    /** GCM tag length: 128 bits. */
    const val TAG_LENGTH: Int = 16

    /** Total length of a version-1 blob. */
    const val BLOB_LENGTH: Int = 1 + IV_LENGTH + STORAGE_KEY_LENGTH + TAG_LENGTH

    /** The transformation both ciphers must use (`Cipher.getInstance(TRANSFORMATION)`). */
    const val TRANSFORMATION: String = "AES/GCM/NoPadding"

    /** The AEAD associated data (ASCII). */
    const val ASSOCIATED_DATA_TEXT: String = "concordium-wallet-core storage key wrapping v1"

    private const val IV_OFFSET = 1
    private const val SEALED_OFFSET = IV_OFFSET + IV_LENGTH
    private const val SEALED_LENGTH = STORAGE_KEY_LENGTH + TAG_LENGTH

    private fun associatedData(): ByteArray = ASSOCIATED_DATA_TEXT.toByteArray(Charsets.US_ASCII)

    /** A new random storage key. The caller wipes it (`fill(0)`) when done. */
    fun newStorageKey(random: SecureRandom = SecureRandom()): ByteArray =
        ByteArray(STORAGE_KEY_LENGTH).also { random.nextBytes(it) }

    /**
     * Seals [storageKey] with [cipher] (AES/GCM/NoPadding, already initialised in `ENCRYPT_MODE`
     * with a 12-byte IV of its own choosing) and returns the blob to store. [storageKey] is not
     * modified: the caller still owns and wipes it.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or the cipher is not an AES-GCM
     *   cipher with a 12-byte IV and a 128-bit tag in `ENCRYPT_MODE` (a programming error).
     * @throws GeneralSecurityException from the cipher itself (on Android e.g. an
     *   `IllegalBlockSizeException` when the key was not authorised).
     */
    fun wrap(cipher: Cipher, storageKey: ByteArray): ByteArray {
        require(storageKey.size == STORAGE_KEY_LENGTH) {
            "a storage key is $STORAGE_KEY_LENGTH bytes, not ${storageKey.size}"
        }
        requireGcm(cipher)
        val iv = cipher.iv
        require(iv != null && iv.size == IV_LENGTH) {
            "the cipher must be initialised in ENCRYPT_MODE with a $IV_LENGTH-byte IV (it has " +
                "${iv?.size ?: "no"} IV bytes)"
        }
        cipher.updateAAD(associatedData())
        val sealed = try {
            cipher.doFinal(storageKey)
        } catch (e: AEADBadTagException) {
            // Only a cipher in DECRYPT_MODE checks a tag.
            throw IllegalArgumentException("wrap needs a cipher in ENCRYPT_MODE", e)
        }
        try {
            require(sealed.size == SEALED_LENGTH) {
                "the cipher is not AES-GCM with a $TAG_LENGTH-byte tag in ENCRYPT_MODE " +
                    "(it produced ${sealed.size} bytes, not $SEALED_LENGTH)"
            }
            val blob = ByteArray(BLOB_LENGTH)
            blob[0] = VERSION.toByte()
            iv.copyInto(blob, IV_OFFSET)
            sealed.copyInto(blob, SEALED_OFFSET)
            return blob
        } finally {
            sealed.fill(0)
        }
    }

    /**
     * Checks a stored blob's version and length and returns it parsed (a copy: [blob] may be
     * reused). Nothing is decrypted yet.
     *
     * @throws StorageKeyBlobException.WrongLength if the blob is empty, or a version-1 blob is
     *   not [BLOB_LENGTH] bytes.
     * @throws StorageKeyBlobException.UnsupportedVersion if the first byte is not [VERSION].
     */
    fun parse(blob: ByteArray): WrappedStorageKey {
        if (blob.isEmpty()) throw StorageKeyBlobException.WrongLength(0L)
        val version = blob[0].toInt() and 0xff
        // The version comes first: a later version may have another length.
        if (version != VERSION) throw StorageKeyBlobException.UnsupportedVersion(version)
        if (blob.size != BLOB_LENGTH) throw StorageKeyBlobException.WrongLength(blob.size.toLong())
        return WrappedStorageKey(blob.copyOf())
    }

    /**
     * Opens [wrapped] with [cipher] (AES/GCM/NoPadding, initialised in `DECRYPT_MODE` with
     * `wrapped.decryptionParameters()`) and returns the 32-byte storage key, which the caller
     * passes to the core and then wipes (`fill(0)`).
     *
     * @throws StorageKeyBlobException.NotAuthentic if the tag does not verify: the blob was
     *   changed, or the cipher's key is not the one that sealed it.
     * @throws IllegalArgumentException if the cipher is not AES-GCM, not in `DECRYPT_MODE`, or not
     *   initialised with this blob's IV (a programming error).
     * @throws GeneralSecurityException from the cipher itself (on Android e.g. an
     *   `IllegalBlockSizeException` when the key was not authorised).
     */
    fun unwrap(cipher: Cipher, wrapped: WrappedStorageKey): ByteArray {
        requireGcm(cipher)
        val iv = cipher.iv
        require(iv != null && MessageDigest.isEqual(iv, wrapped.iv())) {
            "the cipher must be initialised in DECRYPT_MODE with wrapped.decryptionParameters()"
        }
        cipher.updateAAD(associatedData())
        val key = try {
            wrapped.withSealed { bytes, offset, length -> cipher.doFinal(bytes, offset, length) }
        } catch (e: AEADBadTagException) {
            throw StorageKeyBlobException.NotAuthentic(e)
        }
        if (key.size != STORAGE_KEY_LENGTH) {
            key.fill(0)
            throw IllegalArgumentException(
                "unwrap needs an AES-GCM cipher in DECRYPT_MODE (it produced ${key.size} bytes)",
            )
        }
        return key
    }

    /** [parse] then [unwrap]. */
    fun unwrap(cipher: Cipher, blob: ByteArray): ByteArray = unwrap(cipher, parse(blob))

    private fun requireGcm(cipher: Cipher) {
        require(cipher.algorithm.equals(TRANSFORMATION, ignoreCase = true)) {
            "the cipher must be $TRANSFORMATION, not ${cipher.algorithm}"
        }
        // Best effort: a provider that does not report its parameters is checked by the output
        // length instead (a shorter tag in DECRYPT_MODE would otherwise look like a damaged blob).
        val tagBits = try {
            cipher.parameters?.getParameterSpec(GCMParameterSpec::class.java)?.tLen
        } catch (_: GeneralSecurityException) {
            null
        } catch (_: RuntimeException) {
            null // the Android Keystore throws ProviderException if it has no "GCM" parameters
        }
        require(tagBits == null || tagBits == TAG_LENGTH * 8) {
            "the cipher must use a ${TAG_LENGTH * 8}-bit GCM tag, not $tagBits"
        }
    }
}

/**
 * A parsed, not yet opened, version-1 blob (see [StorageKeyWrapping]). Holds nothing secret: the
 * storage key in it is encrypted.
 */
class WrappedStorageKey internal constructor(private val blob: ByteArray) {
    /** Always [StorageKeyWrapping.VERSION]: [StorageKeyWrapping.parse] refuses any other. */
    val version: Int get() = blob[0].toInt() and 0xff

    /** A copy of the GCM IV. */
    fun iv(): ByteArray = blob.copyOfRange(1, 1 + StorageKeyWrapping.IV_LENGTH)

    /** What the decrypting cipher is initialised with: `cipher.init(DECRYPT_MODE, key, this)`. */
    fun decryptionParameters(): GCMParameterSpec =
        GCMParameterSpec(StorageKeyWrapping.TAG_LENGTH * 8, blob, 1, StorageKeyWrapping.IV_LENGTH)

    /** A copy of the whole blob, as stored. */
    fun toByteArray(): ByteArray = blob.copyOf()

    internal inline fun <R> withSealed(block: (ByteArray, Int, Int) -> R): R {
        val offset = 1 + StorageKeyWrapping.IV_LENGTH
        return block(blob, offset, blob.size - offset)
    }
}

/**
 * The stored storage key is unusable. All three mean that the storage key is lost: the wallet's
 * sealed secrets can only come back from a backup file or the recovery phrase.
 */
sealed class StorageKeyBlobException(message: String, cause: Throwable? = null) :
    GeneralSecurityException(message, cause) {

    /** The blob is empty, or not [StorageKeyWrapping.BLOB_LENGTH] bytes for its version. */
    class WrongLength(val length: Long) : StorageKeyBlobException(
        "The stored storage key is damaged: ${StorageKeyWrapping.BLOB_LENGTH} bytes expected, " +
            "$length found.",
    )

    /** The first byte names a version this code does not know (damaged, or written by a newer app). */
    class UnsupportedVersion(val version: Int) : StorageKeyBlobException(
        "The stored storage key has version $version; this app reads only version " +
            "${StorageKeyWrapping.VERSION}.",
    )

    /** The AES-GCM tag does not verify: the blob was changed, or the platform key is another one. */
    class NotAuthentic(cause: Throwable?) : StorageKeyBlobException(
        "The stored storage key is damaged or was sealed with another platform key.",
        cause,
    )
}

/**
 * Runs [block] with this array and then fills it with zeros, also when [block] throws. For the
 * storage key the platform releases: `key.useAndWipe { wallet.export(it, …) }`.
 */
inline fun <R> ByteArray.useAndWipe(block: (ByteArray) -> R): R =
    try {
        block(this)
    } finally {
        fill(0)
    }

/** More than the allowed number of bytes were found (a file larger than the caller's cap). */
class SizeLimitExceededException(val limit: Long, val size: Long = -1L) : IOException(
    if (size >= 0) "$size bytes is more than the limit of $limit bytes" else "more than $limit bytes",
)

/**
 * Reads [input] to its end, but never more than [limit] bytes: a stream with more throws
 * [SizeLimitExceededException] after reading at most `limit + 1` bytes, so a huge or endless
 * stream cannot exhaust memory. [expectedSize] (a size the caller was told, e.g. by a content
 * provider; -1 if unknown) only sizes the buffer and is never trusted.
 */
fun readAtMost(input: InputStream, limit: Int, expectedSize: Long = -1L): ByteArray {
    require(limit >= 0) { "limit must not be negative" }
    if (expectedSize > limit) throw SizeLimitExceededException(limit.toLong(), expectedSize)
    var buffer = ByteArray(if (expectedSize >= 0) expectedSize.toInt() else minOf(limit, 64 * 1024))
    var total = 0
    while (true) {
        if (total == buffer.size) {
            // Full: one more byte tells the end of the stream from a stream that goes on.
            val next = input.read()
            if (next < 0) return buffer
            if (total >= limit) throw SizeLimitExceededException(limit.toLong())
            buffer = buffer.copyOf(minOf(limit.toLong(), maxOf(total * 2L, 1024L)).toInt())
            buffer[total++] = next.toByte()
            continue
        }
        val n = input.read(buffer, total, buffer.size - total)
        if (n < 0) return buffer.copyOf(total)
        total += n
    }
}

/**
 * The file that holds the wrapped storage key (on Android under `context.noBackupFilesDir`, so it
 * never leaves the device in a backup, like the Keystore key that opens it).
 */
class StorageKeyFile(val file: File) {
    private val temp: File get() = File(file.parentFile, file.name + ".tmp")

    fun exists(): Boolean = file.isFile

    /**
     * The stored blob, parsed; `null` when there is none (first use).
     *
     * @throws StorageKeyBlobException if it is damaged (reading stops after a few KiB).
     * @throws IOException if it cannot be read.
     */
    fun read(): WrappedStorageKey? {
        if (!file.exists()) return null
        val bytes = try {
            file.inputStream().use { readAtMost(it, MAX_FILE_BYTES, it.channel.size()) }
        } catch (e: SizeLimitExceededException) {
            throw StorageKeyBlobException.WrongLength(maxOf(e.size, file.length()))
        }
        return StorageKeyWrapping.parse(bytes)
    }

    /**
     * Replaces the stored blob atomically: written to a temporary file next to it, flushed to
     * disk, renamed over the old one, and the directory flushed, so a crash leaves the old blob
     * or the new one and never a torn file. [blob] is validated with [StorageKeyWrapping.parse]
     * first.
     */
    fun write(blob: ByteArray) {
        StorageKeyWrapping.parse(blob)
        val dir = file.absoluteFile.parentFile
        if (!dir.isDirectory && !dir.mkdirs()) throw IOException("cannot create $dir")
        val tmp = temp
        try {
            FileOutputStream(tmp).use { out ->
                out.write(blob)
                out.fd.sync()
            }
            try {
                Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE)
            } catch (e: AtomicMoveNotSupportedException) {
                Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING)
            }
        } finally {
            tmp.delete()
        }
        syncDirectory(dir)
    }

    /** Deletes the blob (and a temporary file left by a crash). Returns whether a blob was there. */
    fun delete(): Boolean {
        temp.delete()
        val existed = file.exists()
        if (existed && !file.delete()) throw IOException("cannot delete $file")
        file.absoluteFile.parentFile?.let(::syncDirectory)
        return existed
    }

    private fun syncDirectory(dir: File) {
        // Makes the rename durable on Linux; some platforms cannot open a directory: best effort.
        try {
            FileChannel.open(dir.toPath(), StandardOpenOption.READ).use { it.force(true) }
        } catch (_: IOException) {
        } catch (_: UnsupportedOperationException) {
        } catch (_: SecurityException) {
        }
    }

    companion object {
        /** Far more than any version needs; a larger file is damaged, not read. */
        const val MAX_FILE_BYTES: Int = 4096
    }
}
