// The Android library module (AAR): the UniFFI Kotlin bindings, the native library per ABI, the
// thin platform shell (com.concordium.walletcore.android) and its screens (…android.ui). Framework
// APIs only, no androidx. Include it from the app's build:
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
//     --no-default-features --features wipe-freed-heap
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

    testOptions {
        // Local unit tests load the host build of the library (cargo build --lib), as android/pom.xml does.
        unitTests.all {
            it.jvmArgs("--add-opens=java.base/java.io=ALL-UNNAMED")
            it.systemProperty(
                "uniffi.component.wallet_core.libraryOverride",
                "${projectDir}/../target/debug/libwallet_core.so",
            )
            it.systemProperty("walletcore.fixture.cryptox", "${projectDir}/../../shared/fixtures/cryptox-testnet-export.concordiumwallet")
        }
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
    // Android framework APIs only (BiometricPrompt, Keystore, ContentProvider, Activity, views):
    // no androidx, so the module builds from Maven Central alone (android/pom.xml does, with the
    // same sources). The bindings load libwallet_core.so through JNA; the AAR carries
    // libjnidispatch.so per ABI. Same version as android/pom.xml and tests/kotlin/pom.xml.
    implementation("net.java.dev.jna:jna:5.17.0@aar")

    // The Robolectric tests in src/test/kotlin (run here by android/pom.xml; with Gradle they run
    // as local unit tests). Same versions as android/pom.xml.
    testImplementation("org.robolectric:robolectric:4.17")
    testImplementation("junit:junit:4.13.2")
}
