package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.LedgerAccountPath
import com.concordium.walletcore.LedgerBridge
import com.concordium.walletcore.LedgerBridgeException
import com.concordium.walletcore.LedgerExchange
import com.concordium.walletcore.LedgerIdentityPath
import com.concordium.walletcore.LedgerTransportException
import com.concordium.walletcore.Network
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.DataInputStream
import java.io.DataOutputStream
import java.io.EOFException
import java.net.Socket

/**
 * The Ledger bridge through the bindings, against the emulated Concordium app
 * (`target/debug/examples/ledger_emulator`, built by scripts/test-kotlin) over real loopback
 * TCP: once through the library's Speculos transport, once through a platform transport written
 * here in Kotlin (the callback interface an Android or iOS app implements for BLE or USB).
 */
class LedgerTest : LibraryTest() {

    private val key1105 = "87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492"
    private val prfLegacy0 = "48235b90248b6e552d59bf8b533292d25c5afd1f8e1ad5d1e00478794642ba38"
    private val idCredSecLegacy0 = "02a5a44c0b2e0abcaf313c77fa05f6449c092ad449a081098bd48515bf95e947"

    private fun hex(b: ByteArray) = b.joinToString("") { "%02x".format(it) }

    @Test
    fun `app 5_1_3 over the Speculos transport`() = withEmulator("--app-version", "5.1.3") { address ->
        LedgerBridge.speculos(address).use { bridge ->
            val info = bridge.appInfo()
            assertEquals("Concordium", info.name)
            assertEquals("5.1.3", info.version)
            assertTrue(info.transport.startsWith("speculos 127.0.0.1:"))

            assertEquals("m/1105'/0'", bridge.pairingId().path)
            val key = bridge.publicKey(LedgerAccountPath.Legacy(0u, 0u), false)
            assertEquals(key1105, key.publicKeyHex)
            assertEquals(64, key.signature.size)

            val keys = bridge.exportIdentityKeys(LedgerIdentityPath.Legacy(0u))
            assertEquals(prfLegacy0, hex(keys.prfKey))
            assertEquals(idCredSecLegacy0, hex(keys.idCredSec))
            assertNull(keys.blindingRandomness)
            keys.prfKey.fill(0)
            keys.idCredSec.fill(0)

            // 5.1.3 exits on Testnet paths, so the bridge refuses before sending.
            val e = assertThrows(LedgerBridgeException.UnsupportedByApp::class.java) {
                bridge.publicKey(LedgerAccountPath.New(Network.TESTNET, 0u, 0u, 0u), false)
            }
            assertTrue(e.message!!.contains("5.1.3"), e.message)
        }
    }

    @Test
    fun `app 5_7_0 exports new-path keys with the blinding randomness`() =
        withEmulator("--app-version", "5.7.0") { address ->
            LedgerBridge.speculos(address).use { bridge ->
                assertEquals("5.7.0", bridge.appInfo().version)
                bridge.verifyAddress(LedgerAccountPath.New(Network.TESTNET, 0u, 0u, 0u))
                val keys = bridge.exportIdentityKeys(LedgerIdentityPath.New(Network.TESTNET, 0u, 0u))
                assertEquals(32, keys.prfKey.size)
                assertEquals(32, keys.blindingRandomness!!.size)
                keys.prfKey.fill(0)
                keys.idCredSec.fill(0)
                keys.blindingRandomness!!.fill(0)
            }
        }

    /** Speculos framing written in Kotlin: what a platform's BLE or USB transport stands for. */
    private class SocketExchange(address: String) : LedgerExchange {
        private val socket = Socket(address.substringBefore(':'), address.substringAfter(':').toInt())
        private val input = DataInputStream(socket.getInputStream())
        private val output = DataOutputStream(socket.getOutputStream())

        override fun exchange(apdu: ByteArray, timeoutMs: ULong): ByteArray {
            socket.soTimeout = timeoutMs.coerceAtMost(Int.MAX_VALUE.toULong()).toInt()
            output.writeInt(apdu.size)
            output.write(apdu)
            output.flush()
            try {
                val n = input.readInt()
                val reply = ByteArray(n + 2)
                input.readFully(reply)
                return reply
            } catch (e: EOFException) {
                throw LedgerTransportException.Closed()
            } catch (e: java.net.SocketTimeoutException) {
                throw LedgerTransportException.Timeout()
            }
        }

        override fun describe() = "kotlin socket ${socket.remoteSocketAddress}"
    }

    @Test
    fun `a platform transport gives the same answers and typed errors`() =
        withEmulator("--app-version", "5.1.3", "--approval", "reject") { address ->
            LedgerBridge.platform(SocketExchange(address)).use { bridge ->
                assertTrue(bridge.appInfo().transport.startsWith("kotlin socket"))
                assertEquals(key1105, bridge.publicKey(LedgerAccountPath.Legacy(0u, 0u), false).publicKeyHex)
                assertThrows(LedgerBridgeException.Rejected::class.java) {
                    bridge.verifyAddress(LedgerAccountPath.Legacy(0u, 0u))
                }
            }
        }

    @Test
    fun `a transport that closes is AppClosed, one that throws is Transport`() {
        val closing = object : LedgerExchange {
            override fun exchange(apdu: ByteArray, timeoutMs: ULong): ByteArray = throw LedgerTransportException.Closed()
            override fun describe() = "closing"
        }
        LedgerBridge.platform(closing).use { bridge ->
            val e = assertThrows(LedgerBridgeException.AppClosed::class.java) { bridge.appInfo() }
            assertTrue(e.message!!.startsWith("The Concordium app closed"), e.message)
        }
        val failing = object : LedgerExchange {
            override fun exchange(apdu: ByteArray, timeoutMs: ULong): ByteArray = throw IllegalStateException("bluetooth off")
            override fun describe() = "failing"
        }
        LedgerBridge.platform(failing).use { bridge ->
            assertThrows(LedgerBridgeException.Transport::class.java) { bridge.pairingId() }
        }
    }

    @Test
    fun `the dashboard open is OtherAppOpen`() = withEmulator("--screen", "dashboard") { address ->
        LedgerBridge.speculos(address).use { bridge ->
            val e = assertThrows(LedgerBridgeException.OtherAppOpen::class.java) { bridge.appInfo() }
            assertEquals("The Ledger has the dashboard open: open the Concordium app.", e.message)
        }
    }
}
