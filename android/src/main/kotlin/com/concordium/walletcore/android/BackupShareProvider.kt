package com.concordium.walletcore.android

import android.content.ContentProvider
import android.content.ContentValues
import android.database.Cursor
import android.database.MatrixCursor
import android.net.Uri
import android.os.ParcelFileDescriptor
import android.provider.OpenableColumns
import java.io.File
import java.io.FileNotFoundException

/**
 * Hands an exported backup to the app the user picks in the share sheet: read-only, only the
 * files in `cacheDir/backup-share/`, and only to an app holding the URI grant that
 * [BackupFiles.shareIntent] attaches (the provider is not exported).
 *
 * A provider of the library's own instead of androidx's FileProvider: no androidx dependency and
 * no `res/xml` path configuration, and it serves exactly one flat directory. URIs are
 * `content://<applicationId>.walletcore.backups/<file name>`.
 */
class BackupShareProvider : ContentProvider() {
    override fun onCreate(): Boolean = true

    override fun getType(uri: Uri): String? = fileFor(uri)?.let { BackupFiles.MIME_TYPE }

    /** `OpenableColumns` only: the name the receiving app shows and the size. */
    override fun query(
        uri: Uri,
        projection: Array<out String>?,
        selection: String?,
        selectionArgs: Array<out String>?,
        sortOrder: String?,
    ): Cursor? {
        val file = fileFor(uri) ?: return null
        val columns = projection?.filter { it == OpenableColumns.DISPLAY_NAME || it == OpenableColumns.SIZE }
            ?.toTypedArray()
            ?: arrayOf(OpenableColumns.DISPLAY_NAME, OpenableColumns.SIZE)
        val row = columns.map { if (it == OpenableColumns.DISPLAY_NAME) file.name else file.length() }
        return MatrixCursor(columns, 1).apply { addRow(row) }
    }

    override fun openFile(uri: Uri, mode: String): ParcelFileDescriptor {
        if (mode != "r") throw SecurityException("exported backups are read-only")
        val file = fileFor(uri) ?: throw FileNotFoundException("no such exported backup")
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.MODE_READ_ONLY)
    }

    override fun insert(uri: Uri, values: ContentValues?): Uri? = throw UnsupportedOperationException("read-only")

    override fun update(uri: Uri, values: ContentValues?, selection: String?, selectionArgs: Array<out String>?): Int =
        throw UnsupportedOperationException("read-only")

    override fun delete(uri: Uri, selection: String?, selectionArgs: Array<out String>?): Int =
        throw UnsupportedOperationException("read-only")

    /** The file a URI names, if it is a plain name of an existing file in the share directory. */
    private fun fileFor(uri: Uri): File? {
        val context = context ?: return null
        val name = uri.pathSegments.singleOrNull() ?: return null
        if (!BackupFiles.isPlainFileName(name)) return null
        return File(BackupFiles.shareDirectory(context), name).takeIf { it.isFile }
    }
}
