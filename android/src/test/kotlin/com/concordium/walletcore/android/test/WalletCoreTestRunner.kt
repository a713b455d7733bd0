package com.concordium.walletcore.android.test

import org.junit.runners.model.FrameworkMethod
import org.robolectric.RobolectricTestRunner
import org.robolectric.internal.bytecode.InstrumentationConfiguration
import java.io.File

/**
 * Robolectric with the generated bindings shared by every sandbox.
 *
 * Each SDK sandbox would otherwise load its own copy of the bindings (package
 * `com.concordium.walletcore`), and every copy registers its callback-interface tables with the
 * one Rust library in the JVM; the last registration wins, so once a run has sandboxes for two
 * API levels, progress listeners stop firing and callbacks fail with "Invalid handle". Loading
 * the bindings outside the sandboxes (`doNotAcquireClass`) keeps one copy. Only the classes
 * directly in that package: the shell (`com.concordium.walletcore.android…`) needs the Android
 * classes of its sandbox.
 */
class WalletCoreTestRunner(testClass: Class<*>) : RobolectricTestRunner(testClass) {
    override fun createClassLoaderConfig(method: FrameworkMethod): InstrumentationConfiguration {
        val builder = InstrumentationConfiguration.Builder(super.createClassLoaderConfig(method))
        BINDING_CLASSES.forEach { builder.doNotAcquireClass(it) }
        return builder.build()
    }

    companion object {
        private const val PACKAGE = "com/concordium/walletcore"

        /** Every class file directly in the bindings package, found next to `Wallet.class`. */
        val BINDING_CLASSES: List<String> by lazy {
            val url = WalletCoreTestRunner::class.java.classLoader.getResource("$PACKAGE/Wallet.class")
                ?: error("the bindings are not on the test classpath")
            check(url.protocol == "file") { "the bindings are expected in a class directory, not $url" }
            val dir = File(url.toURI()).parentFile
            val names = dir.listFiles { f -> f.isFile && f.name.endsWith(".class") }.orEmpty()
                .map { "${PACKAGE.replace('/', '.')}.${it.name.removeSuffix(".class")}" }
            check(names.size > 10) { "only ${names.size} binding classes found in $dir" }
            names
        }
    }
}
