// Only for building against Debian's kotlinx-coroutines 1.0.1 (libkotlinx-coroutines-java),
// which predates this marker annotation (kotlinx-coroutines 1.5). The generated
// bindings opt in to it around GlobalScope; with a current kotlinx-coroutines (as a
// Gradle or Maven build gets it) this file is not compiled.
package kotlinx.coroutines

@RequiresOptIn(level = RequiresOptIn.Level.WARNING)
@Retention(AnnotationRetention.BINARY)
annotation class DelicateCoroutinesApi
