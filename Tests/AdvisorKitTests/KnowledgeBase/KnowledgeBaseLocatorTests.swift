import AdvisorTestSupport
import Foundation
import Testing

@testable import AdvisorEngine
@testable import AdvisorKnowledge
@testable import AdvisorSystem
@testable import AdvisorText
@testable import AdvisorTranscripts

@Suite("KnowledgeBaseLocator")
struct KnowledgeBaseLocatorTests {
    @Test("--kb wins, then $ADVISOR_KB, then the shipped folder")
    func order() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let executable = temp.file("bin/advisor")
        #expect(
            try KnowledgeBaseLocator.locate(
                option: "/opt", environment: ["ADVISOR_KB": "/env"], executablePath: executable, currentDirectory: "/")
                == "/opt")
        #expect(
            try KnowledgeBaseLocator.locate(
                option: nil, environment: ["ADVISOR_KB": "/env"], executablePath: executable, currentDirectory: "/")
                == "/env")
        try FileManager.default.createDirectory(
            atPath: temp.file("KnowledgeBase/topics"), withIntermediateDirectories: true)
        let found = try KnowledgeBaseLocator.locate(
            option: nil, environment: ["ADVISOR_KB": ""], executablePath: executable, currentDirectory: "/")
        #expect(found.hasSuffix("/KnowledgeBase"))
        #expect(KnowledgeBaseLocator.isKnowledgeBase(found))
    }

    @Test("the current directory's checkout is found, and a miss lists where it looked")
    func fromCurrentDirectory() throws {
        let found = try KnowledgeBaseLocator.locate(
            option: nil, environment: [:], executablePath: "/nonexistent/bin/advisor",
            currentDirectory: TestSupport.repositoryRoot.appendingPathComponent("Sources/AdvisorEngine").path)
        #expect(found == TestSupport.shippedKnowledgeBase)
        let error = try #require(throws: KnowledgeBaseLocator.LocatorError.self) {
            try KnowledgeBaseLocator.locate(
                option: nil, environment: [:], executablePath: "/nonexistent/bin/advisor",
                currentDirectory: "/nonexistent")
        }
        #expect(error.description.contains("--kb DIR"))
        #expect(error.searched.contains("/nonexistent/bin/KnowledgeBase"))
        #expect(error.searched.contains("/nonexistent/share/advisor/KnowledgeBase"))
    }
}
