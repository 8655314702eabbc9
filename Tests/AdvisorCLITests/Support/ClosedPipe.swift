import AdvisorTestSupport
import Foundation
import Testing

/// Runs `advisor ARGS | head -1` through /bin/sh and reports the advisor's own status.
///
/// /bin/sh may be dash, which has no `set -o pipefail`; the advisor's status and standard
/// error are saved to files from inside the pipeline instead.
enum ClosedPipe {
    struct Outcome: CustomStringConvertible {
        var advisorStatus: Int?
        var advisorStderr: String
        var firstLine: String
        var shell: ProcessResult
        var description: String {
            "advisor exit \(advisorStatus.map(String.init) ?? "?"), stderr: \(advisorStderr)\nshell: \(shell)"
        }
    }

    static func run(_ sandbox: Sandbox, _ arguments: [String]) async throws -> Outcome {
        let advisor = try #require(AdvisorProcess.executable)
        let tag = UUID().uuidString.prefix(8)
        let statusFile = sandbox.path("pipe-status-\(tag)")
        let errorFile = sandbox.path("pipe-stderr-\(tag)")
        let command = ([advisor] + arguments).map(TmuxSession.quote).joined(separator: " ")
        let script =
            "{ \(command) 2>\(TmuxSession.quote(errorFile.path)); echo $? >\(TmuxSession.quote(statusFile.path)); } | head -1"
        let shell = try await sandbox.run("/bin/sh", ["-c", script], timeout: .seconds(30))
        let status = (try? String(contentsOf: statusFile, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "<none>"
        return Outcome(
            advisorStatus: status, advisorStderr: stderr, firstLine: shell.outLines.first ?? "", shell: shell)
    }
}
