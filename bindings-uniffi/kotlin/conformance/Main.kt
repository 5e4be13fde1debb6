// Conformance driver: `bindings-uniffi/kotlin/conformance.sh [--profile python|node|default]`.
//
// Reads conformance cases (JSON Lines: {"id", "kind", "config", "input", ...}) on standard
// input and writes one {"id": ..., "result": ...} line per case on standard output,
// running every kind through the Kotlin binding's public API (io.cldkit.Client and the
// package functions). A failing call gives {"error": "<code>: <message>"}, a kind this
// driver does not know {"unsupported": "<kind>"}. Each case gets a fresh client built
// from its config, with the clock frozen at the corpus clock. In the node profile a case
// also runs with the Node.js version the npm SDK's results were recorded with (unless its
// config sets one), and sign_request goes through Client.signRequest with the call's
// secret, algorithm and version as settings.
package io.cldkit.conformance

import io.cldkit.Client
import io.cldkit.CldkitException
import io.cldkit.UploadForm
import io.cldkit.apiSignRequest
import io.cldkit.info
import io.cldkit.parseAccountUrl
import io.cldkit.parseCloudinaryUrl
import io.cldkit.toEntries
import io.cldkit.toKotlin
import io.cldkit.toKotlinMap
import io.cldkit.toValue

const val CORPUS_CLOCK = 1_700_000_000L
const val CORPUS_NODE_VERSION = "20.20.2"

typealias Input = Map<String, Any?>
typealias Handler = (Client, Input, Map<String, Any?>) -> Map<String, Any?>

/** A value of the wrong Kotlin type for a typed parameter (pycloudinary rejects these too). */
class WrongType(message: String) : Exception(message)

@Suppress("UNCHECKED_CAST")
fun opts(inp: Input, name: String = "options"): Map<String, Any?> =
    (inp[name] ?: emptyMap<String, Any?>()) as? Map<String, Any?> ?: throw WrongType("$name must be a map")

fun args(inp: Input, vararg names: String): Map<String, Any?> {
    val out = LinkedHashMap<String, Any?>()
    for (n in names) if (inp.containsKey(n)) out[n] = inp[n]
    return out
}

fun str(v: Any?, what: String): String = v as? String ?: throw WrongType("$what must be a String")

fun local(c: Client, name: String, inp: Input, vararg argNames: String): Any? =
    c.callLocal(name, toEntries(args(inp, *argNames)), toEntries(opts(inp))).toKotlin()

fun form(req: UploadForm): Map<String, Any?> {
    val fields = req.fields.withIndex()
        .sortedWith(compareBy({ it.value.name }, { it.index }))
        .map { listOf(it.value.name, it.value.value) }
    val out = linkedMapOf<String, Any?>("url" to req.url, "fields" to fields)
    req.authorization?.let { out["authorization"] = it }
    return out
}

fun analytics(c: Client, inp: Input): Map<String, Any?> {
    val url = local(c, "url", inp, "source")
    var a: String? = null
    if (url is String && url.contains('?')) {
        a = url.substringAfter('?').split('&').firstOrNull { it.startsWith("_a=") }?.substring(3)
    }
    return mapOf("url" to url, "a" to a)
}

fun signRequest(inp: Input, cfg: Map<String, Any?>): Map<String, Any?> {
    val secret = str(if (inp.containsKey("api_secret")) inp["api_secret"] else cfg["api_secret"], "api_secret")
    val version = if (inp.containsKey("signature_version")) inp["signature_version"] else 2L
    val sig = apiSignRequest(toEntries(opts(inp, "params")), secret, toValue(inp["algorithm"]), toValue(version))
    return mapOf("signature" to sig)
}

/** The npm SDK's api_sign_request(params, secret, algorithm, version). */
fun signRequestNode(inp: Input, cfg: Map<String, Any?>): Map<String, Any?> {
    val settings = LinkedHashMap(cfg)
    if (inp.containsKey("api_secret")) settings["api_secret"] = inp["api_secret"]
    val alg = inp["algorithm"]
    if (alg != null && alg != "" && alg != false && alg != 0L) settings["signature_algorithm"] = alg
    if (inp["signature_version"] != null) settings["signature_version"] = inp["signature_version"]
    val signer = Client.fromConfig(toEntries(settings), "node")
    return mapOf("signature" to signer.signRequest(toEntries(opts(inp, "params"))))
}

fun verifyNotification(c: Client, inp: Input): Map<String, Any?> {
    val now = when (val n = inp["now"] ?: CORPUS_CLOCK) {
        is Long -> n
        is Double -> Math.floor(n).toLong()
        else -> throw WrongType("now must be a number")
    }
    val valid = c.withClock(now).callLocal(
        "verify_notification", toEntries(args(inp, "body", "timestamp", "signature", "valid_for")), emptyList()
    ).toKotlin()
    return mapOf("valid" to valid)
}

/** Python's str() of an upload parameter's value, as the corpus records them. */
fun pyStr(v: Any?): String = when (v) {
    true -> "True"
    false -> "False"
    null -> "None"
    else -> v.toString()
}

fun uploadParams(c: Client, inp: Input): Map<String, Any?> {
    @Suppress("UNCHECKED_CAST")
    val params = c.callLocal("upload_params", emptyList(), toEntries(opts(inp))).toKotlin() as Map<String, Any?>
    return mapOf("params" to params.mapValues { (_, v) -> if (v is List<*>) v.map { pyStr(it) } else pyStr(v) })
}

fun configParse(c: Client, inp: Input): Map<String, Any?> {
    val url = str(inp["url"], "url")
    val settings = if (inp["env"] == "CLOUDINARY_ACCOUNT_URL") parseAccountUrl(url, c.profile())
    else parseCloudinaryUrl(url, c.profile())
    return mapOf("config" to settings.toKotlinMap())
}

val HANDLERS: Map<String, Handler> = mapOf(
    "url" to { c, i, _ -> mapOf("url" to local(c, "url", i, "source")) },
    "analytics" to { c, i, _ -> analytics(c, i) },
    "video_thumbnail_url" to { c, i, _ -> mapOf("url" to local(c, "video_thumbnail_url", i, "public_id")) },
    "auth_token" to { c, i, _ -> mapOf("token" to local(c, "auth_token", i)) },
    "config_parse" to { c, i, _ -> configParse(c, i) },
    "api_url" to { c, i, _ -> mapOf("url" to local(c, "api_url", i, "action")) },
    "sign_request" to { _, i, cfg -> signRequest(i, cfg) },
    "verify_notification" to { c, i, _ -> verifyNotification(c, i) },
    "verify_api_response" to { c, i, _ ->
        mapOf("valid" to c.callLocal("verify_api_response", toEntries(args(i, "public_id", "version", "signature")), emptyList()).toKotlin())
    },
    "upload_params" to { c, i, _ -> uploadParams(c, i) },
    "signed_upload_form" to { c, i, _ -> form(c.uploadForm("upload", toEntries(mapOf("file" to i["file"])), toEntries(opts(i)))) },
    "upload_api_call" to { c, i, _ -> form(c.uploadForm(str(i["method"], "method"), toEntries(opts(i, "args")), toEntries(opts(i)))) },
    "private_download_url" to { c, i, _ -> mapOf("url" to local(c, "private_download_url", i, "public_id", "format")) },
    "download_archive_url" to { c, i, _ -> mapOf("url" to local(c, "download_archive_url", i)) },
    "download_zip_url" to { c, i, _ -> mapOf("url" to local(c, "download_zip_url", i)) },
    "download_folder" to { c, i, _ -> mapOf("url" to local(c, "download_folder", i, "folder_path")) },
    "download_backedup_asset" to { c, i, _ -> mapOf("url" to local(c, "download_backedup_asset", i, "asset_id", "version_id")) },
    "zip_download_url" to { c, i, _ -> mapOf("url" to local(c, "zip_download_url", i, "tag")) },
    "download_generated_sprite" to { c, i, _ -> mapOf("url" to local(c, "download_generated_sprite", i, "tag", "urls")) },
    "download_multi" to { c, i, _ -> mapOf("url" to local(c, "download_multi", i, "tag", "urls")) },
    "image_tag" to { c, i, _ -> mapOf("html" to local(c, "image_tag", i, "public_id")) },
    "video_tag" to { c, i, _ -> mapOf("html" to local(c, "video_tag", i, "public_id")) },
    "picture_tag" to { c, i, _ -> mapOf("html" to local(c, "picture_tag", i, "public_id")) },
)

/** Runs one case through the public API and returns its result object. */
fun runCase(case: Map<String, Any?>, profile: String): Map<String, Any?> {
    val kind = case["kind"] as? String ?: ""
    var handler = HANDLERS[kind]
    if (profile == "node" && kind == "sign_request") handler = { _, i, cfg -> signRequestNode(i, cfg) }
    if (handler == null) return mapOf("unsupported" to kind)
    @Suppress("UNCHECKED_CAST")
    var config = case["config"] as? Map<String, Any?> ?: emptyMap()
    if (profile == "node" && !config.containsKey("tech_version")) config = config + ("tech_version" to CORPUS_NODE_VERSION)
    @Suppress("UNCHECKED_CAST")
    val input = case["input"] as? Map<String, Any?> ?: emptyMap()
    return try {
        val client = Client.fromConfig(toEntries(config), profile).withClock(CORPUS_CLOCK)
        handler(client, input, config)
    } catch (e: CldkitException) {
        mapOf("error" to "${e.info.code}: ${e.info.detail}")
    } catch (e: WrongType) {
        mapOf("error" to "TypeError: ${e.message}")
    } catch (e: IllegalArgumentException) {
        mapOf("error" to "TypeError: ${e.message}")
    }
}

fun main(argv: Array<String>) {
    var profile = "default"
    var n = 0
    while (n < argv.size) {
        when (argv[n]) {
            "--profile" -> { profile = argv.getOrNull(n + 1) ?: "default"; n++ }
            else -> { System.err.println("usage: conformance.sh [--profile default|python|node] < cases.jsonl"); kotlin.system.exitProcess(2) }
        }
        n++
    }
    require(profile in listOf("default", "python", "node")) { "unknown profile $profile" }
    val reader = System.`in`.bufferedReader(Charsets.UTF_8)
    val out = java.io.BufferedWriter(java.io.OutputStreamWriter(System.out, Charsets.UTF_8), 1 shl 16)
    val sb = StringBuilder()
    for (line in reader.lineSequence()) {
        if (line.isBlank()) continue
        @Suppress("UNCHECKED_CAST")
        val case = JsonReader(line).readDocument() as Map<String, Any?>
        sb.setLength(0)
        writeJson(linkedMapOf("id" to case["id"], "result" to runCase(case, profile)), sb)
        sb.append('\n')
        out.write(sb.toString())
    }
    out.flush()
}
