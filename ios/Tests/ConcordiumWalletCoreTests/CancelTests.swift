import ConcordiumWalletCore
import Foundation
import XCTest

final class CancelTests: XCTestCase {
    func testATokenStartsUncancelledAndStaysCancelled() {
        let token = CancelToken()
        XCTAssertFalse(token.isCancelled())
        token.cancel()
        XCTAssertTrue(token.isCancelled())
        token.cancel()
        XCTAssertTrue(token.isCancelled())
    }

    func testAnAlreadyCancelledTokenFailsBeforeAnyKeyDerivation() throws {
        let token = CancelToken()
        token.cancel()
        let listener = RecordingListener()
        let w = try wallet()
        let error = assertWalletError { try w.export(password: pw(), settings: ours, listener: listener, cancel: token) }
        XCTAssertEqual(error, .Cancelled(message: "The operation was cancelled."))
        XCTAssertTrue(listener.calls.isEmpty)
    }

    func testCancelFromTheFirstProgressCallbackStopsAnExport() throws {
        let token = CancelToken()
        let listener = RecordingListener { _ in token.cancel() }
        let w = try wallet()
        let error = assertWalletError { try w.export(password: pw(), settings: ours, listener: listener, cancel: token) }
        XCTAssertEqual(error, .Cancelled(message: "The operation was cancelled."))
        XCTAssertEqual(listener.calls.count, 1, "no progress after the cancel")
    }

    func testCancelFromTheFirstProgressCallbackStopsAnOpen() throws {
        let file = try exportSample()
        let token = CancelToken()
        let listener = RecordingListener { _ in token.cancel() }
        XCTAssertEqual(caseName(assertWalletError { try openBackup(file: file, password: pw(), listener: listener, cancel: token) }), "Cancelled")
        XCTAssertEqual(listener.calls.count, 1)
    }

    func testCancelFromAnotherThreadStopsAnExportRunningOnAWorkerThread() throws {
        let token = CancelToken()
        let started = DispatchSemaphore(value: 0)
        let cancelled = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let w = try wallet()
        final class Outcome: @unchecked Sendable { var error: Error?; var listener: RecordingListener? }
        let outcome = Outcome()
        let worker = Thread {
            // The first callback waits until the main thread has cancelled, so the cancel lands
            // mid-derivation however fast the machine is.
            let listener = RecordingListener { call in
                if call.done > 0 && call.done < call.total && !token.isCancelled() {
                    started.signal()
                    _ = cancelled.wait(timeout: .now() + 60)
                }
            }
            outcome.listener = listener
            do {
                _ = try w.export(password: pw(), settings: ours, listener: listener, cancel: token)
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        worker.start()
        // Bounds against a hang only; nothing here depends on how fast the machine is.
        XCTAssertEqual(started.wait(timeout: .now() + 60), .success, "export never reported progress")
        token.cancel()
        cancelled.signal()
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success, "export did not stop")
        XCTAssertEqual(caseName(outcome.error as? WalletError), "Cancelled", "got \(String(describing: outcome.error))")
        let calls = try XCTUnwrap(outcome.listener?.calls)
        XCTAssertEqual(calls.count, 1, "no progress after the cancel")
        XCTAssertLessThan(try XCTUnwrap(calls.last).done, 600_000, "the derivation stopped before the end")
        XCTAssertTrue(calls.allSatisfy(\.onCallingThread), "callbacks on the worker thread")
    }

    func testATokenLeftUncancelledDoesNotDisturbTheCall() throws {
        let token = CancelToken()
        let file = try wallet().export(password: pw(), settings: ours, listener: nil, cancel: token)
        _ = try openBackup(file: file, password: pw(), listener: nil, cancel: token)
        XCTAssertFalse(token.isCancelled())
    }
}
