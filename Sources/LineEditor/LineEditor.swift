internal import CEditLine
import Foundation

/// What the user did at the prompt.
public enum LineInput: Equatable, Sendable {
    /// A line was entered (without its newline).
    case line(String)
    /// Ctrl-C: the line being typed was cancelled.
    case interrupted
    /// Ctrl-D on an empty line, or the end of input.
    case endOfFile
}

/// Completes the word before the cursor: given the line up to the cursor, the candidates
/// for the word being typed (whole words; the editor inserts what is missing).
public typealias Completer = (_ lineBeforeCursor: String) -> [String]

/// A line editor on libedit: Emacs keys, persistent history, Ctrl-R search and Tab
/// completion. The only code in the project that knows libedit and the terminal.
public final class LineEditor {
    /// The prompt shown before each line.
    public var prompt: String = "> " {
        didSet { updatePrompt() }
    }
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let completer: Completer?
    /// The most lines kept in the history file.
    public static let historySize = 1000

    /// Starts libedit on the terminal. Returns nil when it cannot (no terminal).
    public init?(program: String, historyFile: String?, completer: Completer?) {
        Self.prepareLocale()
        guard let history = advisor_history_init(Int32(Self.historySize)) else { return nil }
        guard let editLine = advisor_el_init(program) else {
            history_end(history)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.historyFile = historyFile
        self.completer = completer
        advisor_el_set_editor(editLine, "emacs")
        advisor_el_set_signal(editLine, 1)
        advisor_el_set_history(editLine, history)
        advisor_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        advisor_el_set_prompt(editLine) { editLine in
            guard let editLine, let data = advisor_el_get_client_data(editLine) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        advisor_el_add_function(editLine, "advisor-complete", "Complete commands, topics and terms") { editLine, _ in
            guard let editLine, let data = advisor_el_get_client_data(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        advisor_el_bind(editLine, "^I", "advisor-complete")
        advisor_el_bind(editLine, "^R", "em-inc-search-prev")
        el_source(editLine, nil)  // the user's ~/.editrc, as other libedit programs do
        updatePrompt()
        if let historyFile { loadHistory(historyFile) }
        Self.installInterruptHandler()
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    /// Reads one line; Ctrl-C gives `.interrupted`, Ctrl-D on an empty line `.endOfFile`.
    public func readLine() -> LineInput {
        interruptFlag = 0
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count), count > 0 else {
            if interruptFlag != 0 {
                interruptFlag = 0
                return .interrupted
            }
            return .endOfFile
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        if interruptFlag != 0 {
            interruptFlag = 0
            return .interrupted
        }
        return .line(line)
    }

    /// Adds a line to the history and saves the history file (user-only permissions).
    public func remember(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        advisor_history_enter(history, line)
        saveHistory()
    }

    /// Writes the history file now.
    public func saveHistory() {
        guard let historyFile else { return }
        let directory = (historyFile as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let previous = umask(0o077)
        advisor_history_save(history, historyFile)
        umask(previous)
        chmod(historyFile, 0o600)
    }

    private func loadHistory(_ path: String) {
        if FileManager.default.isReadableFile(atPath: path) { advisor_history_load(history, path) }
    }

    private func updatePrompt() {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
    }

    // MARK: Completion

    private func complete() -> UInt8 {
        guard let completer, let info = el_line(editLine) else { return UInt8(CC_ERROR) }
        let start = UnsafeRawPointer(info.pointee.buffer)
        let cursor = UnsafeRawPointer(info.pointee.cursor)
        guard let start, let cursor else { return UInt8(CC_ERROR) }
        let length = start.distance(to: cursor)
        let before = String(decoding: UnsafeRawBufferPointer(start: start, count: max(0, length)), as: UTF8.self)
        let word = String(before.reversed().prefix { !$0.isWhitespace }.reversed())
        let candidates = completer(before).filter { $0.hasPrefix(word) }
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            el_insertstr(editLine, String(candidates[0].dropFirst(word.count)) + " ")
            return UInt8(CC_REFRESH)
        }
        let common = commonPrefix(candidates)
        if common.count > word.count {
            el_insertstr(editLine, String(common.dropFirst(word.count)))
            return UInt8(CC_REFRESH)
        }
        let listing = "\n" + columns(candidates) + "\n"
        FileHandle.standardOutput.write(Data(listing.utf8))
        return UInt8(CC_REDISPLAY)
    }

    private func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    private func columns(_ words: [String]) -> String {
        let width = (words.map(\.count).max() ?? 0) + 2
        let perRow = max(1, Self.terminalWidth() / width)
        var lines: [String] = []
        var index = 0
        while index < words.count {
            let row = words[index..<min(index + perRow, words.count)]
            lines.append(row.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
            index += perRow
        }
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    // MARK: Terminal

    /// The terminal's width in columns, else `$COLUMNS`, else 80; follows resizes.
    public static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }

    /// libedit drops non-ASCII input unless the locale's character type is UTF-8.
    private static func prepareLocale() {
        if setlocale(LC_CTYPE, "") == nil
            || !String(cString: nl_langinfo(nl_item(CODESET))).uppercased().contains("UTF")
        {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// Ctrl-C sets a flag; the handler is installed without SA_RESTART so that
    /// el_gets returns and the loop can cancel the line.
    private static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptFlag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}

/// Set by the SIGINT handler; read after el_gets returns.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0
