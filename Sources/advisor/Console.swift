import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import Foundation

/// Writes to standard output and error; a closed pipe ends the program quietly.
enum Console {
    /// Called once before exiting because standard output failed (a closed pipe, a full
    /// disk): a session ends its transcript there.
    nonisolated(unsafe) static var exitHandler: (() -> Void)?
    nonisolated(unsafe) private static var failedOutput = false

    /// Writes `text` to standard output as it is.
    static func write(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    /// Writes one line to standard error, made terminal-safe.
    ///
    /// Our own messages have one form: `advisor: error: ...` (or `advisor: warning: ...`).
    static func error(_ line: String) {
        writeAll(STDERR_FILENO, TerminalSafe.neutralize(oneForm(line)) + "\n")
    }

    /// `advisor: cannot ...` as `advisor: error: cannot ...`; anything else as it is.
    static func oneForm(_ line: String) -> String {
        let prefix = "advisor: "
        guard line.hasPrefix(prefix), !line.hasPrefix(prefix + "error: "), !line.hasPrefix(prefix + "warning: ")
        else { return line }
        return prefix + "error: " + line.dropFirst(prefix.count)
    }

    /// Writes `message` to standard error as exactly one line: newlines in it (from an
    /// argument or a file name) are shown as `^J` like every other control character.
    static func errorLine(_ message: String) {
        writeAll(STDERR_FILENO, TerminalSafe.neutralize(oneForm(message), keepNewlines: false) + "\n")
    }

    /// Writes a warning line to standard error.
    static func warning(_ message: String) {
        error("advisor: warning: " + message)
    }

    private static func writeAll(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                if descriptor == STDOUT_FILENO, !failedOutput {
                    failedOutput = true
                    exitHandler?()
                    // `| head` closed the pipe: stop quietly. Any other failure is an I/O error.
                    if code == EPIPE { exit(0) }
                    error("advisor: cannot write to standard output: \(String(cString: strerror(code)))")
                    exit(2)
                }
                return
            }
            offset += written
        }
    }

    /// Ignore SIGPIPE so a closed pipe surfaces as EPIPE, handled above.
    static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}
