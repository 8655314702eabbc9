import Foundation

/// Shows long output through `$PAGER` (default `less`) on a terminal, plainly otherwise.
enum Pager {
    static func show(_ text: String) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            Console.write(text)
            return
        }
        var size = winsize()
        let rows = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 ? Int(size.ws_row) : 24
        let lineCount = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        let environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"].map { $0.trimmingCharacters(in: .whitespaces) } ?? "less"
        guard lineCount >= rows, !pager.isEmpty, pager != "cat" else {
            Console.write(text)
            return
        }
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
            Console.write(text)
            return
        }
        let handle = pipe.fileHandleForWriting
        // The pager may quit before reading everything: ignore the broken pipe.
        try? handle.write(contentsOf: Data(text.utf8))
        try? handle.close()
        process.waitUntilExit()
    }
}
