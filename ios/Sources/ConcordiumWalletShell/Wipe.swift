import Foundation

public extension Data {
    /// Overwrites the bytes with zeros: for the storage key, a password or a recovery phrase once
    /// the core call returned. Wipes this buffer only; copies made earlier (`let copy = key`)
    /// that were then changed are not reached, so keep one owner.
    mutating func wipe() {
        guard !isEmpty else { return }
        resetBytes(in: startIndex..<endIndex)
    }
}
