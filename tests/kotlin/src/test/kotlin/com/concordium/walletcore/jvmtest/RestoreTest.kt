package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.AccountDirectory
import com.concordium.walletcore.CancelToken
import com.concordium.walletcore.KeyDeriver
import com.concordium.walletcore.LookupAnswer
import com.concordium.walletcore.Network
import com.concordium.walletcore.RestoreListener
import com.concordium.walletcore.RestoreProgress
import com.concordium.walletcore.Wallet
import com.concordium.walletcore.WalletException
import com.concordium.walletcore.WalletOverview
import com.concordium.walletcore.openBackup
import com.concordium.walletcore.seedFromRecoveryPhrase
import com.sun.net.httpserver.HttpServer
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.jsonObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.SecureRandom
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** The BIP39 test phrase "abandon × 23, art" (a valid 24-word phrase). */
private val PHRASE = ("abandon ".repeat(23) + "art")

/** The identity provider the test chain has. */
private const val IDP = 1u

/** (identity, credential) of the accounts on the test chain that a restore must find. */
private val FOUND = listOf(0 to 0, 0 to 1, 0 to 4, 2 to 0)

/** Accounts on the chain just beyond the gap rules: identity 0's counters 5..24 are 20 misses, so
 *  counter 25 is never looked up; identities 3..22 are 20 empty ones, so 23 is never looked at. */
private val BEYOND_GAP = listOf(0 to 25, 23 to 0)

/** Lookups of one full scan: identity 0 counters 0..24, identity 1 0..19, identity 2 0..20,
 *  identities 3..22 0..19 each. */
private const val SCAN_LOOKUPS = 25 + 20 + 21 + 20 * 20

private fun ByteArray.hex() = joinToString("") { "%02x".format(it) }

/** A wallet-proxy on loopback (the JDK's HTTP server): `GET /v0/accBalance/{address}` answers 200
 *  with a finalized balance for [accounts] and 404 otherwise, as Concordium's wallet-proxy does;
 *  from lookup number [failFrom] on (0-based) it answers 500. */
private class ProxyServer(private val accounts: Set<String>) : AutoCloseable {
    val lookups = AtomicInteger()

    @Volatile
    var failFrom = Int.MAX_VALUE

    private val server = run {
        // Without TCP_NODELAY, the JDK server's separate header and body writes meet delayed ACKs:
        // ~40 ms per lookup on loopback. Read once, when the server implementation is first loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true")
        HttpServer.create(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
    }.apply {
        createContext("/v0/accBalance/") { exchange ->
            val address = exchange.requestURI.path.removePrefix("/v0/accBalance/")
            val n = lookups.getAndIncrement()
            val (status, body) = when {
                n >= failFrom -> 500 to """{"error":"internal"}"""
                address in accounts -> 200 to
                    """{"currentBalance":{"accountAmount":"1000000"},"finalizedBalance":{"accountAmount":"1000000","accountNonce":1}}"""
                else -> 404 to """{"errorMessage":"Account not found"}"""
            }
            val bytes = body.toByteArray()
            exchange.responseHeaders.add("Content-Type", "application/json")
            exchange.sendResponseHeaders(status, bytes.size.toLong())
            exchange.responseBody.use { it.write(bytes) }
        }
        start()
    }

    val url: String get() = "http://127.0.0.1:${server.address.port}"

    override fun close() = server.stop(0)
}

/** The app's lookup: real HTTP GETs to the wallet-proxy, as an Android app would make them. It
 *  never throws (an exception in a callback cannot become a WalletException). */
private class WalletProxyLookup(private val base: String) : AccountDirectory {
    val networks: MutableSet<Network> = java.util.concurrent.ConcurrentHashMap.newKeySet()
    private val client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    override fun accountExists(network: Network, credentialIdHex: String, address: String): LookupAnswer {
        networks.add(network)
        return try {
            val request = HttpRequest.newBuilder(URI.create("$base/v0/accBalance/$address"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build()
            val response = client.send(request, HttpResponse.BodyHandlers.ofString())
            when (response.statusCode()) {
                200 -> {
                    val balance = parseJson(response.body()).jsonObject["finalizedBalance"]
                    if (balance == null || balance is JsonNull) LookupAnswer.Missing else LookupAnswer.Exists
                }
                404 -> LookupAnswer.Missing
                else -> LookupAnswer.Failed("the wallet proxy answered HTTP ${response.statusCode()}")
            }
        } catch (e: Exception) {
            LookupAnswer.Failed("the wallet proxy could not be asked (${e.javaClass.simpleName})")
        }
    }
}

/** Records every progress callback; [onEach] runs after recording. */
private class RecordingRestoreListener(private val onEach: (RestoreProgress) -> Unit = {}) : RestoreListener {
    val calls: MutableList<RestoreProgress> = CopyOnWriteArrayList()

    override fun onRestoreProgress(progress: RestoreProgress) {
        calls.add(progress)
        onEach(progress)
    }
}

/** Restore from a recovery phrase into the wallet store through the bindings, with a Kotlin lookup
 *  against a real HTTP server on loopback. */
class RestoreTest : LibraryTest() {
    @TempDir
    lateinit var dir: File

    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }

    private fun address(d: KeyDeriver, at: Pair<Int, Int>) =
        d.account(IDP, at.first.toUInt(), at.second.toUByte(), null).address

    private fun <T> chain(body: (KeyDeriver, ProxyServer, Set<String>) -> T): T =
        KeyDeriver(seedFromRecoveryPhrase(PHRASE.toByteArray()), Network.TESTNET).use { d ->
            val found = FOUND.map { address(d, it) }.toSet()
            ProxyServer(found + BEYOND_GAP.map { address(d, it) }).use { server -> body(d, server, found) }
        }

    private fun newWallet(name: String) = Wallet.create(File(dir, name).path, Network.TESTNET, key.copyOf())

    private fun addresses(o: WalletOverview) = o.identities.flatMap { i -> i.accounts.map { it.address } }.toSet()

    @Test
    fun `preview and restore add exactly the seeded accounts, with their keys, and a re-run adds nothing`() =
        chain { d, server, found ->
            newWallet("w.sqlite").use { w ->
                val lookup = WalletProxyLookup(server.url)
                val listener = RecordingRestoreListener()
                val preview = w.previewRestoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, listener, null)
                assertEquals(SCAN_LOOKUPS, server.lookups.get())
                assertEquals(0u, w.overview().accountCount, "a preview changes nothing")
                assertEquals(found, preview.accountsAdded.map { it.key }.toSet())
                assertEquals(
                    listOf("Recovered: Provider 1, Index 0", "Recovered: Provider 1, Index 2"),
                    preview.identitiesAdded.map { it.name },
                )
                assertEquals(setOf(Network.TESTNET), lookup.networks)
                val last = listener.calls.last()
                assertEquals(RestoreProgress(23u, SCAN_LOOKUPS.toUInt(), 4u), last)
                // One call after every lookup and after every identity index.
                assertEquals(SCAN_LOOKUPS + 23, listener.calls.size)

                val report = w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
                assertEquals(preview, report)
                assertEquals(2 * SCAN_LOOKUPS, server.lookups.get())
                val overview = w.overview()
                assertEquals(found, addresses(overview))
                assertEquals(2u, overview.identityCount)
                assertTrue(overview.identities.flatMap { it.accounts }.none { it.readOnly })

                // The keys were stored: the wallet's own backup has account 0.4's signing key.
                val backup = w.export(key.copyOf(), pw(), OURS, null, null)
                val json = openBackup(backup, pw(), null, null).use { it.walletJson() }
                val signKey = d.accountSecrets(IDP, 0u, 4u, null).signingKey
                assertTrue(json.toString(Charsets.UTF_8).contains(signKey.hex()), "account 0.4's key")
                json.fill(0)
                signKey.fill(0)

                val again = w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
                assertEquals(0u, again.changeCount)
                assertTrue(again.accountsAdded.isEmpty() && again.identitiesAdded.isEmpty())
                assertEquals(overview, w.overview())
            }
        }

    @Test
    fun `a failing wallet proxy throws and leaves the store unchanged`() = chain { _, server, _ ->
        newWallet("fail.sqlite").use { w ->
            // Identity 0's accounts are found (lookups 0, 1 and 4) before the proxy fails.
            server.failFrom = 30
            val e = assertThrows<WalletException.LookupFailed> {
                w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), WalletProxyLookup(server.url), null, null)
            }
            assertTrue(e.message!!.contains("HTTP 500"), e.message)
            assertEquals(31, server.lookups.get(), "the scan stops at the first failure")
            assertEquals(0u, w.overview().identityCount)
            assertEquals(0u, w.overview().accountCount)
        }
    }

    @Test
    fun `a cancelled restore leaves the store unchanged`() = chain { _, server, _ ->
        newWallet("cancel.sqlite").use { w ->
            CancelToken().use { token ->
                val listener = RecordingRestoreListener { if (it.credentialsScanned == 10u) token.cancel() }
                assertThrows<WalletException.Cancelled> {
                    w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), listOf(IDP), WalletProxyLookup(server.url), listener, token)
                }
                assertEquals(10, server.lookups.get(), "no lookup after the cancel")
                assertEquals(0u, w.overview().accountCount)
            }
        }
    }

    @Test
    fun `bad input is refused before any lookup`() = chain { _, server, _ ->
        newWallet("bad.sqlite").use { w ->
            val lookup = WalletProxyLookup(server.url)
            assertThrows<WalletException.InvalidPhrase> {
                w.previewRestoreFromPhrase("abandon abandon".toByteArray(), key.copyOf(), listOf(IDP), lookup, null, null)
            }
            assertThrows<WalletException.WrongStorageKey> {
                w.previewRestoreFromPhrase(PHRASE.toByteArray(), ByteArray(32), listOf(IDP), lookup, null, null)
            }
            assertThrows<WalletException.InvalidParameters> {
                w.restoreFromPhrase(PHRASE.toByteArray(), key.copyOf(), emptyList(), lookup, null, null)
            }
            assertEquals(0, server.lookups.get())
        }
    }
}
