import Foundation

/// Shows long output through `$PAGER` (default `less`) on a terminal, plainly otherwise.
enum Pager {
    static func show(_ text: String) {
        stream { write in _ = write(text) }
    }

    /// Shows output made piece by piece, without holding it all: plainly when not on a
    /// terminal or while it fits the screen, through the pager from the moment it does not.
    /// `produce` gets a function that takes each piece and returns false once the reader
    /// is gone (the pager quit): then stop producing.
    static func stream(_ produce: ((String) -> Bool) -> Void) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            var held = ""
            produce { piece in
                held += piece
                if held.utf8.count >= 1 << 16 {
                    Console.write(held)
                    held = ""
                }
                return true
            }
            Console.write(held)
            return
        }
        var size = winsize()
        let rows = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 ? Int(size.ws_row) : 24
        let environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"].map { $0.trimmingCharacters(in: .whitespaces) } ?? "less"
        let usable = !pager.isEmpty && pager != "cat"
        var held = ""
        var lineCount = 0
        var running: (process: Process, handle: FileHandle)?
        var gone = false
        func start() -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", pager]
            var childEnvironment = environment
            if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "FRX" }
            process.environment = childEnvironment
            let pipe = Pipe()
            process.standardInput = pipe
            do {
                try process.run()
            } catch {
                return false
            }
            running = (process, pipe.fileHandleForWriting)
            return true
        }
        produce { piece in
            guard !gone else { return false }
            if let running {
                // The pager may quit before reading everything: stop at the broken pipe.
                do {
                    try running.handle.write(contentsOf: Data(piece.utf8))
                } catch {
                    gone = true
                }
                return !gone
            }
            held += piece
            lineCount += piece.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            if usable, lineCount >= rows, start(), let running {
                do {
                    try running.handle.write(contentsOf: Data(held.utf8))
                } catch {
                    gone = true
                }
                held = ""
            }
            return !gone
        }
        guard let running else {
            Console.write(held)
            return
        }
        try? running.handle.close()
        running.process.waitUntilExit()
    }
}
