package com.concordium.walletcore.android.test

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.StrongBoxUnavailableException
import java.io.InputStream
import java.io.OutputStream
import java.security.AlgorithmParameters
import java.security.InvalidAlgorithmParameterException
import java.security.InvalidKeyException
import java.security.Key
import java.security.KeyStoreSpi
import java.security.Provider
import java.security.SecureRandom
import java.security.Security
import java.security.cert.Certificate
import java.security.spec.AlgorithmParameterSpec
import java.util.Collections
import java.util.Date
import java.util.Enumeration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import javax.crypto.Cipher
import javax.crypto.CipherSpi
import javax.crypto.KeyGeneratorSpi
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec

/**
 * A test-only stand-in for the Android Keystore, which Robolectric does not have: a JCA provider
 * named "AndroidKeyStore" with a `KeyStore`, an AES `KeyGenerator` taking `KeyGenParameterSpec`,
 * and an AES/GCM cipher for its keys. Like the Keystore, its keys have no exportable bytes, the
 * cipher chooses the encryption IV itself, an invalidated key fails `Cipher.init` with
 * `KeyPermanentlyInvalidatedException`, and asking for StrongBox on a device without it fails
 * with `StrongBoxUnavailableException`.
 *
 * What it cannot show: that the Keystore refuses the cipher until the user authenticates (only a
 * device checks that). It records each `KeyGenParameterSpec` so tests check what is asked for.
 */
class FakeAndroidKeyStore : Provider(NAME, "1.0", "test-only Android Keystore stand-in") {
    init {
        put("KeyStore.$NAME", FakeKeyStoreSpi::class.java.name)
        put("KeyGenerator.AES", FakeKeyGeneratorSpi::class.java.name)
        put("Cipher.AES/GCM/NoPadding", FakeCipherSpi::class.java.name)
        put("Cipher.AES/GCM/NoPadding SupportedKeyClasses", FakeKey::class.java.name)
    }

    companion object {
        const val NAME = "AndroidKeyStore"
        internal val keys = ConcurrentHashMap<String, FakeKey>()

        /** Every spec a key was generated with, oldest first. */
        val specs: MutableList<KeyGenParameterSpec> = CopyOnWriteArrayList()

        /** Installs a fresh, empty key store (first in the provider list, as on Android). */
        fun install() {
            Security.removeProvider(NAME)
            keys.clear()
            specs.clear()
            Security.insertProviderAt(FakeAndroidKeyStore(), 1)
        }

        fun uninstall() {
            Security.removeProvider(NAME)
        }

        /** What a new biometric enrolment (API 28–29 keys) or removing the screen lock does. */
        fun invalidateAll() {
            keys.values.forEach { it.invalidated = true }
        }

        /** Replaces the key under [alias] by a new one (another key than the one that sealed a blob). */
        fun replace(alias: String) {
            val old = keys.getValue(alias)
            keys[alias] = FakeKey(alias, randomKey(), old.spec)
        }

        internal fun randomKey(): ByteArray = ByteArray(32).also { SecureRandom().nextBytes(it) }
    }
}

/** A Keystore key: usable only through [FakeCipherSpi]; its bytes are not exported. */
class FakeKey internal constructor(
    val alias: String,
    internal val material: ByteArray,
    val spec: KeyGenParameterSpec,
) : SecretKey {
    @Volatile
    internal var invalidated = false

    override fun getAlgorithm(): String = "AES"
    override fun getFormat(): String? = null
    override fun getEncoded(): ByteArray? = null
}

class FakeKeyStoreSpi : KeyStoreSpi() {
    private val keys get() = FakeAndroidKeyStore.keys

    override fun engineLoad(stream: InputStream?, password: CharArray?) = Unit
    override fun engineGetKey(alias: String, password: CharArray?): Key? = keys[alias]
    override fun engineDeleteEntry(alias: String) {
        keys.remove(alias)
    }
    override fun engineContainsAlias(alias: String): Boolean = keys.containsKey(alias)
    override fun engineAliases(): Enumeration<String> = Collections.enumeration(keys.keys.toList())
    override fun engineSize(): Int = keys.size
    override fun engineIsKeyEntry(alias: String): Boolean = keys.containsKey(alias)
    override fun engineIsCertificateEntry(alias: String): Boolean = false
    override fun engineGetCertificateChain(alias: String): Array<Certificate>? = null
    override fun engineGetCertificate(alias: String): Certificate? = null
    override fun engineGetCreationDate(alias: String): Date? = null
    override fun engineGetCertificateAlias(cert: Certificate): String? = null
    override fun engineSetKeyEntry(alias: String, key: Key, password: CharArray?, chain: Array<out Certificate>?) =
        throw UnsupportedOperationException("keys are generated inside the key store")
    override fun engineSetKeyEntry(alias: String, key: ByteArray, chain: Array<out Certificate>?) =
        throw UnsupportedOperationException("keys are generated inside the key store")
    override fun engineSetCertificateEntry(alias: String, cert: Certificate) = throw UnsupportedOperationException()
    override fun engineStore(stream: OutputStream?, password: CharArray?) = throw UnsupportedOperationException()
}

class FakeKeyGeneratorSpi : KeyGeneratorSpi() {
    private var spec: KeyGenParameterSpec? = null

    override fun engineInit(random: SecureRandom?) = throw UnsupportedOperationException("a KeyGenParameterSpec is required")
    override fun engineInit(keysize: Int, random: SecureRandom?) = throw UnsupportedOperationException("a KeyGenParameterSpec is required")
    override fun engineInit(params: AlgorithmParameterSpec?, random: SecureRandom?) {
        spec = params as? KeyGenParameterSpec ?: throw InvalidAlgorithmParameterException("KeyGenParameterSpec expected")
    }

    override fun engineGenerateKey(): SecretKey {
        val spec = spec ?: throw IllegalStateException("not initialised")
        // These test devices have no StrongBox.
        if (spec.isStrongBoxBacked) throw StrongBoxUnavailableException()
        FakeAndroidKeyStore.specs.add(spec)
        return FakeKey(spec.keystoreAlias, FakeAndroidKeyStore.randomKey(), spec).also {
            FakeAndroidKeyStore.keys[spec.keystoreAlias] = it
        }
    }
}

class FakeCipherSpi : CipherSpi() {
    private val inner: Cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE")

    private fun open(opmode: Int, key: Key?, params: AlgorithmParameterSpec?) {
        val fake = key as? FakeKey ?: throw InvalidKeyException("not a key of this key store")
        if (fake.invalidated) throw KeyPermanentlyInvalidatedException()
        val material = SecretKeySpec(fake.material, "AES")
        when (opmode) {
            Cipher.ENCRYPT_MODE -> {
                // Randomized encryption: the Keystore picks the IV and refuses one from the caller.
                if (params != null) throw InvalidAlgorithmParameterException("caller-provided IV not permitted")
                inner.init(opmode, material, GCMParameterSpec(128, ByteArray(12).also { SecureRandom().nextBytes(it) }))
            }
            Cipher.DECRYPT_MODE -> inner.init(opmode, material, params ?: throw InvalidAlgorithmParameterException("IV required"))
            else -> throw UnsupportedOperationException("mode $opmode")
        }
    }

    override fun engineInit(opmode: Int, key: Key?, random: SecureRandom?) = open(opmode, key, null)
    override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameterSpec?, random: SecureRandom?) =
        open(opmode, key, params)
    override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameters?, random: SecureRandom?) =
        open(opmode, key, params?.getParameterSpec(GCMParameterSpec::class.java))

    override fun engineSetMode(mode: String?) = Unit
    override fun engineSetPadding(padding: String?) = Unit
    override fun engineGetBlockSize(): Int = 16
    override fun engineGetOutputSize(inputLen: Int): Int = inner.getOutputSize(inputLen)
    override fun engineGetIV(): ByteArray? = inner.iv
    override fun engineGetParameters(): AlgorithmParameters? = inner.parameters
    override fun engineUpdateAAD(src: ByteArray, offset: Int, len: Int) = inner.updateAAD(src, offset, len)
    override fun engineUpdate(input: ByteArray, offset: Int, len: Int): ByteArray? = inner.update(input, offset, len)
    override fun engineUpdate(input: ByteArray, offset: Int, len: Int, output: ByteArray, outputOffset: Int): Int =
        inner.update(input, offset, len, output, outputOffset)
    override fun engineDoFinal(input: ByteArray?, offset: Int, len: Int): ByteArray =
        inner.doFinal(input ?: ByteArray(0), offset, len)
    override fun engineDoFinal(input: ByteArray?, offset: Int, len: Int, output: ByteArray, outputOffset: Int): Int =
        inner.doFinal(input ?: ByteArray(0), offset, len, output, outputOffset)
}
