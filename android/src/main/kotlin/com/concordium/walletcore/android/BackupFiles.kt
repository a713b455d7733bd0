package com.concordium.walletcore.android

import android.content.ClipData
import android.content.ContentResolver
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import java.io.File
import java.io.FileNotFoundException

/**
 * The file side of export and import: the document picker, reading a picked or received file
 * with a size cap, and handing an exported backup to another app (share sheet or "Save to…").
 * The bytes themselves come from and go to the core's flows (`ExportFlow.fileBytes`,
 * `ImportFlow(wallet, bytes)`), which recognise a backup by content, never by file name.
 *
 * File work blocks: call the reading and writing functions off the main thread.
 */
object BackupFiles {
    /** The core refuses larger files anyway; this stops them before they are read into memory. */
    const val MAX_BACKUP_BYTES: Int = 64 * 1024 * 1024

    /**
     * MIME type the share provider reports for a shared backup: the core's `ExportedFile.mimeType`
     * for both formats (`application/octet-stream`; see docs/flows.md).
     */
    const val MIME_TYPE: String = "application/octet-stream"

    /** The only directory [BackupShareProvider] serves: `cacheDir/backup-share/`. */
    private const val SHARE_DIRECTORY = "backup-share"

    /** Where [shareIntent] puts the file it shares. */
    fun shareDirectory(context: Context): File = File(context.cacheDir, SHARE_DIRECTORY)

    /** A name without a directory part, not hidden, not `..`: the only names that are shared. */
    fun isPlainFileName(name: String): Boolean =
        name.isNotBlank() && '/' !in name && '\\' !in name && !name.startsWith(".") && '\u0000' !in name

    /**
     * `ACTION_OPEN_DOCUMENT`: the system document picker for a backup to import (for
     * `startActivityForResult`). Any type: providers label backups differently.
     */
    fun openDocumentIntent(): Intent =
        Intent(Intent.ACTION_OPEN_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType("*/*")

    /**
     * Reads the document at [uri]: from the picker, or from an `ACTION_VIEW` / `ACTION_SEND`
     * intent ("open with", share to this app). The size the provider reports is checked first, so
     * a file over [limit] is refused before anything is read; the read itself stops after
     * `limit + 1` bytes, as a provider may report no size or a wrong one.
     *
     * @throws SizeLimitExceededException the file is larger than [limit].
     * @throws FileNotFoundException / java.io.IOException / SecurityException from the provider.
     */
    fun readBackup(resolver: ContentResolver, uri: Uri, limit: Int = MAX_BACKUP_BYTES): ByteArray {
        val declared = declaredSize(resolver, uri)
        if (declared > limit) throw SizeLimitExceededException(limit.toLong(), declared)
        val input = resolver.openInputStream(uri) ?: throw FileNotFoundException("cannot open $uri")
        return input.use { readAtMost(it, limit, declared) }
    }

    /** The display name the provider gives, to show before importing (null if none). */
    fun displayName(resolver: ContentResolver, uri: Uri): String? =
        queryColumn(resolver, uri, OpenableColumns.DISPLAY_NAME) { cursor, i -> cursor.getString(i) }

    private fun declaredSize(resolver: ContentResolver, uri: Uri): Long =
        queryColumn(resolver, uri, OpenableColumns.SIZE) { cursor, i -> cursor.getLong(i) } ?: -1L

    private fun <T> queryColumn(
        resolver: ContentResolver,
        uri: Uri,
        column: String,
        get: (android.database.Cursor, Int) -> T,
    ): T? = try {
        resolver.query(uri, arrayOf(column), null, null, null)?.use { cursor ->
            val i = cursor.getColumnIndex(column)
            if (i >= 0 && cursor.moveToFirst() && !cursor.isNull(i)) get(cursor, i) else null
        }
    } catch (e: RuntimeException) {
        null // file:// URIs and some providers do not answer queries; the bounded read still applies
    }

    /**
     * Writes [backup] to `cacheDir/backup-share/[fileName]` (deleting any earlier exported file)
     * and returns a chooser for `ACTION_SEND` (Mail, Drive, a messenger…) with a
     * [BackupShareProvider] URI that only the chosen app may read. Start it with `startActivity`.
     * Call [deleteSharedBackups] when the user leaves the export (the screens do it on "Done")
     * and at app start: the receiving app may still read the file right after the chooser closes.
     */
    fun shareIntent(
        context: Context,
        backup: ByteArray,
        fileName: String,
        mimeType: String = MIME_TYPE,
        chooserTitle: CharSequence? = null,
    ): Intent {
        require(isPlainFileName(fileName)) { "not a plain file name" }
        deleteSharedBackups(context)
        val dir = shareDirectory(context).apply { mkdirs() }
        val file = File(dir, fileName)
        file.outputStream().use { it.write(backup) }
        val uri = shareUri(context, fileName)
        val send = Intent(Intent.ACTION_SEND)
            .setType(mimeType)
            .putExtra(Intent.EXTRA_STREAM, uri)
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        // The grant travels with the ClipData through the chooser to the chosen app.
        send.clipData = ClipData.newRawUri(fileName, uri)
        return Intent.createChooser(send, chooserTitle)
    }

    /** The [BackupShareProvider] URI of a file in the share directory. */
    fun shareUri(context: Context, fileName: String): Uri =
        Uri.Builder().scheme(ContentResolver.SCHEME_CONTENT).authority(authority(context)).appendPath(fileName).build()

    /** Deletes exported files left in the share directory. */
    fun deleteSharedBackups(context: Context) {
        shareDirectory(context).listFiles()?.forEach { it.delete() }
    }

    /**
     * "Save to…" without a copy in the app: the system picker for where to create the file. Write
     * the result's URI with [writeBackup].
     */
    fun createDocumentIntent(fileName: String, mimeType: String = MIME_TYPE): Intent =
        Intent(Intent.ACTION_CREATE_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType(mimeType)
            .putExtra(Intent.EXTRA_TITLE, fileName)

    /** Writes [backup] to a document created with [createDocumentIntent]. */
    fun writeBackup(resolver: ContentResolver, uri: Uri, backup: ByteArray) {
        // "wt": truncate, in case the user picked an existing document.
        val output = resolver.openOutputStream(uri, "wt") ?: throw FileNotFoundException("cannot open $uri")
        output.use { it.write(backup) }
    }

    /** The [BackupShareProvider] authority declared in this module's manifest. */
    fun authority(context: Context): String = "${context.packageName}.walletcore.backups"
}
