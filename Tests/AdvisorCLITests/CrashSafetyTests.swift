import AdvisorTestSupport
import Foundation
import Testing

/// Transcripts survive SIGKILL, concurrent sessions and an unwritable folder.
@Suite("crash safety and concurrency")
struct CrashSafetyTests {
    @Test("a SIGKILLed session keeps every answered turn, readable by transcripts show")
    func killedSession() async throws {
        let sandbox = try Sandbox()
        let process = try sandbox.startAdvisor(["run", "--json", "-"])
        let questions = ["What does agile mean to a CIO?", "and to a CMO?", "Who should own mobile?"]
        let answers: [String?] = await offload {
            var lines: [String?] = []
            for question in questions {
                process.writeLine(question)
                lines.append(process.readLine(timeout: .seconds(10)))
            }
            return lines
        }
        #expect(answers.allSatisfy { $0 != nil }, "every question answered before the kill")
        let killed = await offload { process.killNow() }
        #expect(killed.signal == SIGKILL, "\(killed)")

        let file = try #require(sandbox.transcriptFiles().first)
        #expect(sandbox.transcriptFiles().count == 1)
        let events = try JSON.events(file)
        #expect(events.first?["type"] as? String == "session")
        let turns = events.filter { $0["type"] as? String == "turn" }
        #expect(turns.map { $0["question"] as? String } == questions)
        #expect(turns.map { $0["n"] as? Int } == [1, 2, 3])
        #expect(!events.contains { $0["type"] as? String == "end" }, "killed: no end event")
        let id = file.deletingPathExtension().lastPathComponent

        async let show = sandbox.advisor(["transcripts", "show", id])
        async let list = sandbox.advisor(["transcripts", "list", "--json"])
        let (showResult, listResult) = try await (show, list)
        #expect(showResult.status == 0, "\(showResult)")
        for question in questions {
            #expect(showResult.out.contains(question), "\(showResult)")
        }
        let rows = try #require(try JSONSerialization.jsonObject(with: listResult.stdout) as? [[String: Any]])
        #expect(rows.first?["turns"] as? Int == 3)
        #expect(rows.first?["ended"] as? Bool == false)
    }

    @Test("ten sessions started at once write ten intact files, each with its own questions")
    func concurrentSessions() async throws {
        let sandbox = try Sandbox()
        let count = 10
        let results = try await withThrowingTaskGroup(of: (Int, ProcessResult).self) { group in
            for index in 0..<count {
                group.addTask {
                    let script = (1...5).map { "Who should own mobile? session-\(index) question-\($0)" }
                        .joined(separator: "\n")
                    return (index, try await sandbox.advisor(["run", "--json", "-"], input: script + "\n"))
                }
            }
            var all: [Int: ProcessResult] = [:]
            for try await (index, result) in group { all[index] = result }
            return all
        }
        for (index, result) in results {
            #expect(result.status == 0, "session \(index): \(result)")
            #expect(result.outLines.count == 5, "session \(index)")
        }
        let files = sandbox.transcriptFiles()
        #expect(files.count == count, "\(files.map(\.lastPathComponent))")
        #expect(Set(files.map(\.lastPathComponent)).count == files.count)
        var owners: Set<Int> = []
        for file in files {
            let events = try JSON.events(file)
            #expect(events.first?["type"] as? String == "session", "\(file.lastPathComponent)")
            #expect(events.last?["type"] as? String == "end", "\(file.lastPathComponent)")
            #expect(events.first?["id"] as? String == file.deletingPathExtension().lastPathComponent)
            let questions = events.filter { $0["type"] as? String == "turn" }.compactMap { $0["question"] as? String }
            #expect(questions.count == 5, "\(file.lastPathComponent)")
            let sessions = Set(
                questions.compactMap { question in
                    question.split(separator: " ").first { $0.hasPrefix("session-") }
                })
            #expect(sessions.count == 1, "one session's questions only: \(questions)")
            if let only = sessions.first, let index = Int(only.dropFirst("session-".count)) {
                owners.insert(index)
                #expect(questions == (1...5).map { "Who should own mobile? session-\(index) question-\($0)" })
            }
        }
        #expect(owners == Set(0..<count))
        let list = try await sandbox.advisor(["transcripts", "list", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        #expect(rows.count == count)
    }

    @Test("an unwritable transcripts folder gives one warning and the session still answers")
    func unwritableFolder() async throws {
        let sandbox = try Sandbox()
        // Tests run as root, so permissions cannot stop a write: use a folder under a file.
        let blocker = try sandbox.write("not-a-folder.txt", "a file\n")
        let folder = blocker.appendingPathComponent("sub").path
        async let byOption = sandbox.advisor(
            ["run", "--transcripts", folder, "-"], input: "Who should own mobile?\nhello\n")
        async let byEnvironment = sandbox.advisor(
            ["run", "--json", "-"], input: "Who should own mobile?\n/transcript\nhello\n",
            env: ["ADVISOR_TRANSCRIPTS": folder])
        async let bare = sandbox.advisor(
            ["--json"], stdin: Data("hello\n".utf8), env: ["ADVISOR_TRANSCRIPTS": folder])
        let (optionResult, environmentResult, bareResult) = try await (byOption, byEnvironment, bare)
        for result in [optionResult, environmentResult, bareResult] {
            #expect(result.status == 0, "\(result)")
            #expect(result.exitedNormally && !result.err.contains("Fatal error"))
            #expect(result.errLines.count == 1, "exactly one warning: \(result)")
            #expect(result.err.lowercased().contains("warning"), "\(result)")
            #expect(result.err.contains(folder), "the warning names the folder: \(result)")
        }
        #expect(optionResult.out.contains("[mobile-ownership]") && optionResult.out.contains("[smalltalk]"))
        #expect(
            try JSON.lines(environmentResult.out).map { $0["topic"] as? String } == ["mobile-ownership", "smalltalk"])
        #expect(try JSON.lines(bareResult.out).count == 1)
        #expect(FileManager.default.fileExists(atPath: blocker.path))
        #expect(sandbox.transcriptFiles().isEmpty)
    }
}
