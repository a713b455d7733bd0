package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.Network
import com.concordium.walletcore.android.SizeLimitExceededException
import com.concordium.walletcore.android.StorageKeyBlobException
import com.concordium.walletcore.android.StorageKeyFile
import com.concordium.walletcore.android.StorageKeyWrapping
import com.concordium.walletcore.android.StorageKeyWrapping.BLOB_LENGTH
import com.concordium.walletcore.android.StorageKeyWrapping.TRANSFORMATION
import com.concordium.walletcore.android.WrappedStorageKey
import com.concordium.walletcore.android.readAtMost
import com.concordium.walletcore.android.useAndWipe
import com.concordium.walletcore.Wallet
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.ByteArrayInputStream
import java.io.File
import java.io.InputStream
import java.security.AlgorithmParameters
import java.security.Key
import java.security.ProviderException
import java.security.SecureRandom
import java.security.spec.AlgorithmParameterSpec
import javax.crypto.Cipher
import javax.crypto.CipherSpi
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.IvParameterSpec

/**
 * The platform-free half of the Android storage key (android/src/main/kotlin-common), with a
 * software AES-256 key standing in for the Keystore key: the ciphers are initialised exactly as
 * BiometricStorageKey initialises the CryptoObject's cipher (encrypt: no IV given, the provider
 * picks one; decrypt: the blob's decryptionParameters()).
 */
class StorageKeyWrappingTest {
    @TempDir
    lateinit var dir: File

    private fun aesKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    private fun encryptCipher(key: SecretKey): Cipher =
        Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.ENCRYPT_MODE, key) }

    private fun decryptCipher(key: SecretKey, wrapped: WrappedStorageKey): Cipher =
        Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.DECRYPT_MODE, key, wrapped.decryptionParameters())
        }

    private fun unwrapBlob(key: SecretKey, blob: ByteArray): ByteArray {
        val wrapped = StorageKeyWrapping.parse(blob)
        return StorageKeyWrapping.unwrap(decryptCipher(key, wrapped), wrapped)
    }

    /** Seals [storageKey] the way [StorageKeyWrapping.wrap] does, but with other associated data. */
    private fun blobWithAad(key: SecretKey, storageKey: ByteArray, aad: ByteArray?): ByteArray {
        val cipher = encryptCipher(key)
        if (aad != null) cipher.updateAAD(aad)
        return byteArrayOf(1) + cipher.iv + cipher.doFinal(storageKey)
    }

    @Test
    fun `round trip with a software AES-GCM key`() {
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        val cipher = encryptCipher(key)
        val blob = StorageKeyWrapping.wrap(cipher, storageKey)

        assertEquals(61, BLOB_LENGTH)
        assertEquals(BLOB_LENGTH, blob.size)
        assertEquals(1, blob[0].toInt(), "version byte")
        assertArrayEquals(cipher.iv, blob.copyOfRange(1, 13), "the IV the cipher chose is stored")
        assertFalse(
            blob.toList().windowed(8).contains(storageKey.copyOfRange(0, 8).toList()),
            "the storage key is not in the blob in clear",
        )

        val wrapped = StorageKeyWrapping.parse(blob)
        assertEquals(1, wrapped.version)
        assertArrayEquals(blob, wrapped.toByteArray())
        assertArrayEquals(storageKey, StorageKeyWrapping.unwrap(decryptCipher(key, wrapped), wrapped))
        assertArrayEquals(storageKey, unwrapBlob(key, blob))
    }

    @Test
    fun `the unwrapped key opens a wallet store created with the original`() {
        requireLibrary()
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        val blob = StorageKeyWrapping.wrap(encryptCipher(key), storageKey)
        val path = File(dir, "wallet.sqlite").path
        storageKey.useAndWipe { Wallet.create(path, Network.TESTNET, it).close() }

        Wallet.open(path).use { wallet ->
            unwrapBlob(key, blob).useAndWipe { wallet.checkStorageKey(it) }
        }
    }

    @Test
    fun `every wrap uses a fresh IV`() {
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        val a = StorageKeyWrapping.wrap(encryptCipher(key), storageKey)
        val b = StorageKeyWrapping.wrap(encryptCipher(key), storageKey)
        assertFalse(a.copyOfRange(1, 13).contentEquals(b.copyOfRange(1, 13)))
        assertFalse(a.contentEquals(b))
        assertArrayEquals(unwrapBlob(key, a), unwrapBlob(key, b))
    }

    @Test
    fun `another platform key fails as NotAuthentic`() {
        val blob = StorageKeyWrapping.wrap(encryptCipher(aesKey()), StorageKeyWrapping.newStorageKey())
        assertThrows<StorageKeyBlobException.NotAuthentic> { unwrapBlob(aesKey(), blob) }
    }

    @Test
    fun `every flipped bit or byte fails with a typed exception`() {
        val key = aesKey()
        val blob = StorageKeyWrapping.wrap(encryptCipher(key), StorageKeyWrapping.newStorageKey())
        for (i in blob.indices) {
            for (mask in intArrayOf(0x01, 0x80, 0xff)) {
                val damaged = blob.copyOf()
                damaged[i] = (damaged[i].toInt() xor mask).toByte()
                val e = assertThrows<StorageKeyBlobException>("byte $i, mask $mask") {
                    unwrapBlob(key, damaged)
                }
                if (i == 0) {
                    assertTrue(e is StorageKeyBlobException.UnsupportedVersion, "byte 0: $e")
                    assertEquals(1 xor mask, (e as StorageKeyBlobException.UnsupportedVersion).version)
                } else {
                    assertTrue(e is StorageKeyBlobException.NotAuthentic, "byte $i: $e")
                }
            }
        }
    }

    @Test
    fun `wrong version and wrong length are told apart`() {
        val blob = StorageKeyWrapping.wrap(encryptCipher(aesKey()), StorageKeyWrapping.newStorageKey())
        for (version in intArrayOf(0, 2, 0x7f, 0xff)) {
            val other = blob.copyOf().also { it[0] = version.toByte() }
            val e = assertThrows<StorageKeyBlobException.UnsupportedVersion> { StorageKeyWrapping.parse(other) }
            assertEquals(version, e.version)
            assertTrue(e.message!!.contains("version $version"), e.message)
            // A later version may have another length: the version is reported, not the length.
            val longer = other + ByteArray(20)
            assertEquals(
                version,
                assertThrows<StorageKeyBlobException.UnsupportedVersion> { StorageKeyWrapping.parse(longer) }.version,
            )
        }
        assertEquals(0L, assertThrows<StorageKeyBlobException.WrongLength> { StorageKeyWrapping.parse(ByteArray(0)) }.length)
        for (size in intArrayOf(1, 13, 45, 60, 62, 100, 4096)) {
            val resized = blob.copyOf(size) // truncated, or padded with zeros
            val e = assertThrows<StorageKeyBlobException.WrongLength>("size $size") { StorageKeyWrapping.parse(resized) }
            assertEquals(size.toLong(), e.length)
            assertTrue(e.message!!.contains("61 bytes expected, $size found"), e.message)
        }
    }

    @Test
    fun `a blob sealed without the purpose as associated data does not open`() {
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        for (aad in listOf(null, ByteArray(0), "something else".toByteArray(), "concordium-wallet-core storage key wrapping v2".toByteArray())) {
            val blob = blobWithAad(key, storageKey, aad)
            assertEquals(BLOB_LENGTH, blob.size)
            assertThrows<StorageKeyBlobException.NotAuthentic> { unwrapBlob(key, blob) }
        }
        val right = blobWithAad(key, storageKey, StorageKeyWrapping.ASSOCIATED_DATA_TEXT.toByteArray(Charsets.US_ASCII))
        assertArrayEquals(storageKey, unwrapBlob(key, right), "the same construction with the right AAD opens")
    }

    @Test
    fun `misused ciphers and keys are programming errors, not a damaged blob`() {
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        for (size in intArrayOf(0, 16, 31, 33, 64)) {
            assertThrows<IllegalArgumentException>("key of $size bytes") {
                StorageKeyWrapping.wrap(encryptCipher(key), ByteArray(size))
            }
        }
        // Another transformation.
        val cbc = Cipher.getInstance("AES/CBC/PKCS5Padding").apply { init(Cipher.ENCRYPT_MODE, key) }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.wrap(cbc, storageKey) }
        // A 16-byte IV.
        val longIv = Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, ByteArray(16).also { SecureRandom().nextBytes(it) }))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.wrap(longIv, storageKey) }
        // A 96-bit tag.
        val shortTag = Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(96, ByteArray(12).also { SecureRandom().nextBytes(it) }))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.wrap(shortTag, storageKey) }
        // DECRYPT_MODE for wrap.
        val blob = StorageKeyWrapping.wrap(encryptCipher(key), storageKey)
        val wrapped = StorageKeyWrapping.parse(blob)
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.wrap(decryptCipher(key, wrapped), storageKey) }
        // ENCRYPT_MODE for unwrap (its own random IV).
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(encryptCipher(key), wrapped) }
        // ENCRYPT_MODE with the blob's IV: the output length gives it away.
        val sameIv = Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.ENCRYPT_MODE, key, wrapped.decryptionParameters())
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(sameIv, wrapped) }
        // DECRYPT_MODE with another IV.
        val otherIv = Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, ByteArray(12)))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(otherIv, wrapped) }
        // DECRYPT_MODE with a shorter tag.
        val shortTagDecrypt = Cipher.getInstance(TRANSFORMATION).apply {
            init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(96, wrapped.iv()))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(shortTagDecrypt, wrapped) }
        // CBC decrypt with an IV parameter.
        val cbcDecrypt = Cipher.getInstance("AES/CBC/NoPadding").apply {
            init(Cipher.DECRYPT_MODE, key, IvParameterSpec(ByteArray(16)))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(cbcDecrypt, wrapped) }
        // After all that, the blob still opens.
        assertArrayEquals(storageKey, unwrapBlob(key, blob))
    }

    /**
     * A cipher that behaves like the Android Keystore's where it differs from SunJCE: it cannot
     * report its parameters (the Keystore throws ProviderException when no "GCM"
     * AlgorithmParameters exist). The checks must then rely on the IV and the output length.
     */
    private class NoParametersCipher(inner: Cipher = Cipher.getInstance(TRANSFORMATION)) :
        Cipher(NoParametersSpi(inner), inner.provider, TRANSFORMATION)

    private class NoParametersSpi(private val inner: Cipher) : CipherSpi() {
        override fun engineSetMode(mode: String?) = Unit
        override fun engineSetPadding(padding: String?) = Unit
        override fun engineGetBlockSize(): Int = inner.blockSize
        override fun engineGetOutputSize(inputLen: Int): Int = inner.getOutputSize(inputLen)
        override fun engineGetIV(): ByteArray? = inner.iv
        override fun engineGetParameters(): AlgorithmParameters = throw ProviderException("no GCM parameters")
        override fun engineInit(opmode: Int, key: Key?, random: SecureRandom?) = inner.init(opmode, key, random)
        override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameterSpec?, random: SecureRandom?) =
            inner.init(opmode, key, params, random)
        override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameters?, random: SecureRandom?) =
            inner.init(opmode, key, params, random)
        override fun engineUpdate(input: ByteArray?, inputOffset: Int, inputLen: Int): ByteArray? =
            inner.update(input, inputOffset, inputLen)
        override fun engineUpdate(input: ByteArray?, inputOffset: Int, inputLen: Int, output: ByteArray?, outputOffset: Int): Int =
            inner.update(input, inputOffset, inputLen, output, outputOffset)
        override fun engineUpdateAAD(src: ByteArray?, offset: Int, len: Int) = inner.updateAAD(src, offset, len)
        override fun engineDoFinal(input: ByteArray?, inputOffset: Int, inputLen: Int): ByteArray =
            inner.doFinal(input, inputOffset, inputLen)
        override fun engineDoFinal(input: ByteArray?, inputOffset: Int, inputLen: Int, output: ByteArray?, outputOffset: Int): Int =
            inner.doFinal(input, inputOffset, inputLen, output, outputOffset)
    }

    @Test
    fun `a provider that reports no parameters works and is still checked`() {
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        val encrypt = NoParametersCipher().apply { init(Cipher.ENCRYPT_MODE, key) }
        assertThrows<ProviderException> { encrypt.parameters }
        val blob = StorageKeyWrapping.wrap(encrypt, storageKey)
        val wrapped = StorageKeyWrapping.parse(blob)
        val decrypt = NoParametersCipher().apply { init(Cipher.DECRYPT_MODE, key, wrapped.decryptionParameters()) }
        assertArrayEquals(storageKey, StorageKeyWrapping.unwrap(decrypt, wrapped))

        // Misuse is still caught, by the IV and the output length.
        val shortTag = NoParametersCipher().apply {
            init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(96, ByteArray(12).also { SecureRandom().nextBytes(it) }))
        }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.wrap(shortTag, storageKey) }
        val sameIvEncrypt = NoParametersCipher().apply { init(Cipher.ENCRYPT_MODE, key, wrapped.decryptionParameters()) }
        assertThrows<IllegalArgumentException> { StorageKeyWrapping.unwrap(sameIvEncrypt, wrapped) }
        val otherKey = NoParametersCipher().apply { init(Cipher.DECRYPT_MODE, aesKey(), wrapped.decryptionParameters()) }
        assertThrows<StorageKeyBlobException.NotAuthentic> { StorageKeyWrapping.unwrap(otherKey, wrapped) }
    }

    @Test
    fun `arrays are wiped or copied as documented`() {
        // useAndWipe wipes after the block, also when it throws.
        val a = StorageKeyWrapping.newStorageKey()
        val seen = a.useAndWipe { it.copyOf() }
        assertFalse(seen.all { it == 0.toByte() })
        assertTrue(a.all { it == 0.toByte() }, "wiped after the block")
        val b = StorageKeyWrapping.newStorageKey()
        assertThrows<IllegalStateException> { b.useAndWipe { error("the core threw") } }
        assertTrue(b.all { it == 0.toByte() }, "wiped after a throwing block")

        // wrap leaves the caller's key as it was: the caller still passes it on, then wipes it.
        val key = aesKey()
        val storageKey = StorageKeyWrapping.newStorageKey()
        val before = storageKey.copyOf()
        val blob = StorageKeyWrapping.wrap(encryptCipher(key), storageKey)
        assertArrayEquals(before, storageKey)

        // parse copies: changing or wiping the caller's blob afterwards changes nothing.
        val wrapped = StorageKeyWrapping.parse(blob)
        val iv = wrapped.decryptionParameters().iv
        blob.fill(0)
        wrapped.iv().fill(0)
        wrapped.toByteArray().fill(0)
        assertArrayEquals(iv, wrapped.iv())

        // Each unwrap returns a fresh array the caller may wipe.
        val first = StorageKeyWrapping.unwrap(decryptCipher(key, wrapped), wrapped)
        assertArrayEquals(before, first)
        first.fill(0)
        val second = StorageKeyWrapping.unwrap(decryptCipher(key, wrapped), wrapped)
        assertArrayEquals(before, second)
        second.fill(0)
        storageKey.fill(0)
    }

    @Test
    fun `new storage keys are 32 random bytes`() {
        val keys = List(16) { StorageKeyWrapping.newStorageKey() }
        assertTrue(keys.all { it.size == 32 })
        assertEquals(16, keys.map { it.toList() }.toSet().size)
    }

    @Test
    fun `the key file stores, replaces and refuses damaged blobs`() {
        val key = aesKey()
        val file = StorageKeyFile(File(dir, "walletcore/storage-key.bin"))
        assertFalse(file.exists())
        assertNull(file.read(), "no blob yet: first use")

        val storageKey = StorageKeyWrapping.newStorageKey()
        file.write(StorageKeyWrapping.wrap(encryptCipher(key), storageKey))
        assertTrue(file.exists())
        val stored = file.read()!!
        assertArrayEquals(storageKey, StorageKeyWrapping.unwrap(decryptCipher(key, stored), stored))

        // Replaced atomically; no temporary file stays behind.
        val next = StorageKeyWrapping.newStorageKey()
        file.write(StorageKeyWrapping.wrap(encryptCipher(key), next))
        val replaced = file.read()!!
        assertArrayEquals(next, StorageKeyWrapping.unwrap(decryptCipher(key, replaced), replaced))
        assertEquals(listOf("storage-key.bin"), file.file.parentFile.list()!!.toList())

        // A damaged blob is refused before anything is written.
        assertThrows<StorageKeyBlobException.WrongLength> { file.write(byteArrayOf(1) + ByteArray(59)) }
        assertThrows<StorageKeyBlobException.UnsupportedVersion> { file.write(ByteArray(61)) }
        assertArrayEquals(replaced.toByteArray(), file.read()!!.toByteArray())

        // Damaged files on disk.
        val good = file.file.readBytes()
        file.file.writeBytes(good.copyOf(60))
        assertEquals(60L, assertThrows<StorageKeyBlobException.WrongLength> { file.read() }.length)
        file.file.writeBytes(ByteArray(0))
        assertEquals(0L, assertThrows<StorageKeyBlobException.WrongLength> { file.read() }.length)
        file.file.writeBytes(byteArrayOf(9) + good.copyOfRange(1, good.size))
        assertEquals(9, assertThrows<StorageKeyBlobException.UnsupportedVersion> { file.read() }.version)
        file.file.writeBytes(good + ByteArray(1 shl 20))
        assertEquals(
            (good.size + (1 shl 20)).toLong(),
            assertThrows<StorageKeyBlobException.WrongLength> { file.read() }.length,
            "a huge file is refused by its size",
        )
        file.file.writeBytes(good.copyOf().also { it[30] = (it[30].toInt() xor 1).toByte() })
        val flipped = file.read()!!
        assertThrows<StorageKeyBlobException.NotAuthentic> {
            StorageKeyWrapping.unwrap(decryptCipher(key, flipped), flipped)
        }

        // A temporary file left by a crash is ignored by read and removed by delete.
        File(file.file.parentFile, "storage-key.bin.tmp").writeBytes(ByteArray(3))
        file.file.writeBytes(good)
        assertArrayEquals(good, file.read()!!.toByteArray())
        assertTrue(file.delete())
        assertFalse(file.delete())
        assertNull(file.read())
        assertEquals(emptyList<String>(), file.file.parentFile.list()!!.toList())
    }

    @Test
    fun `readAtMost stops at the limit`() {
        val data = ByteArray(100_000).also { SecureRandom().nextBytes(it) }
        assertArrayEquals(data, readAtMost(ByteArrayInputStream(data), 100_000))
        assertArrayEquals(data, readAtMost(ByteArrayInputStream(data), 100_000, 100_000L))
        assertArrayEquals(data, readAtMost(ByteArrayInputStream(data), 1 shl 26))
        assertArrayEquals(ByteArray(0), readAtMost(ByteArrayInputStream(ByteArray(0)), 0))
        assertArrayEquals(ByteArray(0), readAtMost(ByteArrayInputStream(ByteArray(0)), 10))
        assertEquals(99_999L, assertThrows<SizeLimitExceededException> { readAtMost(ByteArrayInputStream(data), 99_999) }.limit)
        assertThrows<SizeLimitExceededException> { readAtMost(ByteArrayInputStream(byteArrayOf(1)), 0) }

        // A declared size is never trusted: too small, too large (but under the limit), unknown.
        assertArrayEquals(data, readAtMost(ByteArrayInputStream(data), 200_000, 10L))
        assertArrayEquals(data, readAtMost(ByteArrayInputStream(data), 200_000, 150_000L))
        assertThrows<SizeLimitExceededException> { readAtMost(ByteArrayInputStream(data), 50_000, 10L) }

        // A declared size over the limit is refused before anything is read.
        val untouchable = object : InputStream() {
            override fun read(): Int = throw AssertionError("read although the declared size is over the limit")
        }
        val e = assertThrows<SizeLimitExceededException> { readAtMost(untouchable, 64 shl 20, (64L shl 20) + 1) }
        assertEquals((64L shl 20) + 1, e.size)

        // An endless stream that trickles one byte per call: stops after limit + 1 bytes.
        var served = 0L
        val endless = object : InputStream() {
            override fun read(): Int { served++; return 7 }
            override fun read(b: ByteArray, off: Int, len: Int): Int {
                if (len == 0) return 0
                b[off] = 7; served++; return 1
            }
        }
        assertThrows<SizeLimitExceededException> { readAtMost(endless, 5_000) }
        assertEquals(5_001L, served)
    }
}
