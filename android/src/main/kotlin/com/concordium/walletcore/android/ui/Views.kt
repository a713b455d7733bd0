package com.concordium.walletcore.android.ui

import android.app.Activity
import android.graphics.Color
import android.graphics.Typeface
import android.text.Editable
import android.text.InputType
import android.text.TextWatcher
import android.util.TypedValue
import android.view.View
import android.view.ViewGroup.LayoutParams.MATCH_PARENT
import android.view.ViewGroup.LayoutParams.WRAP_CONTENT
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ProgressBar
import android.widget.ScrollView
import android.widget.TextView
import com.concordium.walletcore.PasswordFeedback
import java.nio.CharBuffer

/**
 * One screen, built in code (the library has no resources, so it needs no resource compiler):
 * a scrolling column of texts, fields and buttons. Views that tests and apps look for carry a
 * tag ([View.findViewWithTag]); the tags are listed in each activity's companion.
 */
internal class Screen(private val activity: Activity) {
    private val column = LinearLayout(activity).apply {
        orientation = LinearLayout.VERTICAL
        val pad = dp(24)
        setPadding(pad, pad, pad, pad)
    }

    fun title(text: CharSequence, tag: String? = null): TextView = text(text, tag).apply {
        setTextSize(TypedValue.COMPLEX_UNIT_SP, 22f)
        setTypeface(typeface, Typeface.BOLD)
    }

    fun text(text: CharSequence, tag: String? = null): TextView = add(TextView(activity).apply {
        this.text = text
        this.tag = tag
        setTextSize(TypedValue.COMPLEX_UNIT_SP, 16f)
        setPadding(0, dp(8), 0, dp(8))
    })

    /** A red text, hidden until [showError] fills it. */
    fun error(tag: String): TextView = text("", tag).apply {
        setTextColor(Color.rgb(0xB0, 0x00, 0x20))
        visibility = View.GONE
    }

    fun button(text: CharSequence, tag: String, onClick: () -> Unit): Button = add(Button(activity).apply {
        this.text = text
        this.tag = tag
        setOnClickListener { onClick() }
    })

    /** A password field: not shown in clear, no suggestions. Read it with [passwordBytes]. */
    fun passwordField(hint: CharSequence, tag: String): EditText = add(EditText(activity).apply {
        this.hint = hint
        this.tag = tag
        inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
        isSingleLine = true
    })

    fun progressBar(tag: String): ProgressBar =
        add(ProgressBar(activity, null, android.R.attr.progressBarStyleHorizontal).apply {
            this.tag = tag
            isIndeterminate = true
        })

    fun <V : View> add(view: V): V {
        column.addView(view, LinearLayout.LayoutParams(MATCH_PARENT, WRAP_CONTENT))
        return view
    }

    /** Replaces the activity's content with this screen. */
    fun show() {
        activity.setContentView(ScrollView(activity).apply { addView(column) })
    }

    private fun dp(value: Int): Int = (value * activity.resources.displayMetrics.density).toInt()
}

internal fun TextView.showError(message: CharSequence?) {
    text = message ?: ""
    visibility = if (message.isNullOrEmpty()) View.GONE else View.VISIBLE
}

/**
 * The field's text as UTF-8 bytes for the core, without making a `String` of it (strings cannot
 * be wiped). The caller wipes the result; the field keeps its text until [wipe].
 */
internal fun EditText.passwordBytes(): ByteArray {
    val text = this.text
    val chars = CharArray(text.length)
    text.getChars(0, text.length, chars, 0)
    val buffer = Charsets.UTF_8.newEncoder().encode(CharBuffer.wrap(chars))
    chars.fill('\u0000')
    val bytes = ByteArray(buffer.remaining())
    buffer.get(bytes)
    if (buffer.hasArray()) buffer.array().fill(0)
    return bytes
}

/** Clears the field (the editor's buffer is overwritten before it is emptied). */
internal fun EditText.wipe() {
    val text = this.text
    text.replace(0, text.length, " ".repeat(text.length))
    text.clear()
}

/** Calls [onChange] after every edit of the field. */
internal fun EditText.onEdit(onChange: () -> Unit) {
    addTextChangedListener(object : TextWatcher {
        override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) = Unit
        override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) = Unit
        override fun afterTextChanged(s: Editable?) = onChange()
    })
}

/**
 * The password strength meter, fed by the core's rating while the person types: a bar (zxcvbn
 * score 0–4), a line with the time one GPU needs to guess the password at the file's
 * key-derivation cost, and the weak-password warning, if any.
 */
internal class StrengthMeter(screen: Screen, tagPrefix: String) {
    val bar: ProgressBar = screen.progressBar("$tagPrefix.strength").apply {
        isIndeterminate = false
        max = 4
    }
    val label: TextView = screen.text("", "$tagPrefix.strength.text")
    val warning: TextView = screen.error("$tagPrefix.strength.warning")

    fun show(feedback: PasswordFeedback?) {
        val check = feedback?.strength
        if (check == null) {
            bar.progress = 0
            label.text = ""
            warning.showError(null)
            return
        }
        val score = check.score.toInt().coerceIn(0, 4)
        bar.progress = score
        label.text = "Strength: ${SCORE_WORDS[score]}. One graphics card would need ${check.timeToGuess} to guess it."
        warning.showError(if (feedback.weak) feedback.weakWarning ?: check.warning else null)
    }

    private companion object {
        val SCORE_WORDS = arrayOf("very weak", "weak", "fair", "good", "strong")
    }
}
