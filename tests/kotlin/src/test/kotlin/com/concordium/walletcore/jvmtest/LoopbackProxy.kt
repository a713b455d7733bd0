package com.concordium.walletcore.jvmtest

import com.concordium.walletcore.AccountDirectory
import com.concordium.walletcore.LookupAnswer
import com.concordium.walletcore.Network
import com.concordium.walletcore.RestoreListener
import com.concordium.walletcore.RestoreProgress
import com.sun.net.httpserver.HttpServer
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.jsonObject
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

// The wallet-proxy on loopback and the app's lookup against it, shared by the restore and Ledger
// recovery tests.

/** A wallet-proxy on loopback (the JDK's HTTP server): `GET /v0/accBalance/{address}` answers 200
 *  with a finalized balance for [accounts] and 404 otherwise, as Concordium's wallet-proxy does;
 *  from lookup number [failFrom] on (0-based) it answers 500. */
class ProxyServer(private val accounts: Set<String>) : AutoCloseable {
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
class WalletProxyLookup(private val base: String) : AccountDirectory {
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
class RecordingRestoreListener(private val onEach: (RestoreProgress) -> Unit = {}) : RestoreListener {
    val calls: MutableList<RestoreProgress> = CopyOnWriteArrayList()

    override fun onRestoreProgress(progress: RestoreProgress) {
        calls.add(progress)
        onEach(progress)
    }
}
