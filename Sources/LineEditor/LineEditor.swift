import AdvisorSystem
internal import CEditLine
import Foundation

/// What the user did at the prompt.
public enum LineInput: Equatable, Sendable {
    /// A line was entered (without its newline).
    case line(String)
    /// Ctrl-C (SIGINT): the line being typed was cancelled.
    case interrupted
    /// Ctrl-D on an empty line, or the end of input.
    case endOfFile
    /// SIGTERM or SIGHUP came: the caller saves what it must, calls `close()`, then
    /// `LineEditor.reraise(signal)`.
    case terminated(signal: Int32)
}

/// Completes the word before the cursor: given the line up to the cursor, the candidates
/// for the word being typed (whole words; the editor inserts what is missing).
public typealias Completer = (_ lineBeforeCursor: String) -> [String]

/// A line editor on libedit: Emacs keys, in-memory history, Ctrl-R search, Tab completion and bracketed paste.
///
/// The only code in the project that knows libedit and the terminal.
///
/// Signals are handled here, not by libedit (whose handler re-raises them with
/// `kill(0, sig)`, to the whole process group): SIGINT cancels the line, SIGTERM and
/// SIGHUP end `readLine()` with `.terminated`, SIGTSTP puts the terminal back before the
/// process stops and SIGCONT takes it again, SIGWINCH resizes. Each signal reaches this
/// process only.
public final class LineEditor {
    /// The prompt shown before each line.
    public var prompt: String = "> " {
        didSet { updatePrompt() }
    }
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let completer: Completer?
    /// Whether the terminal is asked to mark pasted text (xterm's bracketed paste).
    private let bracketedPaste: Bool
    private var previousActions: [(Int32, sigaction)] = []
    /// The most lines kept in the history.
    public static let historySize = 1000
    /// The most characters one paste inserts; the rest is dropped.
    public static let pasteLimit = 1 << 18

    /// Starts libedit on the terminal, or returns nil when it cannot (no terminal).
    public init?(program: String, completer: Completer?) {
        Self.prepareLocale()
        guard let history = advisor_history_init(Int32(Self.historySize)) else { return nil }
        guard let editLine = advisor_el_init(program) else {
            history_end(history)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.completer = completer
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        bracketedPaste = isatty(STDOUT_FILENO) == 1 && !term.isEmpty && term != "dumb"
        advisor_el_set_editor(editLine, "emacs")
        advisor_el_set_signal(editLine, 0)
        advisor_el_set_history(editLine, history)
        advisor_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        advisor_el_set_prompt(editLine) { editLine in
            guard let editLine, let data = advisor_el_get_client_data(editLine) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        advisor_el_set_getc(editLine) { editLine, character in
            guard let editLine, let character, let data = advisor_el_get_client_data(editLine) else { return -1 }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().readCharacter(into: character)
        }
        advisor_el_add_function(editLine, "advisor-complete", "Complete commands, topics and terms") { editLine, _ in
            guard let editLine, let data = advisor_el_get_client_data(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        advisor_el_add_function(editLine, "advisor-paste", "Insert pasted text as it is") { editLine, _ in
            guard let editLine, let data = advisor_el_get_client_data(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().paste()
        }
        advisor_el_bind(editLine, "^I", "advisor-complete")
        advisor_el_bind(editLine, "^R", "em-inc-search-prev")
        el_source(editLine, nil)  // the user's ~/.editrc, as other libedit programs do
        // After ~/.editrc: a paste is always inserted as text.
        advisor_el_bind(editLine, Self.pasteStart, "advisor-paste")
        updatePrompt()
        installSignalHandlers()
    }

    deinit {
        close()
        for (signal, action) in previousActions {
            var action = action
            sigaction(signal, &action, nil)
        }
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    /// Reads one line; Ctrl-C gives `.interrupted`, Ctrl-D on an empty line `.endOfFile`,
    /// SIGTERM or SIGHUP `.terminated` (also when one came since the last line).
    public func readLine() -> LineInput {
        if terminationSignal != 0 { return .terminated(signal: terminationSignal) }
        interruptFlag = 0
        let stopAction = Self.install(SIGTSTP) { _ in stopFlag = 1 }
        setBracketedPaste(true)
        var count: Int32 = 0
        let raw = el_gets(editLine, &count)
        setBracketedPaste(false)
        var previous = stopAction
        sigaction(SIGTSTP, &previous, nil)
        if terminationSignal != 0 { return .terminated(signal: terminationSignal) }
        guard let raw, count > 0 else {
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

    /// Adds a line to the in-memory history (Up, Ctrl-R); a line equal to the previous one is kept once.
    ///
    /// A blank line is not added. Saving the history is the caller's business.
    public func remember(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        advisor_history_enter(history, line)
    }

    /// Puts the terminal back as it was (cooked, no bracketed paste).
    ///
    /// `readLine()` does it after each line; call it again before re-raising a signal.
    public func close() {
        setBracketedPaste(false)
        advisor_el_prep_term(editLine, 0)
    }

    /// Ends the process by `signal` as if it had not been caught: the default action,
    /// raised on this process only.
    public static func reraise(_ signal: Int32) -> Never {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, signal)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        raise(signal)
        _exit(128 + signal)
    }

    private func updatePrompt() {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
    }

    // MARK: Reading

    /// What the terminal sends before and after a paste in bracketed-paste mode.
    private static let pasteStart = "\u{1B}[200~"
    private static let pasteEnd: [wchar_t] = "\u{1B}[201~".unicodeScalars.map { wchar_t($0.value) }

    private func setBracketedPaste(_ on: Bool) {
        guard bracketedPaste else { return }
        let sequence = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    /// libedit's read function: one character from the terminal, UTF-8 decoded.
    ///
    /// It waits with the editor's signals blocked except during `pselect`, so none slips in
    /// between a check and the wait. Returns 1 with a character, 0 at the end of input, -1 on
    /// an error or when SIGINT, SIGTERM or SIGHUP came (el_gets then returns).
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        character.pointee = 0
        var blocked = sigset_t()
        var waiting = sigset_t()
        sigemptyset(&blocked)
        for signal in Self.editorSignals { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &waiting)
        defer { pthread_sigmask(SIG_SETMASK, &waiting, nil) }
        var bytes: [UInt8] = []
        while true {
            if interruptFlag != 0 || terminationSignal != 0 {
                errno = EINTR
                return -1
            }
            if stopFlag != 0 {
                stopFlag = 0
                suspend()
            }
            if resizeFlag != 0 {
                resizeFlag = 0
                el_resize(editLine)
            }
            if continueFlag != 0 {
                continueFlag = 0
                advisor_el_refresh(editLine)
            }
            if advisor_wait_readable(STDIN_FILENO, &waiting) < 0 {
                if errno == EINTR { continue }
                return -1
            }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return -1
            }
            if count == 0 { return 0 }
            bytes.append(byte)
            switch Self.decodeUTF8(&bytes) {
            case .some(let scalar):
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            case .none:
                continue
            }
        }
    }

    /// The character `bytes` spell once complete (then `bytes` is emptied); nil while a sequence is incomplete.
    ///
    /// Invalid bytes are dropped, as libedit does.
    private static func decodeUTF8(_ bytes: inout [UInt8]) -> Unicode.Scalar? {
        guard let lead = bytes.first else { return nil }
        let length: Int
        switch lead {
        case 0x00...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default:
            bytes.removeAll()
            return nil
        }
        if bytes.count > 1, let last = bytes.last, last & 0xC0 != 0x80 {
            // Not a continuation byte: the sequence so far is invalid; start again from it.
            bytes = [last]
            return decodeUTF8(&bytes)
        }
        guard bytes.count == length else { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        defer { bytes.removeAll() }
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// SIGTSTP at the prompt: give the terminal back, stop this process (the terminal
    /// sent the signal to the rest of its group itself), and take the terminal again
    /// once continued.
    private func suspend() {
        close()
        let handler = Self.install(SIGTSTP, handler: SIG_DFL)
        var stop = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGTSTP)
        raise(SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &stop, nil)  // stops here until SIGCONT
        pthread_sigmask(SIG_BLOCK, &stop, nil)
        var previous = handler
        sigaction(SIGTSTP, &previous, nil)
        advisor_el_prep_term(editLine, 1)
        setBracketedPaste(true)
        // The SIGCONT that woke this process is still blocked: its flag, seen once the wait
        // lets it in, redraws the line.
    }

    /// Bound to the start of a bracketed paste: reads up to its end and inserts it as text.
    ///
    /// Nothing in it acts as an editing key; newlines and tabs become spaces, other control
    /// characters stay in the line (libedit shows them as `^[`).
    private func paste() -> UInt8 {
        var text: [wchar_t] = []
        var window: [wchar_t] = []
        var dropped = false
        var character: wchar_t = 0
        var ended = false
        while el_wgetc(editLine, &character) == 1 {
            window.append(character)
            if window == Self.pasteEnd {
                ended = true
                break
            }
            if window.count >= Self.pasteEnd.count {
                let first = window.removeFirst()
                if text.count < Self.pasteLimit {
                    text.append(Self.pasted(first))
                } else {
                    dropped = true
                }
            }
        }
        if !ended {
            for character in window where text.count < Self.pasteLimit { text.append(Self.pasted(character)) }
        }
        if !text.isEmpty {
            text.append(0)
            el_winsertstr(editLine, text)
        }
        return UInt8(dropped ? CC_REFRESH_BEEP : CC_REFRESH)
    }

    private static func pasted(_ character: wchar_t) -> wchar_t {
        character == 0x0A || character == 0x0D || character == 0x09 ? 0x20 : character
    }

    // MARK: Signals

    /// The signals the editor handles while reading.
    private static let editorSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH]

    private func installSignalHandlers() {
        previousActions.append((SIGINT, Self.install(SIGINT) { _ in interruptFlag = 1 }))
        let once = SA_RESTART | Int32(bitPattern: UInt32(SA_RESETHAND))
        previousActions.append((SIGTERM, Self.install(SIGTERM, flags: once) { terminationSignal = $0 }))
        previousActions.append((SIGHUP, Self.install(SIGHUP, flags: once) { terminationSignal = $0 }))
        previousActions.append((SIGCONT, Self.install(SIGCONT) { _ in continueFlag = 1 }))
        previousActions.append((SIGWINCH, Self.install(SIGWINCH) { _ in resizeFlag = 1 }))
    }

    /// Installs `handler` for `signal` and returns the previous action.
    ///
    /// With the default `flags` (`SA_RESTART`), interrupted calls are restarted; the editor's
    /// own wait is interrupted all the same. SIGTERM and SIGHUP are handled once: a second one
    /// acts at once, even while an answer is being written.
    @discardableResult
    private static func install(
        _ signal: Int32, flags: Int32 = SA_RESTART, handler: (@convention(c) (Int32) -> Void)?
    ) -> sigaction {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        var previous = sigaction()
        sigaction(signal, &action, &previous)
        return previous
    }

    private static func install(
        _ signal: Int32, flags: Int32 = SA_RESTART, _ handler: @escaping @convention(c) (Int32) -> Void
    ) -> sigaction {
        install(signal, flags: flags, handler: handler)
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
        if let columns = ProcessEnvironment.value("COLUMNS").flatMap(Int.init), columns > 0 {
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
}

// Set by the signal handlers, read by the editor outside them.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0
nonisolated(unsafe) private var terminationSignal: sig_atomic_t = 0
nonisolated(unsafe) private var stopFlag: sig_atomic_t = 0
nonisolated(unsafe) private var continueFlag: sig_atomic_t = 0
nonisolated(unsafe) private var resizeFlag: sig_atomic_t = 0
