import Foundation

/// A temporary directory removed when the value is done with (call `remove()` in a defer).
package struct TemporaryDirectory: Sendable {
    package let url: URL
    package var path: String { url.path }

    /// A new, empty, user-only directory under `$TMPDIR` (else /tmp), made with mkdtemp(3).
    package init(prefix: String = "advisor-tests") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let start = buffer.baseAddress, let path = mkdtemp(start) else { return nil }
            return String(cString: path)
        }
        guard let made else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        url = URL(fileURLWithPath: made, isDirectory: true)
    }

    /// A path inside the directory.
    package func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` (folders made as needed) and returns its path.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    /// Writes `data` to `name` (folders made as needed) and returns its path.
    @discardableResult
    package func write(_ name: String, _ data: Data) throws -> String {
        let target = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target.path
    }

    package func remove() {
        // Restore permissions a test may have taken away so the tree can be deleted: only on
        // the directories it made (unlinking needs nothing of a file), never through a link
        // (chmod follows one: a test's link to /dev/null must not make it 0700).
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            for case let name as String in enumerator {
                let entry = url.appendingPathComponent(name).path
                var info = stat()
                guard lstat(entry, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                chmod(entry, 0o700)
            }
        }
        chmod(path, 0o700)
        try? FileManager.default.removeItem(at: url)
    }
}
