import AdvisorSystem
import AdvisorText
import CFileSystem
import Foundation

/// Every file of a knowledge base folder the advisor reads, read once.
///
/// The loader parses these bytes, the validator checks the manifest from them, the router's
/// dictionary is built from them, and the fingerprint is their hash: what the cache is keyed
/// by is exactly what was parsed, and a cold start reads each file once.
package struct KnowledgeBaseFiles {
    /// One file, by its path relative to the folder.
    package struct File {
        /// The path inside the knowledge base folder (`topics/x.yaml`).
        package var name: String
        /// The path as shown in diagnostics.
        package var path: String
        package var contents: Result<Data, BoundedFile.Failure>
    }

    package let directory: String
    /// Whether `directory` is a folder at all.
    package let isDirectory: Bool
    package let sources: File
    package let concepts: File
    /// `manifest.yaml`; nil when there is none.
    package let manifest: File?
    /// `dictionary.txt`; nil when there is none.
    package let dictionary: File?
    /// `examples.tsv`; nil when there is none.
    package let examples: File?
    /// The topic files, sorted by name, at most `KnowledgeBaseLoader.maximumTopicFiles`.
    package let topics: [File]
    /// How many topic files the folder holds (more than `topics` when over the limit); nil
    /// when the topics folder cannot be listed.
    package let topicFileCount: Int?
    /// A hash over every file's name and contents, 16 hexadecimal digits.
    package let fingerprint: String
    /// Whether every file was read: only then may a compiled cache stand in for the files.
    package let isComplete: Bool

    /// Reads file `name` of the folder `directory`.
    package static func file(_ name: String, in directory: String) -> File {
        let path = (directory as NSString).appendingPathComponent(name)
        let contents: Result<Data, BoundedFile.Failure>
        do {
            contents = .success(try BoundedFile.read(path, limit: YAMLDocument.maximumFileSize))
        } catch {
            contents = .failure(error)
        }
        return File(name: name, path: path, contents: contents)
    }

    /// Reads file `name` of the folder `directory`; nil when there is no such file.
    package static func optionalFile(_ name: String, in directory: String) -> File? {
        let found = file(name, in: directory)
        if case .failure(.notFound) = found.contents { return nil }
        return found
    }

    /// Reads every file of the knowledge base in `directory`.
    package static func read(directory: String) -> KnowledgeBaseFiles {
        func file(_ name: String) -> File { Self.file(name, in: directory) }
        func optional(_ name: String) -> File? { optionalFile(name, in: directory) }

        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        let topicsPath = (directory as NSString).appendingPathComponent(KnowledgeBaseLoader.topicsFolder)
        var names: [String]?
        if exists, isDirectory.boolValue {
            names = try? FileManager.default.contentsOfDirectory(atPath: topicsPath)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
        }
        let topics = (names ?? []).prefix(KnowledgeBaseLoader.maximumTopicFiles).map {
            file((KnowledgeBaseLoader.topicsFolder as NSString).appendingPathComponent($0))
        }
        let files = KnowledgeBaseFiles(
            directory: directory, isDirectory: exists && isDirectory.boolValue,
            sources: file(KnowledgeBaseLoader.sourcesFile), concepts: file(KnowledgeBaseLoader.conceptsFile),
            manifest: optional(KnowledgeBaseValidator.manifestFile),
            dictionary: optional(KnowledgeBaseLoader.dictionaryFile),
            examples: optional(KnowledgeBaseLoader.examplesFile), topics: Array(topics),
            topicFileCount: names?.count)
        return files
    }

    /// How recently a file may have changed for `stamp(directory:)` to vouch for it: file
    /// times tick coarsely (a few milliseconds), so a file written within this window of the
    /// stamp could change again without its times showing it.
    package static let stampSettleTime: Int = 2

    /// Whether the file system holding `directory` keeps change times a stamp can rely on.
    ///
    /// Not on network file systems, whose clock may lag the machine's (NFS, SMB/CIFS), nor on
    /// FAT, exFAT or FUSE, where the change time may be the creation time or missing: there,
    /// the files are always hashed.
    static func hasTrustworthyTimes(_ directory: String) -> Bool {
        let type = advisor_file_system_type(directory)
        guard type >= 0 else { return false }
        let untrusted: Set<Int64> = [
            0x6969,  // NFS
            0x517B, 0xFE53_4D42, 0xFF53_4D42,  // SMB, SMB2, CIFS
            0x4D44, 0x2011_BAB0,  // FAT, exFAT
            0x6573_5546,  // FUSE
        ]
        return !untrusted.contains(Int64(type))
    }

    /// The identity of every file `read(directory:)` would read, as the file system gives it
    /// (device, inode, size, modification and change times), without reading any of them.
    ///
    /// A compiled cache records the stamp its files had, so that a later start whose stamp is
    /// the same can use the cache without reading or hashing the files (the way git trusts its
    /// index). Nil, so that the files are read and hashed, when the folder or its topics
    /// cannot be listed, a file cannot be examined, there are more topic files than are read,
    /// or a file changed less than `stampSettleTime` seconds before `now`.
    package static func stamp(directory: String, now: time_t = time(nil)) -> String? {
        guard hasTrustworthyTimes(directory) else { return nil }
        let topicsPath = (directory as NSString).appendingPathComponent(KnowledgeBaseLoader.topicsFolder)
        guard
            let names = try? FileManager.default.contentsOfDirectory(atPath: topicsPath)
                .filter({ $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }).sorted(),
            names.count <= KnowledgeBaseLoader.maximumTopicFiles
        else { return nil }
        let settled = now - stampSettleTime
        // Paths by concatenation: `NSString.appendingPathComponent` bridges at every call.
        let folder = directory.hasSuffix("/") ? directory : directory + "/"
        var fields: [UInt8] = []
        func add(_ number: Int) {
            for shift in stride(from: 0, to: 64, by: 8) { fields.append(UInt8(truncatingIfNeeded: number >> shift)) }
        }
        func add(_ name: String, optional: Bool) -> Bool {
            fields.append(contentsOf: name.utf8)
            fields.append(0)
            var info = stat()
            guard stat(folder + name, &info) == 0 else {
                guard optional, errno == ENOENT else { return false }
                fields.append(0)
                return true
            }
            guard (info.st_mode & S_IFMT) == S_IFREG, info.st_mtim.tv_sec < settled, info.st_ctim.tv_sec < settled
            else { return false }
            fields.append(1)
            // Device and inode numbers are unsigned and may use the top bit (CIFS, NFS).
            for number in [
                Int(truncatingIfNeeded: info.st_dev), Int(truncatingIfNeeded: info.st_ino), Int(info.st_size),
                info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec,
            ] {
                add(number)
            }
            return true
        }
        guard add(KnowledgeBaseLoader.sourcesFile, optional: false),
            add(KnowledgeBaseLoader.conceptsFile, optional: false),
            add(KnowledgeBaseValidator.manifestFile, optional: true),
            add(KnowledgeBaseLoader.dictionaryFile, optional: true),
            add(KnowledgeBaseLoader.examplesFile, optional: true)
        else { return nil }
        add(names.count)
        for name in names {
            guard add(KnowledgeBaseLoader.topicsFolder + "/" + name, optional: false)
            else { return nil }
        }
        return Hex.digits(fields.withUnsafeBytes { XXH64.hash($0) })
    }

    private init(
        directory: String, isDirectory: Bool, sources: File, concepts: File, manifest: File?, dictionary: File?,
        examples: File?, topics: [File], topicFileCount: Int?
    ) {
        self.directory = directory
        self.isDirectory = isDirectory
        self.sources = sources
        self.concepts = concepts
        self.manifest = manifest
        self.dictionary = dictionary
        self.examples = examples
        self.topics = topics
        self.topicFileCount = topicFileCount

        // Each file adds its name, then its size and the XXH64 of its bytes, or why it could
        // not be read; an absent optional file adds its name and a marker.
        var hasher = FNV1a64()
        var complete = isDirectory && topicFileCount != nil
        func add(_ name: String, _ file: File?) {
            hasher.combine(field: name)
            guard let file else {
                hasher.combine(byte: 0)
                return
            }
            switch file.contents {
            case .success(let data):
                hasher.combine(byte: 1)
                hasher.combine(UInt64(data.count))
                hasher.combine(XXH64.hash(data))
            case .failure(let failure):
                complete = false
                hasher.combine(byte: 2)
                hasher.combine(field: failure.description)
            }
        }
        add(sources.name, sources)
        add(concepts.name, concepts)
        add(KnowledgeBaseValidator.manifestFile, manifest)
        hasher.combine(UInt64(topicFileCount ?? 0))
        for topic in topics { add(topic.name, topic) }
        add(KnowledgeBaseLoader.dictionaryFile, dictionary)
        add(KnowledgeBaseLoader.examplesFile, examples)
        fingerprint = hasher.hexDigest
        isComplete = complete && (topicFileCount ?? 0) <= KnowledgeBaseLoader.maximumTopicFiles
    }

    /// The dictionary of real words, when the folder has a readable one.
    package var words: WordList? {
        guard let dictionary, case .success(let data) = dictionary.contents else { return nil }
        return WordList(contents: data)
    }
}
