import ConcordiumWalletCore
import Foundation
#if canImport(os)
import os
#endif

/// Routes the core's log records (Ledger exchanges, recovery scans, flow steps, file formats;
/// never a secret) to the platform's log: OSLog on iOS and macOS, standard error elsewhere.
///
/// Call `try CoreLogging.install(maxLevel: .info)` once at app start; a later call replaces the
/// sink and the level, and `clearLogSink()` stops logging.
public enum CoreLogging {
    /// The OSLog subsystem of the core's records.
    public static let subsystem = "com.concordium.walletcore"

    /// Installs the platform's sink for records up to `maxLevel`: an [OSLogSink] where `os` is
    /// available, a [LineLogSink] writing to standard error otherwise.
    public static func install(maxLevel: LogLevel = .info) throws {
        #if canImport(os)
        try setLogSink(sink: OSLogSink(), maxLevel: maxLevel)
        #else
        try setLogSink(sink: LineLogSink(), maxLevel: maxLevel)
        #endif
    }

    /// A record as one line: `LEVEL target: message`.
    public static func line(level: LogLevel, target: String, message: String) -> String {
        "\(name(of: level)) \(target): \(message)"
    }

    /// The level's name in capitals (`WARN`).
    public static func name(of level: LogLevel) -> String {
        switch level {
        case .error: return "ERROR"
        case .warn: return "WARN"
        case .info: return "INFO"
        case .debug: return "DEBUG"
        case .trace: return "TRACE"
        }
    }
}

/// A sink that hands each record as one line to a closure: the fallback where OSLog does not
/// exist (Linux tools and tests), or for an app that collects the lines itself.
public final class LineLogSink: LogSink, @unchecked Sendable {
    private let write: @Sendable (String) -> Void

    /// `write` gets each line (`LEVEL target: message`), on the thread that logged; by default
    /// it goes to standard error.
    public init(write: @escaping @Sendable (String) -> Void = LineLogSink.standardError) {
        self.write = write
    }

    public func log(level: LogLevel, target: String, message: String) {
        write(CoreLogging.line(level: level, target: target, message: message))
    }

    /// Writes the line and a newline to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

#if canImport(os)
/// A sink that writes the core's records to OSLog (`os.Logger`), category = the record's target.
/// Messages are marked public: the core logs no secrets, and OSLog would otherwise show
/// `<private>` in place of every message outside a debugger.
@available(iOS 14.0, macOS 11.0, *)
public final class OSLogSink: LogSink, @unchecked Sendable {
    private let subsystem: String

    public init(subsystem: String = CoreLogging.subsystem) {
        self.subsystem = subsystem
    }

    public func log(level: LogLevel, target: String, message: String) {
        let logger = Logger(subsystem: subsystem, category: target)
        switch level {
        case .error: logger.error("\(message, privacy: .public)")
        case .warn: logger.warning("\(message, privacy: .public)")
        case .info: logger.info("\(message, privacy: .public)")
        case .debug: logger.debug("\(message, privacy: .public)")
        case .trace: logger.trace("\(message, privacy: .public)")
        }
    }
}
#endif
