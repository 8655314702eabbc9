import AdvisorTestSupport
import Foundation
import Testing

/// Where sessions are saved when nothing says: a checkout's `Transcripts/`, else XDG's data folder.
@Suite("transcripts location")
struct TranscriptsLocationTests {
    @Test("a binary inside a checkout saves to its Transcripts/; elsewhere to $XDG_DATA_HOME/advisor/transcripts")
    func defaultLocation() async throws {
        let sandbox = try Sandbox()
        let built = try #require(AdvisorProcess.executable)
        let kb = try #require(AdvisorProcess.shippedKnowledgeBase).path
        // A copy of the binary in a folder that looks like a checkout.
        try sandbox.write("checkout/Package.swift", "// package\n")
        try FileManager.default.createDirectory(
            at: sandbox.path("checkout/Transcripts"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: sandbox.path("checkout/.build"), withIntermediateDirectories: true)
        let inCheckout = sandbox.path("checkout/.build/advisor").path
        try FileManager.default.copyItem(atPath: built, toPath: inCheckout)
        let first = try await sandbox.run(
            inCheckout, ["--kb", kb, "run", "-"], stdin: Data("who owns mobile?\n".utf8),
            env: ["ADVISOR_TRANSCRIPTS": nil])
        #expect(first.status == 0, "\(first)")
        #expect(sandbox.transcriptFiles(in: sandbox.path("checkout/Transcripts")).count == 1)
        // The same binary outside a checkout: the XDG data folder.
        let elsewhere = sandbox.path("bin/advisor").path
        try FileManager.default.createDirectory(at: sandbox.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: built, toPath: elsewhere)
        let second = try await sandbox.run(
            elsewhere, ["--kb", kb, "run", "-"], stdin: Data("who owns mobile?\n".utf8),
            env: ["ADVISOR_TRANSCRIPTS": nil, "XDG_DATA_HOME": sandbox.path("data").path])
        #expect(second.status == 0, "\(second)")
        #expect(sandbox.transcriptFiles(in: sandbox.path("data/advisor/transcripts")).count == 1)
    }
}
