package com.concordium.walletcore.android.ui

import com.concordium.walletcore.WalletException
import com.concordium.walletcore.android.SizeLimitExceededException
import com.concordium.walletcore.android.StorageKeyException
import java.io.IOException

/** "1 account", "5 accounts". */
internal fun plural(count: UInt, one: String, many: String): String = "$count ${if (count == 1u) one else many}"

/**
 * The sentence an error screen shows for an exception (the flows' own problems come with their
 * text). The core's and the storage key's messages are written for people and hold no secret;
 * anything else gets a generic sentence (its text may be technical).
 */
internal fun messageFor(e: Throwable): String = when (e) {
    is WalletException -> e.message ?: "The wallet library failed."
    is StorageKeyException -> e.message ?: "Authentication failed."
    is SizeLimitExceededException -> "This file is too large to be a wallet backup."
    is SecurityException -> "This app may not read that file. Choose it again from the file picker."
    is IOException -> "The file could not be read or written. Try again."
    else -> "Something went wrong. Try again."
}
