package com.concordium.walletcore.android.test

import android.net.Uri
import com.concordium.walletcore.android.BackupFiles
import com.concordium.walletcore.android.SizeLimitExceededException
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.annotation.Config
import java.io.FileNotFoundException
import java.io.File

@RunWith(WalletCoreTestRunner::class)
@Config(sdk = [35])
class BackupFilesTest : DeviceTest() {

    @Test
    fun readsAreCapped() {
        val resolver = device.app.contentResolver
        val small = device.document("small.bin", ByteArray(100) { it.toByte() })
        assertArrayEquals(ByteArray(100) { it.toByte() }, BackupFiles.readBackup(resolver, small, limit = 100))
        // The provider reports 101 bytes: refused before reading.
        val big = device.document("big.bin", ByteArray(101))
        assertThrows(SizeLimitExceededException::class.java) { BackupFiles.readBackup(resolver, big, limit = 100) }
        assertEquals(64 * 1024 * 1024, BackupFiles.MAX_BACKUP_BYTES)
    }

    @Test
    fun theShareProviderServesOnlyTheSharedFileReadOnly() {
        val app = device.app
        val chooser = BackupFiles.shareIntent(app, byteArrayOf(1, 2, 3), "backup.wallet-backup")
        @Suppress("DEPRECATION")
        val uri = chooser.getParcelableExtra<android.content.Intent>(android.content.Intent.EXTRA_INTENT)!!
            .getParcelableExtra<Uri>(android.content.Intent.EXTRA_STREAM)!!
        val resolver = app.contentResolver
        assertArrayEquals(byteArrayOf(1, 2, 3), resolver.openInputStream(uri)!!.use { it.readBytes() })
        assertEquals(BackupFiles.MIME_TYPE, resolver.getType(uri))
        assertThrows(SecurityException::class.java) { resolver.openOutputStream(uri, "w") }

        // Nothing outside the share directory, however the path is spelt.
        File(app.cacheDir, "secret.txt").writeText("no")
        for (path in listOf("../secret.txt", "..%2Fsecret.txt", "x/../../secret.txt", ".hidden", "missing.wallet-backup")) {
            val other = Uri.parse("content://${BackupFiles.authority(app)}/$path")
            assertThrows(path, FileNotFoundException::class.java) { resolver.openInputStream(other) }
        }

        // A second share replaces the first; deleteSharedBackups leaves nothing.
        BackupFiles.shareIntent(app, byteArrayOf(4), "other.wallet-backup")
        assertThrows(FileNotFoundException::class.java) { resolver.openInputStream(uri) }
        BackupFiles.deleteSharedBackups(app)
        assertTrue(BackupFiles.shareDirectory(app).listFiles().isNullOrEmpty())
    }
}
