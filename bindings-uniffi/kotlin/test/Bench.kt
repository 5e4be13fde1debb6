// W1 through the Kotlin binding: Client.url("sample.jpg", width 300, height 200, crop
// fill), per-call time over N calls after a warm-up (bench.sh runs it).
package io.cldkit.test

import io.cldkit.Client
import io.cldkit.options

fun main(argv: Array<String>) {
    val n = argv.getOrNull(0)?.toInt() ?: 200_000
    val client = Client.fromUrl("cloudinary://k:s@demo?analytics=false", null)
    val expected = "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg"
    check(client.url("sample.jpg", options("width" to 300, "height" to 200, "crop" to "fill")) == expected)
    repeat(3) { round ->
        val start = System.nanoTime()
        for (i in 0 until n) client.url("sample.jpg", options("width" to 300, "height" to 200, "crop" to "fill"))
        val ns = (System.nanoTime() - start).toDouble() / n
        println("kotlin W1 round ${round + 1}: %.0f ns/call".format(ns))
    }
}
