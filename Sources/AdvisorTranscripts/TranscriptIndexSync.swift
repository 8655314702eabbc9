import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

extension TranscriptIndex {
    /// What the index knows of a transcript file it has read.
    struct IndexedFile {
        var file: Int64
        var size: Int64
        var seconds: Int64
        var nanoseconds: Int64
        var inode: Int64

        /// Whether `info` (from `lstat`) describes the same regular file, unchanged.
        func isCurrent(_ info: stat) -> Bool {
            (info.st_mode & S_IFMT) == S_IFREG && Int64(info.st_size) == size
                && Int64(info.st_mtim.tv_sec) == seconds && Int64(info.st_mtim.tv_nsec) == nanoseconds
                && Int64(bitPattern: UInt64(info.st_ino)) == inode
        }
    }

    /// Brings the index up to date with the transcripts `ids` (the folder's listing), in one transaction.
    ///
    /// A file new, or changed in size, modification time or inode, is read again; one no
    /// longer listed is dropped. A file that cannot be read is left out and warned about, as
    /// the scan does (not when `--since` rules it out by date: the scan does not open those).
    /// Returns the name of every file the index now holds, by its row id.
    func synchronize(_ ids: [String], matcher: SearchMatcher, warn: (String) -> Void) throws(SQLiteError)
        -> [Int64: String]
    {
        try database.execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let folder = open(store.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if folder >= 0 { close(folder) } }
            // The files are checked while the index's own list of them is read: both take
            // about as long at 100,000 transcripts, and neither waits for the other.
            let checking = Self.statusesInBackground(of: ids, in: folder)
            defer { checking.wait() }  // before the folder is closed, even on failure
            var known = try indexedFiles()
            let writer = try IndexWriter(database)
            // Unreadable files are warned about in id order, as the scan meets them.
            var problems: [(id: String, warning: String)] = []
            var names: [Int64: String] = [:]
            names.reserveCapacity(ids.count)
            let infos = checking.wait()
            for (id, status) in zip(ids, infos) {
                let old = known.removeValue(forKey: id)
                if let status, let old, old.isCurrent(status) {
                    names[old.file] = id
                    continue
                }
                if let old { try writer.remove(old.file) }
                let path = store.path(of: id)
                var turns: [(line: Int, turn: SearchedTurn)] = []
                do {
                    try BoundedFile.forEachLine(
                        path, followSymlinks: false, maximumLineLength: TranscriptParser.maximumLineLength
                    ) { line, number, _ in
                        if TranscriptParser.contains(line, TranscriptParser.turnMarker),
                            let turn = SearchedTurn(line: line)
                        {
                            turns.append((number, turn))
                        }
                        return true
                    }
                } catch {
                    if matcher.admitsFile(modifiedAt: status.map { Double($0.st_mtim.tv_sec) }) {
                        problems.append((id, TranscriptError.cannotRead(path, error.description).description))
                    }
                    continue
                }
                names[try writer.add(id, info: status ?? stat(), turns: turns)] = id
            }
            for old in known.values { try writer.remove(old.file) }
            try writer.dropUnusedTexts()
            try database.execute("COMMIT")
            for problem in problems.sorted(by: { $0.id < $1.id }) { warn(problem.warning) }
            return names
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// `statuses(of:in:)` started on another thread; `wait()` gives its result.
    static func statusesInBackground(of ids: [String], in folder: Int32) -> PendingStatuses {
        let pending = PendingStatuses()
        let group = pending.group
        group.enter()
        DispatchQueue.global().async {
            pending.result = statuses(of: ids, in: folder)
            group.leave()
        }
        return pending
    }

    /// The statuses of a check running on another thread.
    final class PendingStatuses: @unchecked Sendable {
        // Written once by the checking thread before it leaves the group; read after `wait`.
        fileprivate var result: [stat?] = []
        fileprivate let group = DispatchGroup()

        /// Waits for the check to end, and gives its statuses.
        @discardableResult
        func wait() -> [stat?] {
            group.wait()
            return result
        }
    }

    /// `lstat` of each transcript in `folder` (nil where it fails), on every core: the
    /// freshness check of a search over 100,000 transcripts is mostly these calls.
    static func statuses(of ids: [String], in folder: Int32) -> [stat?] {
        var statuses: [stat?] = Array(repeating: nil, count: ids.count)
        guard folder >= 0 else { return statuses }
        let parts = ids.count < 2_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        statuses.withUnsafeMutableBufferPointer { buffer in
            // Each part writes only its own range of the buffer.
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for index in (ids.count * part / parts)..<(ids.count * (part + 1) / parts) {
                    var info = stat()
                    if fstatat(folder, ids[index] + TranscriptStore.fileExtension, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                        shared[index] = info
                    }
                }
            }
        }
        return statuses
    }

    /// Every file the index holds, by transcript id.
    private func indexedFiles() throws(SQLiteError) -> [String: IndexedFile] {
        let count = try database.integer("SELECT count(*) FROM files") ?? 0
        let statement = try database.prepare("SELECT name, file, size, mtime_s, mtime_ns, inode FROM files")
        var files: [String: IndexedFile] = [:]
        files.reserveCapacity(Int(count))
        while try statement.step() {
            files[statement.text(0)] = IndexedFile(
                file: statement.int64(1), size: statement.int64(2), seconds: statement.int64(3),
                nanoseconds: statement.int64(4), inode: statement.int64(5))
        }
        return files
    }
}

/// Adds and removes files' rows during one synchronisation: its statements are prepared
/// once, and the ids of texts and topics met are remembered.
private final class IndexWriter {
    let database: SQLiteDatabase
    let insertFile: SQLiteStatement
    let insertTurn: SQLiteStatement
    let findText: SQLiteStatement
    let insertText: SQLiteStatement
    let indexText: SQLiteStatement
    let findTopic: SQLiteStatement
    let insertTopic: SQLiteStatement
    let textsOfFile: SQLiteStatement
    let deleteTurns: SQLiteStatement
    let deleteFile: SQLiteStatement
    let textInUse: SQLiteStatement
    let textByID: SQLiteStatement
    let unindexText: SQLiteStatement
    let deleteText: SQLiteStatement
    private var textIDs: [ExactText: Int64] = [:]
    private var topicIDs: [ExactText: Int64] = [:]
    /// Texts of removed turns, dropped at the end if no turn uses them any more.
    private var maybeUnused: Set<Int64> = []

    init(_ database: SQLiteDatabase) throws(SQLiteError) {
        self.database = database
        insertFile = try database.prepare(
            "INSERT INTO files(name, size, mtime_s, mtime_ns, inode) VALUES (?, ?, ?, ?, ?)")
        insertTurn = try database.prepare(
            "INSERT INTO turns(file, line, n, at, topic, question, answer) VALUES (?, ?, ?, ?, ?, ?, ?)")
        findText = try database.prepare("SELECT id, text FROM texts WHERE hash = ?")
        insertText = try database.prepare("INSERT INTO texts(hash, text) VALUES (?, ?)")
        indexText = try database.prepare("INSERT INTO text_index(rowid, folded) VALUES (?, ?)")
        findTopic = try database.prepare("SELECT id FROM topics WHERE name = ?")
        insertTopic = try database.prepare("INSERT INTO topics(name) VALUES (?)")
        textsOfFile = try database.prepare("SELECT question, answer FROM turns WHERE file = ?")
        deleteTurns = try database.prepare("DELETE FROM turns WHERE file = ?")
        deleteFile = try database.prepare("DELETE FROM files WHERE file = ?")
        textInUse = try database.prepare(
            "SELECT EXISTS (SELECT 1 FROM turns WHERE question = ?1) OR EXISTS (SELECT 1 FROM turns WHERE answer = ?1)")
        textByID = try database.prepare("SELECT text FROM texts WHERE id = ?")
        unindexText = try database.prepare("INSERT INTO text_index(text_index, rowid, folded) VALUES ('delete', ?, ?)")
        deleteText = try database.prepare("DELETE FROM texts WHERE id = ?")
    }

    /// Adds transcript `id`, as `info` (its `lstat`) describes it, and its turns in line order.
    ///
    /// Returns the new file row's id.
    func add(_ id: String, info: stat, turns: [(line: Int, turn: SearchedTurn)]) throws(SQLiteError) -> Int64 {
        try insertFile.bind(1, id)
        try insertFile.bind(2, Int64(info.st_size))
        try insertFile.bind(3, Int64(info.st_mtim.tv_sec))
        try insertFile.bind(4, Int64(info.st_mtim.tv_nsec))
        try insertFile.bind(5, Int64(bitPattern: UInt64(info.st_ino)))
        try insertFile.run()
        let file = database.lastInsertedRowID
        for (line, turn) in turns {
            try insertTurn.bind(1, file)
            try insertTurn.bind(2, Int64(line))
            try insertTurn.bind(3, Int64(turn.n))
            try insertTurn.bind(4, turn.at)
            try insertTurn.bind(5, try topicID(turn.topic))
            try insertTurn.bind(6, try textID(turn.question))
            try insertTurn.bind(7, try textID(turn.searchableAnswer))
            try insertTurn.run()
        }
        return file
    }

    /// Drops file `file` and its turns.
    func remove(_ file: Int64) throws(SQLiteError) {
        try textsOfFile.bind(1, file)
        defer { textsOfFile.reset() }
        while try textsOfFile.step() {
            maybeUnused.insert(textsOfFile.int64(0))
            maybeUnused.insert(textsOfFile.int64(1))
        }
        for statement in [deleteTurns, deleteFile] {
            try statement.bind(1, file)
            try statement.run()
        }
    }

    /// Drops the texts of removed turns that no turn uses any more, from the full-text
    /// index too (a contentless index forgets a row given the text it was made from).
    func dropUnusedTexts() throws(SQLiteError) {
        for id in maybeUnused.sorted() {
            try textInUse.bind(1, id)
            let inUse = try textInUse.step() && textInUse.int64(0) != 0
            textInUse.reset()
            if inUse { continue }
            try textByID.bind(1, id)
            let text = try textByID.step() ? textByID.text(0) : nil
            textByID.reset()
            guard let text else { continue }
            try unindexText.bind(1, id)
            try unindexText.bind(2, SearchMatcher.indexFolded(text))
            try unindexText.run()
            try deleteText.bind(1, id)
            try deleteText.run()
            textIDs[ExactText(text)] = nil
        }
        maybeUnused = []
    }

    /// The id of `text` in `texts`, adding it (and its folded form to the index) if new.
    private func textID(_ text: String) throws(SQLiteError) -> Int64 {
        let key = ExactText(text)
        if let id = textIDs[key] { return id }
        var bytes = text
        let hash = bytes.withUTF8 { Int64(bitPattern: XXH64.hash(UnsafeRawBufferPointer($0))) }
        try findText.bind(1, hash)
        var found: Int64?
        while found == nil, try findText.step() {
            if findText.text(1).utf8.elementsEqual(text.utf8) { found = findText.int64(0) }
        }
        findText.reset()
        let id: Int64
        if let found {
            id = found
        } else {
            try insertText.bind(1, hash)
            try insertText.bind(2, text)
            try insertText.run()
            id = database.lastInsertedRowID
            try indexText.bind(1, id)
            try indexText.bind(2, SearchMatcher.indexFolded(text))
            try indexText.run()
        }
        textIDs[key] = id
        return id
    }

    /// The id of topic `name` in `topics`, adding it if new.
    private func topicID(_ name: String) throws(SQLiteError) -> Int64 {
        if let id = topicIDs[ExactText(name)] { return id }
        let id: Int64
        try findTopic.bind(1, name)
        if try findTopic.step() {
            id = findTopic.int64(0)
            findTopic.reset()
        } else {
            findTopic.reset()
            try insertTopic.bind(1, name)
            try insertTopic.run()
            id = database.lastInsertedRowID
        }
        topicIDs[ExactText(name)] = id
        return id
    }
}

/// A string compared byte for byte, as SQLite compares text (`String`'s `==` is canonical
/// equivalence: "é" composed equals "e" and a combining accent), so that two spellings
/// stay two rows, each shown as written.
private struct ExactText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: ExactText, right: ExactText) -> Bool {
        left.text.utf8.elementsEqual(right.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
