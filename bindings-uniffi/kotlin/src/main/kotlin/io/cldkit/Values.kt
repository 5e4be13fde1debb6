// Kotlin values <-> cldkit's option values (hand-written beside the generated cldkit.kt).
//
//     val client = Client.fromUrl("cloudinary://key:secret@demo")
//     client.url("sample.jpg", options("width" to 300, "crop" to "fill"))
//
// Integers (Int, Long, Short, Byte) become Value.Int and Float/Double Value.Float, so
// `2` renders `2` and `2.0` renders `2.0`; maps keep their iteration order.
package io.cldkit

/** The cldkit value of a Kotlin value (null, Boolean, integer, Float/Double, String, List, Array, Map). */
fun toValue(obj: Any?): Value = when (obj) {
    null -> Value.Null
    is Value -> obj
    is Boolean -> Value.Bool(obj)
    is Int -> Value.Int(obj.toLong())
    is Long -> Value.Int(obj)
    is Short -> Value.Int(obj.toLong())
    is Byte -> Value.Int(obj.toLong())
    is Double -> Value.Float(obj)
    is Float -> Value.Float(obj.toDouble())
    is String -> Value.Str(obj)
    is Map<*, *> -> Value.Dict(toEntries(obj))
    is Iterable<*> -> Value.Seq(obj.map { toValue(it) })
    is Array<*> -> Value.Seq(obj.map { toValue(it) })
    else -> throw IllegalArgumentException("cldkit cannot take a ${obj::class.qualifiedName} as an option value")
}

/** The entries of a map (keys as strings, in iteration order). */
fun toEntries(map: Map<*, *>): List<Entry> =
    map.map { (k, v) -> Entry(k.toString(), toValue(v)) }

/** An option list from pairs: `options("width" to 300, "crop" to "fill")`. */
fun options(vararg pairs: Pair<String, Any?>): List<Entry> =
    pairs.map { (k, v) -> Entry(k, toValue(v)) }

/** The Kotlin value of a cldkit value: null, Boolean, Long, Double, String, List, or a LinkedHashMap. */
fun Value.toKotlin(): Any? = when (this) {
    is Value.Null -> null
    is Value.Bool -> v
    is Value.Int -> v
    is Value.Float -> v
    is Value.Str -> v
    is Value.Seq -> items.map { it.toKotlin() }
    is Value.Dict -> entries.toKotlinMap()
}

/** The map of entries (insertion order kept). */
fun List<Entry>.toKotlinMap(): Map<String, Any?> {
    val out = LinkedHashMap<String, Any?>(size * 2)
    for (e in this) out[e.key] = e.value.toKotlin()
    return out
}

/** The stable code of any cldkit error (`invalid_option`, `not_found`, ...). */
val CldkitException.info: ErrorInfo
    get() = when (this) {
        is CldkitException.InvalidOptionException -> info
        is CldkitException.ConfigException -> info
        is CldkitException.SignatureException -> info
        is CldkitException.BadRequestException -> info
        is CldkitException.AuthorizationException -> info
        is CldkitException.NotAllowedException -> info
        is CldkitException.NotFoundException -> info
        is CldkitException.AlreadyExistsException -> info
        is CldkitException.RateLimitedException -> info
        is CldkitException.ServerException -> info
        is CldkitException.TimeoutException -> info
        is CldkitException.NetworkException -> info
        is CldkitException.ResponseException -> info
        is CldkitException.IoException -> info
    }
