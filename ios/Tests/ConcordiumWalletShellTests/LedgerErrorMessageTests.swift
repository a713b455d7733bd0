import ConcordiumWalletCore
import ConcordiumWalletShell
import Foundation
import XCTest

/// What an app shows for a Ledger error: the core's sentence, not the generated debug form. The
/// errors come from the bridge itself, over transports that fail the ways a phone's BLE or USB
/// transport reports (LedgerTests covers the emulated device).
final class LedgerErrorMessageTests: XCTestCase {
    /// A platform transport that fails every exchange with `error`.
    private final class Failing: LedgerExchange, @unchecked Sendable {
        let error: Error
        init(_ error: Error) { self.error = error }
        func exchange(apdu: Data, timeoutMs: UInt64) throws -> Data { throw error }
        func describe() -> String { "failing" }
    }

    private func bridgeError(_ transportError: Error) -> LedgerBridgeError? {
        do {
            _ = try LedgerBridge.platform(transport: Failing(transportError)).appInfo()
            XCTFail("the call succeeded")
        } catch let error as LedgerBridgeError {
            return error
        } catch {
            XCTFail("not a LedgerBridgeError: \(error)")
        }
        return nil
    }

    func testLocalizedDescriptionIsTheCoresSentence() throws {
        let noDevice = try XCTUnwrap(bridgeError(LedgerTransportError.NoDevice))
        guard case .NoDevice = noDevice else { return XCTFail("\(noDevice)") }
        XCTAssertEqual(noDevice.localizedDescription, "No Ledger was found. Connect it, unlock it and open the Concordium app.")
        XCTAssertEqual((noDevice as LocalizedError).errorDescription, noDevice.message)

        let closed = try XCTUnwrap(bridgeError(LedgerTransportError.Closed))
        guard case .AppClosed = closed else { return XCTFail("\(closed)") }
        XCTAssertTrue(closed.localizedDescription.hasPrefix("The Concordium app closed"), closed.localizedDescription)
    }

    func testEveryTransportFailureReadsAsASentence() throws {
        let errors = [
            bridgeError(LedgerTransportError.NoDevice),
            bridgeError(LedgerTransportError.Closed),
            bridgeError(LedgerTransportError.Timeout),
            bridgeError(LedgerTransportError.Failed(reason: "Bluetooth is off")),
            bridgeError(CocoaError(.fileReadUnknown)), // not a LedgerTransportError: still typed
        ]
        XCTAssertEqual(errors.compactMap { $0 }.count, errors.count)
        for case let error? in errors {
            let text = error.localizedDescription
            XCTAssertEqual(text, error.message, "\(error)")
            XCTAssertTrue(text.first?.isUppercase ?? false, "starts like a sentence: \(text)")
            XCTAssertFalse(text.contains("LedgerBridgeError") || text.contains("message:"), "debug form: \(text)")
        }
        guard case .Transport(let failed)? = errors[3] else { return XCTFail("\(String(describing: errors[3]))") }
        XCTAssertTrue(failed.contains("Bluetooth is off"), failed)
    }
}
