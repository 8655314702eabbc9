import AdvisorEngine
import AdvisorKnowledge
import AdvisorTranscripts
import Foundation

/// The shipped knowledge base's advisor, loaded once per fuzzing process.
public enum Shipped {
    nonisolated(unsafe) public static let advisor: Advisor = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let directory =
            ProcessInfo.processInfo.environment["ADVISOR_KB"] ?? root.appendingPathComponent("KnowledgeBase").path
        do {
            return try Advisor.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("cannot load \(directory): \(error)\n".utf8))
            exit(2)
        }
    }()
}
