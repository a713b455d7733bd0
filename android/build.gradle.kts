// The Android library module (AAR): the UniFFI Kotlin bindings, the native library per ABI and the
// thin platform shell (com.concordium.walletcore.android). Include it from the app's build:
//
//   settings.gradle.kts:  include(":walletcore")
//                         project(":walletcore").projectDir = file("<path to this repo>/android")
//
// Plugin versions come from the including build (AGP 8.6+ for compileSdk 35, Kotlin Gradle
// plugin 2.0+), e.g. in its root build.gradle.kts:
//   plugins { id("com.android.library") version "8.7.3" apply false
//             id("org.jetbrains.kotlin.android") version "2.0.21" apply false }
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

// The generated Kotlin bindings. The committed ones (scripts/gen-bindings) fall back to JNA's
// Cleaner where java.lang.ref.Cleaner is missing (API < 33), so they run on Android as they are;
// point this at an `android = true` generation with -Pwalletcore.bindingsDir=<dir> to use that.
val bindingsDir: String = providers.gradleProperty("walletcore.bindingsDir")
    .getOrElse("${projectDir}/../bindings/kotlin")

// libwallet_core.so per ABI, laid out as <dir>/<abi>/libwallet_core.so, e.g. built with
//   cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o android/build/rust-jniLibs build --release --lib \
//     --features wipe-freed-heap
val rustJniLibsDir: String = providers.gradleProperty("walletcore.jniLibsDir")
    .getOrElse("${projectDir}/build/rust-jniLibs")

android {
    namespace = "com.concordium.walletcore.android"
    compileSdk = 35

    defaultConfig {
        minSdk = 28
        // Shipped in the AAR and applied to the app's R8 build: JNA and the bindings must survive.
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            // src/main/kotlin: Android-only shell. src/main/kotlin-common: platform-free code
            // (StorageKeyWrapping.kt), also compiled and tested on the JVM by tests/kotlin/pom.xml.
            java.srcDirs("src/main/kotlin", "src/main/kotlin-common", bindingsDir)
            jniLibs.srcDir(rustJniLibsDir)
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildTypes {
        release {
            isMinifyEnabled = false // the app's R8 build applies consumer-rules.pro
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17)
    }
}

dependencies {
    // BiometricPrompt with BIOMETRIC_STRONG | DEVICE_CREDENTIAL and a CryptoObject (API 30+);
    // api: obtain() takes a FragmentActivity (androidx.fragment comes with it).
    api("androidx.biometric:biometric:1.1.0")
    // FileProvider, ContextCompat.
    implementation("androidx.core:core:1.13.1")
    // The bindings load libwallet_core.so through JNA; the AAR carries libjnidispatch.so per ABI.
    // Same version as tests/kotlin/pom.xml.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    // Dispatchers.Main for the prompt; the suspend API of BiometricStorageKey.
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
}
