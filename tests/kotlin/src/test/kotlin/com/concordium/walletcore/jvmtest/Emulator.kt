package com.concordium.walletcore.jvmtest

import org.junit.jupiter.api.Assertions.assertTrue
import java.io.File

/** Runs the emulated Ledger (`target/debug/examples/ledger_emulator`, built by scripts/test-kotlin)
 *  with [args]; gives its `127.0.0.1:PORT` to [body]; stops it after. */
fun withEmulator(vararg args: String, body: (String) -> Unit) {
    val lib = File(System.getProperty(LIBRARY_PROPERTY)!!)
    val exe = File(lib.parentFile, "examples/ledger_emulator")
    assertTrue(exe.canExecute(), "build it first: cargo build --example ledger_emulator ($exe)")
    val process = ProcessBuilder(listOf(exe.path) + args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    try {
        val line = process.inputStream.bufferedReader().readLine() ?: error("the emulator did not start")
        assertTrue(line.startsWith("listening "), line)
        body(line.removePrefix("listening "))
    } finally {
        process.outputStream.close() // the emulator exits when its stdin closes
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly()
    }
}
