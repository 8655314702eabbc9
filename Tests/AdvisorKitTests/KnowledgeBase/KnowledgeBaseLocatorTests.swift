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

    @Test("candidates are clean absolute paths: relative, dotted and root executables")
    func candidatePaths() throws {
        let dotted = KnowledgeBaseLocator.shippedCandidates(
            executablePath: "/nonexistent/x/../bin/./advisor", currentDirectory: "/work/")
        #expect(
            Array(dotted.prefix(2)) == ["/nonexistent/bin/KnowledgeBase", "/nonexistent/share/advisor/KnowledgeBase"])
        #expect(dotted.contains("/KnowledgeBase"))
        #expect(dotted.contains("/work/KnowledgeBase"))
        #expect(Set(dotted).count == dotted.count)
        #expect(
            dotted.allSatisfy { $0.hasPrefix("/") && !$0.contains("//") && !$0.contains("/./") && !$0.contains("..") })

        let relative = KnowledgeBaseLocator.shippedCandidates(
            executablePath: "nonexistent-build/advisor", currentDirectory: "/home/exec")
        #expect(relative.first == "/home/exec/nonexistent-build/KnowledgeBase")

        let root = KnowledgeBaseLocator.shippedCandidates(executablePath: "/advisor", currentDirectory: "/")
        #expect(root == ["/KnowledgeBase", "/share/advisor/KnowledgeBase"])
    }

    @Test("a linked executable is followed to the checkout it was built in")
    func linkedExecutable() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let real = temp.file("checkout/.build/release/advisor")
        try FileManager.default.createDirectory(
            atPath: temp.file("checkout/.build/release"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: temp.file("checkout/KnowledgeBase/topics"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: real, contents: Data()))
        try FileManager.default.createDirectory(atPath: temp.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: temp.file("bin/advisor"), withDestinationPath: real)
        let found = try KnowledgeBaseLocator.locate(
            option: nil, environment: [:], executablePath: temp.file("bin/advisor"), currentDirectory: "/nonexistent")
        #expect(found == KnowledgeBaseLocator.resolvingLinks(temp.file("checkout")) + "/KnowledgeBase")
    }
}
