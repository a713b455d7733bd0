// Keychain and LocalAuthentication exist on Apple platforms only; elsewhere (the Linux test build)
// this file compiles to nothing.
#if canImport(Security) && canImport(LocalAuthentication)
import Foundation
import LocalAuthentication
import Security

/// Why the storage key could not be created or read. `errorDescription` is a sentence for the user.
public enum KeychainStorageKeyError: Error, Equatable, Sendable {
    /// The user dismissed the Face ID / Touch ID / passcode prompt.
    case userCancelled
    /// No device passcode is set; the item needs one (`kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`).
    case passcodeNotSet
    /// No storage key on this device: never created, or deleted by the system when the passcode
    /// was removed. If a wallet store exists, its secrets must be restored from a backup or phrase.
    case itemMissing
    /// `create()` found a key already there.
    case itemAlreadyExists
    /// Authentication failed (wrong passcode too often, or the prompt could not verify the user).
    case authenticationFailed
    /// The item needs a prompt but none may be shown (the app is in the background).
    case interactionNotAllowed
    /// The stored item is not 32 bytes.
    case damaged(length: Int)
    /// `SecAccessControlCreateWithFlags` failed.
    case accessControl(String)
    /// `SecRandomCopyBytes` failed.
    case randomGenerationFailed(OSStatus)
    /// Any other Keychain status.
    case keychain(OSStatus)
}

extension KeychainStorageKeyError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .userCancelled:
            return "Authentication was cancelled."
        case .passcodeNotSet:
            return "Set a device passcode to protect your wallet."
        case .itemMissing, .damaged:
            return "This wallet's key is missing or damaged on this device. Restore the wallet from a backup file or its recovery phrase."
        case .itemAlreadyExists:
            return "A wallet key already exists on this device."
        case .authenticationFailed:
            return "Your identity could not be confirmed. Try again."
        case .interactionNotAllowed:
            return "Open the app to confirm your identity."
        case .accessControl, .randomGenerationFailed, .keychain:
            return "The device's keychain failed. Try again."
        }
    }
}

/// The wallet's 32-byte storage key in a Keychain item (`kSecClassGenericPassword`) that iOS
/// releases only after user presence (Face ID, Touch ID or the device passcode), on this device
/// only, and only while a passcode is set (removing the passcode deletes the item).
///
/// The key is random and never leaves the Keychain except as the `Data` returned here, which the
/// caller passes to `Wallet.create` / `export` / `previewImport` / `import` and then wipes:
///
/// ```swift
/// let store = KeychainStorageKey()
/// var key = try await store.read(reason: "Export your wallet")
/// defer { key.wipe() }
/// let file = try wallet.export(storageKey: key, password: password, settings: settings,
///                              listener: nil, cancel: nil)
/// ```
///
/// Reading blocks while the system prompt is up: use the `async` variants, or call the
/// synchronous ones off the main thread.
public struct KeychainStorageKey: Sendable {
    public static let keyLength = 32

    public let service: String
    public let account: String

    public init(service: String = "com.concordium.walletcore.storage-key",
                account: String = "storage-key.v1") {
        self.service = service
        self.account = account
    }

    /// Whether the item exists, without a prompt.
    public func exists() -> Bool {
        let context = LAContext()
        context.interactionNotAllowed = true
        var query = baseQuery()
        query[kSecUseAuthenticationContext as String] = context
        query[kSecReturnAttributes as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        let status = SecItemCopyMatching(query as CFDictionary, nil)
        // Found but protected: the Keychain would have to prompt, which is not allowed here.
        return status == errSecSuccess || status == errSecInteractionNotAllowed
    }

    /// Creates a new random storage key (no prompt: there is nothing to protect yet) and returns
    /// it for `Wallet.create`. The caller wipes it. Fails with `.itemAlreadyExists` rather than
    /// replacing a key a wallet store may still need (`delete()` first to start over).
    public func create() throws -> Data {
        try requirePasscode()
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil,
            kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly,
            .userPresence,
            &error
        ) else {
            let message = error.map { String(describing: $0.takeRetainedValue()) } ?? "unknown"
            throw KeychainStorageKeyError.accessControl(message)
        }

        var key = Data(count: Self.keyLength)
        let randomStatus = key.withUnsafeMutableBytes { buffer in
            SecRandomCopyBytes(kSecRandomDefault, Self.keyLength, buffer.baseAddress!)
        }
        guard randomStatus == errSecSuccess else {
            key.wipe()
            throw KeychainStorageKeyError.randomGenerationFailed(randomStatus)
        }

        var query = baseQuery()
        query[kSecValueData as String] = key
        // kSecAttrAccessible must not be set as well: the access control carries it.
        query[kSecAttrAccessControl as String] = access
        let status = SecItemAdd(query as CFDictionary, nil)
        guard status == errSecSuccess else {
            key.wipe()
            if passcodeMissing() { throw KeychainStorageKeyError.passcodeNotSet }
            throw Self.error(for: status)
        }
        return key
    }

    /// Reads the storage key; iOS shows its prompt with `reason` (e.g. "Export your wallet").
    /// Blocks until the user answers: not on the main thread (see `read(reason:)`). Pass a
    /// `context` to reuse an authentication the app already did with it.
    public func readBlocking(reason: String, context: LAContext) throws -> Data {
        context.localizedReason = reason
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        query[kSecUseAuthenticationContext as String] = context

        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        guard status == errSecSuccess else { throw Self.error(for: status) }
        guard var key = item as? Data else { throw KeychainStorageKeyError.damaged(length: 0) }
        item = nil
        guard key.count == Self.keyLength else {
            let length = key.count
            key.wipe()
            throw KeychainStorageKeyError.damaged(length: length)
        }
        return key
    }

    /// `readBlocking(reason:context:)` on a background queue, with a fresh `LAContext`.
    public func read(reason: String) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try self.readBlocking(reason: reason, context: LAContext()) })
            }
        }
    }

    /// Reads the key, or creates it on first use (no item yet): the storage key for this wallet.
    /// Pass `allowCreate: false` for an existing wallet, so a lost key is reported
    /// (`.itemMissing`) instead of being replaced by one the wallet store will refuse.
    public func obtain(reason: String, allowCreate: Bool = true) async throws -> Data {
        if allowCreate && !exists() {
            return try create()
        }
        return try await read(reason: reason)
    }

    /// Reads the key, runs `body` with it and wipes it afterwards, also when `body` throws.
    public func withKey<T>(reason: String, _ body: (Data) throws -> T) async throws -> T {
        var key = try await read(reason: reason)
        defer { key.wipe() }
        return try body(key)
    }

    /// Deletes the item. Every secret sealed under it becomes unreadable: only for a deleted
    /// wallet, or to start over after `.itemMissing` / `.damaged`.
    public func delete() throws {
        let status = SecItemDelete(baseQuery() as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw Self.error(for: status)
        }
    }

    // MARK: - Private

    private func baseQuery() -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }

    private func requirePasscode() throws {
        if passcodeMissing() { throw KeychainStorageKeyError.passcodeNotSet }
    }

    private func passcodeMissing() -> Bool {
        var error: NSError?
        if LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: &error) { return false }
        return error?.domain == LAErrorDomain && error?.code == LAError.Code.passcodeNotSet.rawValue
    }

    private static func error(for status: OSStatus) -> KeychainStorageKeyError {
        switch status {
        case errSecUserCanceled: return .userCancelled
        case errSecItemNotFound: return .itemMissing
        case errSecDuplicateItem: return .itemAlreadyExists
        case errSecAuthFailed: return .authenticationFailed
        case errSecInteractionNotAllowed: return .interactionNotAllowed
        default: return .keychain(status)
        }
    }
}
#endif
