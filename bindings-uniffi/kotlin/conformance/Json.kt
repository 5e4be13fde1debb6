// A small JSON reader and writer for the conformance driver (the JDK has none): numbers
// written with a fraction or exponent read as Double, others as Long, objects as
// LinkedHashMap (key order kept), as the corpus means them.
package io.cldkit.conformance

class JsonException(message: String) : Exception(message)

class JsonReader(private val s: String) {
    private var i = 0

    fun readDocument(): Any? {
        val v = read()
        skipWs()
        if (i != s.length) throw JsonException("trailing characters at $i")
        return v
    }

    private fun skipWs() {
        while (i < s.length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
    }

    private fun read(): Any? {
        skipWs()
        if (i >= s.length) throw JsonException("unexpected end")
        return when (val c = s[i]) {
            '{' -> readObject()
            '[' -> readArray()
            '"' -> readString()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c in '0'..'9') readNumber() else throw JsonException("unexpected '$c' at $i")
        }
    }

    private fun literal(word: String, value: Any?): Any? {
        if (!s.startsWith(word, i)) throw JsonException("bad literal at $i")
        i += word.length
        return value
    }

    private fun readObject(): Map<String, Any?> {
        val out = LinkedHashMap<String, Any?>()
        i++
        skipWs()
        if (s[i] == '}') { i++; return out }
        while (true) {
            skipWs()
            val k = readString()
            skipWs()
            if (s[i] != ':') throw JsonException("expected ':' at $i")
            i++
            out[k] = read()
            skipWs()
            when (s[i]) {
                ',' -> i++
                '}' -> { i++; return out }
                else -> throw JsonException("expected ',' or '}' at $i")
            }
        }
    }

    private fun readArray(): List<Any?> {
        val out = ArrayList<Any?>()
        i++
        skipWs()
        if (s[i] == ']') { i++; return out }
        while (true) {
            out.add(read())
            skipWs()
            when (s[i]) {
                ',' -> i++
                ']' -> { i++; return out }
                else -> throw JsonException("expected ',' or ']' at $i")
            }
        }
    }

    private fun readString(): String {
        if (s[i] != '"') throw JsonException("expected a string at $i")
        i++
        val sb = StringBuilder()
        while (true) {
            val c = s[i++]
            when (c) {
                '"' -> return sb.toString()
                '\\' -> {
                    when (val e = s[i++]) {
                        '"' -> sb.append('"'); '\\' -> sb.append('\\'); '/' -> sb.append('/')
                        'b' -> sb.append('\b'); 'f' -> sb.append('\u000c'); 'n' -> sb.append('\n')
                        'r' -> sb.append('\r'); 't' -> sb.append('\t')
                        'u' -> { sb.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                        else -> throw JsonException("bad escape '\\$e'")
                    }
                }
                else -> sb.append(c)
            }
        }
    }

    private fun readNumber(): Any {
        val start = i
        var float = false
        while (i < s.length && (s[i] in "+-0123456789.eE")) {
            if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') float = true
            i++
        }
        val text = s.substring(start, i)
        return if (float) text.toDouble() else text.toLongOrNull() ?: java.math.BigInteger(text)
    }
}

/** Writes `v` (null, Boolean, Number, String, List, Map) as JSON. */
fun writeJson(v: Any?, out: StringBuilder) {
    when (v) {
        null -> out.append("null")
        is Boolean -> out.append(v)
        is Double -> out.append(if (v.isFinite()) v.toString() else "null")
        is Number -> out.append(v.toString())
        is String -> writeString(v, out)
        is Map<*, *> -> {
            out.append('{')
            var first = true
            for ((k, x) in v) {
                if (!first) out.append(',')
                first = false
                writeString(k.toString(), out)
                out.append(':')
                writeJson(x, out)
            }
            out.append('}')
        }
        is List<*> -> {
            out.append('[')
            v.forEachIndexed { n, x -> if (n > 0) out.append(','); writeJson(x, out) }
            out.append(']')
        }
        else -> writeString(v.toString(), out)
    }
}

private fun writeString(s: String, out: StringBuilder) {
    out.append('"')
    for (c in s) {
        when {
            c == '"' -> out.append("\\\"")
            c == '\\' -> out.append("\\\\")
            c < ' ' -> out.append("\\u%04x".format(c.code))
            else -> out.append(c)
        }
    }
    out.append('"')
}
