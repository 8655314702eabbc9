import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// A derived full-text index of one transcripts folder, so that `transcripts search` over
/// 100,000 sessions reads a few candidate turns instead of every file.
///
/// The JSONL files stay the only source of truth. The index (SQLite with an FTS5 trigram
/// table over text folded for case and accents) lives in the cache folder, is brought up
/// to date on each search (files new or changed in size, modification time or inode are
/// read again, files gone are dropped, all in one transaction) and is deleted and rebuilt
/// whenever it is damaged or was written by another version. It only narrows the
/// candidates: every hit is decided by the same `SearchMatcher` as the linear scan, from
/// the original text, so both give the same hits, scores and snippets.
public final class TranscriptIndex {
    /// Set to 1 to search the files directly, without the index.
    public static let disableVariable = "ADVISOR_NO_SEARCH_INDEX"
    /// Bumped whenever the tables or what they hold change: an older index is rebuilt.
    static let schemaVersion: Int64 = 1
    /// Text folded by the running build: an index folded differently is rebuilt.
    static let foldingProbe = SearchMatcher.indexFolded("Ça Œuvre ÉTÉ Straße İ ﬁ ǅ Ωμέγα K Å")

    let store: TranscriptStore
    /// The index file.
    public let path: String
    let database: SQLiteDatabase
    /// How searches find the turns of matching texts (tests choose each way in turn).
    var turnAccess = TurnAccess.automatic

    /// Why the index could not be used.
    enum Failure: Error {
        /// Damaged, unreadable or written by another version: delete it and build it again.
        case damaged(String)
        /// Cannot be used here (a link at its path, a read-only cache): search the files.
        case unusable(String)
    }

    /// The index file of the transcripts folder `directory`:
    /// `CACHE/search/HASH.sqlite`, where HASH is a hash of the folder's absolute path.
    public static func location(of directory: String, cacheDirectory: String) -> String {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        var hash = FNV1a64()
        hash.combine(field: absolute)
        let name = Hex.digits(hash.value) + ".sqlite"
        return ((cacheDirectory as NSString).appendingPathComponent("search") as NSString)
            .appendingPathComponent(name)
    }

    /// Every turn of `store` matching `query`, the hits `store.search(query)` gives, through
    /// the index in `cacheDirectory` (nil: no index, the files are read directly).
    ///
    /// A damaged index is deleted and rebuilt, with one warning; an index that cannot be
    /// created or opened (a read-only cache, a link planted at its path) gives one warning
    /// and the files are searched directly.
    public static func search(
        _ query: SearchQuery, in store: TranscriptStore, cacheDirectory: String?, warn: (String) -> Void
    ) throws(TranscriptError) -> [SearchHit] {
        try throughIndex(of: store, cacheDirectory: cacheDirectory, warn: warn) { index, ids throws(Failure) in
            try index.search(query, ids: ids, warn: warn)
        } otherwise: { () throws(TranscriptError) in
            try store.search(query, warn: warn)
        }
    }

    /// The best `limit` turns matching `query` (all when nil), best first (equal scores
    /// newest first), and how many matched: as `search`, ranked, building only the hits
    /// it keeps.
    public static func ranked(
        _ query: SearchQuery, in store: TranscriptStore, cacheDirectory: String?, limit: Int?,
        warn: (String) -> Void
    ) throws(TranscriptError) -> SearchResults {
        try throughIndex(of: store, cacheDirectory: cacheDirectory, warn: warn) { index, ids throws(Failure) in
            try index.ranked(query, ids: ids, limit: limit, warn: warn)
        } otherwise: { () throws(TranscriptError) in
            SearchResults.ranking(try store.search(query, warn: warn), limit: limit)
        }
    }

    /// `body` over the index of `store`'s folder, brought up to date; `otherwise` (the
    /// transcript files read directly) when there is no cache folder or no usable index.
    private static func throughIndex<Result>(
        of store: TranscriptStore, cacheDirectory: String?, warn: (String) -> Void,
        _ body: (TranscriptIndex, [String]) throws(Failure) -> Result,
        otherwise: () throws(TranscriptError) -> Result
    ) throws(TranscriptError) -> Result {
        guard let cacheDirectory else { return try otherwise() }
        let ids = try store.unsortedIDs()
        let path = location(of: store.directory, cacheDirectory: cacheDirectory)
        var rebuilt = false
        while true {
            do throws(Failure) {
                let index = try TranscriptIndex(store: store, path: path)
                return try body(index, ids)
            } catch {
                switch error {
                case .damaged(let reason) where !rebuilt:
                    warn("the search index \(path) \(reason); rebuilding it")
                    rebuilt = true
                    guard removeFiles(of: path) else {
                        warn("cannot remove \(path); searching the transcript files instead")
                        return try otherwise()
                    }
                case .damaged(let reason), .unusable(let reason):
                    warn("the search index is not used (\(reason)); searching the transcript files instead")
                    return try otherwise()
                }
            }
        }
    }

    /// Opens the index at `path`, creating it (0600, its folders 0700) when missing.
    init(store: TranscriptStore, path: String) throws(Failure) {
        self.store = store
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        guard KnowledgeBaseCache.prepareDirectory(folder) else {
            throw .unusable("cannot create the folder \(folder)")
        }
        try Self.createFileIfMissing(path)
        do throws(SQLiteError) {
            let database = try SQLiteDatabase(path: path, create: false)
            database.setBusyTimeout(milliseconds: 30_000)
            // Pages are read in place (mapped), not copied: a broad search touches much of the index.
            try database.execute(
                "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;")
            self.database = database
        } catch {
            throw Self.failure(error)
        }
        let current: Bool
        do throws(SQLiteError) {
            current = try prepareSchema()
        } catch {
            throw Self.failure(error)
        }
        guard current else { throw .damaged("was written by another version") }
    }

    /// What a failed SQLite call means for the index: damage is rebuilt, anything else
    /// (a read-only or full disk, a lock held too long) leaves the files to be searched.
    static func failure(_ error: SQLiteError) -> Failure {
        error.isDamage ? .damaged("is damaged or unreadable (\(error.message))") : .unusable(error.description)
    }

    /// Creates an empty user-only file at `path` (never through a link); refuses anything
    /// but a regular file of this user already there.
    private static func createFileIfMissing(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
            return
        }
        guard errno == EEXIST else { throw .unusable("cannot create \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .unusable("cannot read \(path)") }
        let kind = SafeFile.kind(of: path)
        guard kind == .regular else { throw .unusable("\(path) is \(kind); not followed, not replaced") }
        guard info.st_uid == geteuid() else { throw .unusable("\(path) belongs to another user; left alone") }
        if info.st_mode & 0o077 != 0 { throw .damaged("is readable by others") }
    }

    /// Removes the index file and SQLite's files beside it (regular files only).
    static func removeFiles(of path: String) -> Bool {
        for suffix in ["-journal", "-wal", "-shm"] where SafeFile.kind(of: path + suffix) == .regular {
            unlink(path + suffix)
        }
        guard SafeFile.kind(of: path) == .regular else { return SafeFile.kind(of: path) == .missing }
        return unlink(path) == 0
    }

    /// Creates the tables in a new file; checks an existing file was written by this schema
    /// and this folding, for this folder (false when it was not).
    private func prepareSchema() throws(SQLiteError) -> Bool {
        try database.execute("BEGIN IMMEDIATE")
        do {
            let version = try database.integer("PRAGMA user_version") ?? 0
            let tables = try database.integer("SELECT count(*) FROM sqlite_schema") ?? 0
            if version == 0, tables == 0 {
                try database.execute(Self.schema + "PRAGMA user_version = \(Self.schemaVersion);")
                let insert = try database.prepare("INSERT INTO meta(key, value) VALUES (?, ?)")
                for (key, value) in expectedMeta {
                    try insert.bind(1, key)
                    try insert.bind(2, value)
                    try insert.run()
                }
            } else {
                guard version == Self.schemaVersion, try meta() == expectedMeta else {
                    try database.execute("ROLLBACK")
                    return false
                }
            }
            try database.execute("COMMIT")
            return true
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    private var expectedMeta: [String: String] {
        ["directory": URL(fileURLWithPath: store.directory).standardizedFileURL.path, "folding": Self.foldingProbe]
    }

    private func meta() throws(SQLiteError) -> [String: String] {
        let statement = try database.prepare("SELECT key, value FROM meta")
        var result: [String: String] = [:]
        while try statement.step() { result[statement.text(0)] = statement.text(1) }
        return result
    }

    /// The SQL that creates the index's tables in a new file.
    ///
    /// `meta`: the folder and the folding the index was built for. `topics`: each topic name
    /// once, by id. `files`: each transcript read, with what identifies its content (size,
    /// modification time in seconds and nanoseconds, inode). `turns`: each turn, in line
    /// order, with its question and answer as ids of `texts`, which holds each distinct text
    /// once, found by a hash of its bytes (an index of the texts themselves would double
    /// them; answers composed from the knowledge base recur in thousands of turns; canned
    /// replies are stored as empty answers, as search ignores them). `text_index`: the FTS5
    /// trigram index of each text folded for case and accents, by text id; contentless and
    /// without positions or sizes (the original is in `texts`, and the matcher checks every
    /// candidate).
    static let schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE files(
            file INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
            mtime_s INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL);
        CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE texts(id INTEGER PRIMARY KEY AUTOINCREMENT, hash INTEGER NOT NULL, text TEXT NOT NULL);
        CREATE INDEX texts_by_hash ON texts(hash);
        CREATE TABLE turns(
            id INTEGER PRIMARY KEY, file INTEGER NOT NULL, line INTEGER NOT NULL, n INTEGER NOT NULL,
            at TEXT NOT NULL, topic INTEGER NOT NULL, question INTEGER NOT NULL, answer INTEGER NOT NULL);
        CREATE INDEX turns_by_file ON turns(file);
        CREATE INDEX turns_by_topic ON turns(topic);
        CREATE INDEX turns_by_question ON turns(question);
        CREATE INDEX turns_by_answer ON turns(answer);
        CREATE VIRTUAL TABLE text_index USING fts5(
            folded, tokenize = 'trigram', detail = 'none', content = '', columnsize = 0);

        """
}
