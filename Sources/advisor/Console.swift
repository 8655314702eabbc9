import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
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

// MARK: The one place errors become exit statuses

extension Console {
    /// Ends the program for `error` with its exit status: 2 for a usage error, the
    /// command's own status otherwise.
    ///
    /// Help and version go to standard output as the argument parser writes them; an
    /// error is one line on standard error, `advisor: error: ...`, with whatever the user
    /// typed neutralised (an escape in an argument is shown as `^[`, never sent raw).
    static func terminate(with error: Error) -> Never {
        if let failure = error as? CommandFailure {
            errorLine("advisor: error: " + failure.message)
            Foundation.exit(failure.exitCode)
        }
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        let code = AdvisorCommand.exitCode(for: error)
        if code == .success { AdvisorCommand.exit(withError: error) }
        Console.errorLine("advisor: error: " + oneLine(error))
        Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }

    /// The argument parser's message, its first letter lower-cased as in the rest of our
    /// messages, and where to find help.
    static func oneLine(_ error: Error) -> String {
        var message = AdvisorCommand.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        let hint = AdvisorCommand.fullMessage(for: error).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("See '") && $0.hasSuffix("for more information.") }
        if let hint, let end = hint.range(of: " for more information.") {
            message += " (see" + hint.dropFirst(3)[..<end.lowerBound] + ")"
        }
        return message
    }
}

/// A command that cannot do what it was asked.
///
/// It is one line on standard error, in the one form `advisor: error: MESSAGE`, and an exit
/// status (2 for bad input or an unusable file or folder, 1 for a check that failed).
/// Commands throw it; `Console.terminate(with:)` is the one place that prints it.
struct CommandFailure: Error {
    /// What went wrong, without the `advisor: error: ` prefix.
    var message: String
    /// The process's exit status.
    var exitCode: Int32

    /// A failure with exit status 2: the input, a file or a folder cannot be used.
    init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }
}
