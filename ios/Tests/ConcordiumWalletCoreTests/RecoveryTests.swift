import ConcordiumWalletCore
import Foundation
import XCTest

/// Concordium's published key-derivation vectors for `TEST_SEED_1` (concordium-base
/// `rust-src/key_derivation/src/lib.rs` tests, concordium-node-sdk-js `HdWallet.test.ts`).
private let testSeed1 = "efa5e27326f8fa0902e647b52449bf335b7b605adc387015ec903f41d95080eb71361cbc7fb78721dcd4f3926a337340aa1406df83332c44c1cdcfe100603860"

/// The global on-chain commitment key the credId vectors use.
private let commitmentKey = "b14cbfe44a02c6b1f78711176d5f437295367aa4f2a8c2551ee10d25a03adc69d61a332a058971919dad7312e1fc94c5a8d45e64b6f917c540eee16c970c3d4b7f3caf48a7746284878e2ace21c82ea44bf84609834625be1f309988ac523fac"

final class RecoveryTests: XCTestCase {
    private func deriver(_ network: Network) throws -> KeyDeriver {
        try KeyDeriver(seed: seedFromHex(hex: Data(testSeed1.utf8)), network: network)
    }

    func testANewPhraseHas24ValidWordsAndGivesA64ByteSeed() throws {
        var phrase = try generateRecoveryPhrase()
        XCTAssertEqual(String(decoding: phrase, as: UTF8.self).split(separator: " ").count, 24)
        let check = try checkRecoveryPhrase(phrase: phrase)
        XCTAssertEqual(check.status, .valid)
        XCTAssertTrue(check.is24Words)
        var seed = try seedFromRecoveryPhrase(phrase: phrase)
        XCTAssertEqual(seed.count, 64)
        phrase.resetBytes(in: 0..<phrase.count)
        seed.resetBytes(in: 0..<seed.count)
    }

    func testTypingMistakesAreReportedNextToTheRightWord() throws {
        let typo = try checkRecoveryPhrase(phrase: Data((String(repeating: "abandon ", count: 11) + "abuot").utf8))
        XCTAssertEqual(typo.status, .unknownWords)
        XCTAssertEqual(typo.unknownWords.first?.position, 12)
        XCTAssertTrue(typo.unknownWords.first?.suggestions.contains("about") ?? false, "\(typo.unknownWords)")
        XCTAssertEqual(typo.message, "Word 12 is not in the recovery-phrase word list.")
        let checksum = try checkRecoveryPhrase(phrase: Data(Array(repeating: "abandon", count: 12).joined(separator: " ").utf8))
        XCTAssertEqual(checksum.status, .badChecksum)
        XCTAssertEqual(try checkRecoveryPhrase(phrase: Data("abandon abandon".utf8)).status, .wrongWordCount)
        XCTAssertTrue(try suggestPhraseWords(partial: Data("aban".utf8)).contains("abandon"))
        let error = assertWalletError { try seedFromRecoveryPhrase(phrase: Data("abandon abandon".utf8)) }
        XCTAssertEqual(caseName(error), "InvalidPhrase")
    }

    /// One network's row of the published table: hex of each derived value.
    private struct Vectors {
        let network: Network
        let signingKey0_55_7: String
        let publicKey1_341_9: String
        let idCredSec2_115: String
        let prfKey3_35: String
        let blindingRandomness4_5713: String
        let attributeRandomness5_0_4_0: String
        let credentialId10_50_5: String
        let vcBackupEncryptionKey: String
    }

    private func assertVectors(_ v: Vectors) throws {
        let d = try deriver(v.network)
        XCTAssertEqual(try d.accountSecrets(idp: 0, identity: 55, credential: 7, commitmentKeyHex: nil).signingKey.hex, v.signingKey0_55_7)
        XCTAssertEqual(try d.account(idp: 1, identity: 341, credential: 9, commitmentKeyHex: nil).publicKeyHex, v.publicKey1_341_9)
        XCTAssertEqual(try d.identitySecrets(idp: 2, identity: 115).idCredSec.hex, v.idCredSec2_115)
        XCTAssertEqual(try d.identitySecrets(idp: 3, identity: 35).prfKey.hex, v.prfKey3_35)
        XCTAssertEqual(try d.identitySecrets(idp: 4, identity: 5713).blindingRandomness.hex, v.blindingRandomness4_5713)
        XCTAssertEqual(try d.attributeCommitmentRandomness(idp: 5, identity: 0, credential: 4, attributeTag: 0).hex,
                       v.attributeRandomness5_0_4_0)
        XCTAssertEqual(try d.account(idp: 10, identity: 50, credential: 5, commitmentKeyHex: commitmentKey).credentialIdHex,
                       v.credentialId10_50_5)
        XCTAssertEqual(try d.vcBackupEncryptionKey().hex, v.vcBackupEncryptionKey)
    }

    func testMainnetKeysMatchThePublishedVectors() throws {
        try assertVectors(Vectors(
            network: .mainnet,
            signingKey0_55_7: "e4d1693c86eb9438feb9cbc3d561fbd9299e3a8b3a676eb2483b135f8dbf6eb1",
            publicKey1_341_9: "d54aab7218fc683cbd4d822f7c2b4e7406c41ae08913012fab0fa992fa008e98",
            idCredSec2_115: "33b9d19b2496f59ed853eb93b9d374482d2e03dd0a12e7807929d6ee54781bb1",
            prfKey3_35: "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5",
            blindingRandomness4_5713: "1e3633af2b1dbe5600becfea0324bae1f4fa29f90bdf419f6fba1ff520cb3167",
            attributeRandomness5_0_4_0: "6ef6ba6490fa37cd517d2b89a12b77edf756f89df5e6f5597440630cd4580b8f",
            credentialId10_50_5: "8a3a87f3f38a7a507d1e85dc02a92b8bcaa859f5cf56accb3c1bc7c40e1789b4933875a38dd4c0646ca3e940a02c42d8",
            vcBackupEncryptionKey: "5032086037b639f116642752460bf2e2b89d7278fe55511c028b194ba77192a1"
        ))
    }

    func testTestnetKeysMatchThePublishedVectors() throws {
        try assertVectors(Vectors(
            network: .testnet,
            signingKey0_55_7: "aff97882c6df085e91ae2695a32d39dccb8f4b8d68d2f0db9637c3a95f845e3c",
            publicKey1_341_9: "ef6fd561ca0291a57cdfee896245db9803a86da74c9a6c1bf0252b18f8033003",
            idCredSec2_115: "33c9c538e362c5ac836afc08210f4b5d881ba65a0a45b7e353586dad0a0f56df",
            prfKey3_35: "41d794d0b06a7a31fb79bb76c44e6b87c63e78f9afe8a772fc64d20f3d9e8e82",
            blindingRandomness4_5713: "079eb7fe4a2e89007f411ede031543bd7f687d50341a5596e015c9f2f4c1f39b",
            attributeRandomness5_0_4_0: "409fa90314ec8fb4a2ae812fd77fe58bfac81765cad3990478ff7a73ba6d88ae",
            credentialId10_50_5: "9535e4f2f964c955c1dd0f312f2edcbf4c7d036fe3052372a9ad949ff061b9b7ed6b00f93bc0713e381a93a43715206c",
            vcBackupEncryptionKey: "10f85290e33b1a79a0330180c4b6c67fd9ad1a1dd3d0f918ab1cbcf8787fc3ca"
        ))
        // The default commitment key is the published global one; the address follows the rule
        // of concordium-base (Base58Check, version byte 1, of SHA-256 of the credential id).
        let first = try deriver(.testnet).account(idp: 0, identity: 0, credential: 1, commitmentKeyHex: nil)
        XCTAssertEqual(first.credentialIdHex,
                       "b317d3fea7de56f8c96f6e72820c5cd502cc0eef8454016ee548913255897c6b52156cc60df965d3efb3f160eff6ced4")
        XCTAssertEqual(first.address, "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7")
    }

    func testBadSeedsAreInvalidSeed() {
        XCTAssertEqual(caseName(assertWalletError { try KeyDeriver(seed: Data(count: 10), network: .mainnet) }), "InvalidSeed")
        XCTAssertEqual(caseName(assertWalletError { try seedFromHex(hex: Data("xyz".utf8)) }), "InvalidSeed")
    }

    func testRestoreFindsExistingAccountsAndStopsAfter20Misses() throws {
        let d = try deriver(.testnet)
        let existing = Set(try [0, 1, 4].map { try d.account(idp: 2, identity: 0, credential: UInt8($0), commitmentKeyHex: nil).address })
        let directory = Directory { _, address in existing.contains(address) ? .exists : .missing }
        let found = try d.restore(identityProviders: [2], directory: directory, commitmentKeyHex: nil)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(Set(found[0].accounts.map(\.address)), existing)
        XCTAssertEqual(found[0].nextCredential, 5)
        // Identity 0: counters 0...24 (20 misses after 4); identities 1...20: 20 misses each.
        XCTAssertEqual(directory.lookups, 25 + 20 * 20)

        let failing = Directory { _, _ in .failed(reason: "the node did not answer") }
        let error = assertWalletError { try d.restore(identityProviders: [2], directory: failing, commitmentKeyHex: nil) }
        XCTAssertEqual(caseName(error), "LookupFailed")
        XCTAssertTrue("\(String(describing: error))".contains("the node did not answer"))
        let cancelling = Directory { _, _ in .cancelled }
        XCTAssertEqual(caseName(assertWalletError { try d.restore(identityProviders: [2], directory: cancelling, commitmentKeyHex: nil) }), "Cancelled")
    }
}

/// An `AccountDirectory` answering from a closure and counting the lookups.
final class Directory: AccountDirectory, @unchecked Sendable {
    private let answer: (Network, String) -> LookupAnswer
    private let lock = NSLock()
    private var count = 0

    init(_ answer: @escaping (Network, String) -> LookupAnswer) { self.answer = answer }

    var lookups: Int { lock.lock(); defer { lock.unlock() }; return count }

    func accountExists(network: Network, credentialIdHex: String, address: String) -> LookupAnswer {
        lock.lock()
        count += 1
        lock.unlock()
        return answer(network, address)
    }
}
