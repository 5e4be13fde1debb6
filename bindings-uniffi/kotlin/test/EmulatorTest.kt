// Tests of the Kotlin binding: an upload to the local Cloudinary emulator
// ($CLDKIT_EMULATOR, else target/debug/cldkit-emulator) listed back through both the
// blocking and the suspending call, typed errors, and int/float options. Prints one
// line per test and "N passed, N failed"; exits non-zero on a failure.
package io.cldkit.test

import io.cldkit.Client
import io.cldkit.CldkitException
import io.cldkit.calls
import io.cldkit.errorKinds
import io.cldkit.info
import io.cldkit.options
import io.cldkit.toEntries
import io.cldkit.toKotlin
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking

class Failure(message: String) : Exception(message)

fun check(cond: Boolean, what: () -> String) { if (!cond) throw Failure(what()) }

fun <T> eq(expected: T, actual: T) = check(expected == actual) { "expected <$expected>, got <$actual>" }

/** A running cldkit-emulator on a free loopback port. */
class Emulator : AutoCloseable {
    private val data = Files.createTempDirectory("cldkit-kt-emu-").toFile()
    private val proc: Process
    val cloudinaryUrl: String

    init {
        val target = System.getenv("CARGO_TARGET_DIR") ?: "target"
        val binary = System.getenv("CLDKIT_EMULATOR") ?: "$target/debug/cldkit-emulator"
        check(File(binary).canExecute()) { "emulator not found at $binary" }
        proc = ProcessBuilder(binary, "--port", "0", "--data", data.path)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start()
        val line = proc.inputStream.bufferedReader().readLine()?.trim() ?: ""
        check(line.startsWith("CLOUDINARY_URL=")) { "unexpected emulator output '$line'" }
        cloudinaryUrl = line.substringAfter('=')
    }

    override fun close() {
        proc.destroy()
        proc.waitFor()
        data.deleteRecursively()
    }
}

@Suppress("UNCHECKED_CAST")
fun uploadThenList() = Emulator().use { emu ->
    val client = Client.fromUrl(emu.cloudinaryUrl, null)
    val file = File.createTempFile("pixel", ".gif")
    try {
        // A 1x1 GIF.
        file.writeBytes(java.util.Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="))
        val up = client.callBlocking(
            "upload", options("file" to file.path), options("public_id" to "kt/pixel", "tags" to listOf("uniffi-kt"))
        ).toKotlin() as Map<String, Any?>
        eq("kt/pixel", up["public_id"])
        eq("gif", up["format"])
        check(up["version"] is Long) { "version ${up["version"]} is not an integer" }
        // The second upload through the suspending call.
        val up2 = runBlocking {
            client.call("upload", options("file" to file.path), options("public_id" to "kt/pixel2", "tags" to listOf("uniffi-kt")))
        }.toKotlin() as Map<String, Any?>
        eq("kt/pixel2", up2["public_id"])
    } finally {
        file.delete()
    }
    val listed = client.callBlocking("resources_by_tag", options("tag" to "uniffi-kt"), emptyList()).toKotlin() as Map<String, Any?>
    val ids = (listed["resources"] as List<Map<String, Any?>>).map { it["public_id"] }.sortedBy { it.toString() }
    eq(listOf("kt/pixel", "kt/pixel2"), ids)
    val listedAsync = runBlocking { client.call("resources_by_tag", options("tag" to "uniffi-kt"), emptyList()) }
        .toKotlin() as Map<String, Any?>
    eq(2, (listedAsync["resources"] as List<*>).size)
    try {
        client.callBlocking("resource", options("public_id" to "kt/missing"), emptyList())
        throw Failure("no error for a missing asset")
    } catch (e: CldkitException.NotFoundException) {
        eq("not_found", e.info.code)
        eq(404.toUShort(), e.info.status)
    }
}

fun urlKeepsIntAndFloatApart() {
    val c = Client.fromUrl("cloudinary://k:s@demo?analytics=false", null)
    eq("https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg",
        c.url("sample.jpg", options("width" to 300, "height" to 200, "crop" to "fill")))
    eq("https://res.cloudinary.com/demo/image/upload/w_2.0/sample.jpg", c.url("sample.jpg", options("width" to 2.0)))
}

fun signatureMatchesTheDocumentedExample() {
    // Cloudinary's documented example: public_id=sample_image&timestamp=1315060510 + "abcd".
    val c = Client.fromConfig(toEntries(mapOf("cloud_name" to "demo", "api_key" to "1234", "api_secret" to "abcd")), "python")
    eq("b4ad47fb4e25c7bf5f92a20089f9db59bc302313",
        c.signRequest(options("public_id" to "sample_image", "timestamp" to "1315060510")))
}

fun errorsAreTyped() {
    val c = Client.fromUrl("cloudinary://k:s@demo", null)
    try {
        c.callLocal("no_such_call", emptyList(), emptyList())
        throw Failure("no error for an unknown call")
    } catch (e: CldkitException.InvalidOptionException) {
        eq("invalid_option", e.info.code)
    }
    try {
        Client.fromUrl("not a url", null)
        throw Failure("no error for a bad URL")
    } catch (e: CldkitException.ConfigException) {
        eq("config", e.info.code)
    }
    // Every kind of the engine's table has its exception class.
    val classes = CldkitException::class.sealedSubclasses.map { it.simpleName }.toSet()
    for (k in errorKinds()) {
        check(k.className.removeSuffix("Error") + "Exception" in classes) { "no exception class for ${k.className}" }
    }
    check(calls().any { it.name == "upload" && it.network }) { "upload is not a network call in the catalogue" }
}

fun main() {
    val tests = listOf(
        "upload_then_list" to ::uploadThenList,
        "url_keeps_int_and_float_apart" to ::urlKeepsIntAndFloatApart,
        "signature_matches_the_documented_example" to ::signatureMatchesTheDocumentedExample,
        "errors_are_typed" to ::errorsAreTyped,
    )
    var failed = 0
    for ((name, t) in tests) {
        try {
            t()
            println("ok   $name")
        } catch (e: Throwable) {
            failed++
            println("FAIL $name: $e")
        }
    }
    println("${tests.size - failed} passed, $failed failed")
    if (failed > 0) kotlin.system.exitProcess(1)
}
