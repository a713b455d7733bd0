package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.ExportFormat
import com.concordium.walletcore.ExportSettings
import com.concordium.walletcore.ProgressListener
import com.concordium.walletcore.WalletBackup
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList

/** System property (set by the pom) naming the CryptoX legacy export fixture. */
const val FIXTURE_PROPERTY = "walletcore.fixture.cryptox"

/** System property (set by the pom) naming the host build of the library. */
const val LIBRARY_PROPERTY = "uniffi.component.wallet_core.libraryOverride"

/** The password of the CryptoX fixture. */
const val FIXTURE_PASSWORD = "000000"

/** A password long enough for every export in these tests. */
const val PASSWORD = "correct horse battery"

/** Test data shared with the Swift tests (tests/data/bindings; Maven runs in tests/kotlin). */
fun testData(name: String): String = File("../data/bindings/$name").readText()

/** A small wallet in Concordium's `concordium-mobile-wallet-data` v1 schema (fake keys). */
val WALLET_JSON: String = testData("wallet.json")

val OURS = ExportSettings(ExportFormat.OURS, null)
val LEGACY = ExportSettings(ExportFormat.LEGACY, null)

/** A fresh copy of a password: the library receives its own copy and the caller wipes this one. */
fun pw(text: String = PASSWORD): ByteArray = text.toByteArray(Charsets.UTF_8)

fun wallet(json: String = WALLET_JSON): WalletBackup = WalletBackup.fromWalletJson(json.toByteArray())

fun parseJson(bytes: ByteArray): JsonElement = Json.parseToJsonElement(bytes.toString(Charsets.UTF_8))

fun parseJson(text: String): JsonElement = Json.parseToJsonElement(text)

/** Exports [WALLET_JSON] (closing the intermediate object). */
fun exportSample(settings: ExportSettings = OURS, password: String = PASSWORD): ByteArray =
    wallet().use { it.export(pw(password), settings, null, null) }

/** The CryptoX fixture's bytes; skips the calling test (not fails) when shared/ is not there. */
fun fixtureBytes(): ByteArray {
    val path = System.getProperty(FIXTURE_PROPERTY)
    val file = path?.let { File(it).absoluteFile.normalize() }
    if (file == null || !file.isFile) {
        val why = if (file == null) {
            "system property $FIXTURE_PROPERTY is not set (run the tests through tests/kotlin/pom.xml)"
        } else {
            "fixture $file is absent: put the project's shared/fixtures next to the repository to " +
                "run this test (CI always has it)"
        }
        // Surefire's summary counts skips but does not say why: say it once on the console.
        if (fixtureWarned.compareAndSet(false, true)) System.err.println("SKIPPING fixture tests: $why")
        assumeTrue(false, why)
    }
    return file!!.readBytes()
}

private val fixtureWarned = java.util.concurrent.atomic.AtomicBoolean(false)

/** Fails with a clear message when the host library was not built. */
fun requireLibrary() {
    val path = System.getProperty(LIBRARY_PROPERTY) ?: return
    val file = File(path)
    assertTrue(
        file.isFile,
        "the host library ${file.absoluteFile.normalize()} does not exist: run `cargo build --lib` " +
            "in the repository root first (scripts/test-kotlin does it)",
    )
}

/** One progress callback. */
data class Progress(val done: UInt, val total: UInt, val thread: Thread)

/** Records every progress callback; [onEach] runs after recording. */
class RecordingListener(private val onEach: (Progress) -> Unit = {}) : ProgressListener {
    val calls: MutableList<Progress> = CopyOnWriteArrayList()

    override fun onProgress(done: UInt, total: UInt) {
        val p = Progress(done, total, Thread.currentThread())
        calls.add(p)
        onEach(p)
    }
}

/** Base of the test classes: checks once per class that the host library exists. */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class LibraryTest {
    @org.junit.jupiter.api.BeforeAll
    fun checkLibrary() = requireLibrary()
}
