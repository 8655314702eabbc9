import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import Foundation

/// The compiled knowledge base cache: the parsed topics and the router's index in a
/// compact binary file, keyed by the content hash of the knowledge base's files, so a
/// large knowledge base starts without parsing YAML or compiling patterns again.
///
/// The cache is an optimisation only, and never trusted: a file that is missing, stale,
/// not ours, or whose checksum does not hold falls back to loading the YAML files, and the
/// cache is rewritten.
///
/// A cache file is `magic`, the format version, the engine identity, the fingerprint and
/// the files' stamp (`KnowledgeBaseFiles.stamp(directory:)`, empty when there was none), the
/// length and bytes of the encoded advisor's small part (sources, concepts, topics, frames,
/// where each table of the image lies), zeros up to a multiple of 8 bytes, the image (the
/// router's flat tables: ``RouterIndex``), then the XXH64 of every byte before it (8 bytes,
/// little-endian). The file is mapped into memory, not read, and the image used in place.
/// Files are created 0600, and the folders created for them 0700.
public struct KnowledgeBaseCache: Sendable {
    package static let magic = Array("ADVKBC\u{1}\n".utf8)
    /// Bump whenever the format or what the router compiles changes (and refresh FuzzCache's
    /// seeds: Fuzz/README.md).
    package static let formatVersion = 17
    /// The checksum that ends the file.
    package static let checksumSize = 8
    /// The largest cache file read.
    package static let maximumFileSize = 1 << 30

    /// The running executable's size and modification time: a rebuilt advisor, whose router
    /// may compile differently, never trusts a cache an older build wrote.
    package static let engineIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// The folder holding cache files.
    public let cacheDirectory: String
    private let prefix: String

    /// A cache for the knowledge base in `knowledgeBaseDirectory`, kept in `cacheDirectory`.
    ///
    /// Nothing is read or created yet. File names carry a hash of the knowledge base's path,
    /// so caches of several knowledge bases can share a folder.
    public init(cacheDirectory: String, knowledgeBaseDirectory: String) {
        self.cacheDirectory = cacheDirectory
        var hasher = FNV1a64()
        hasher.combine(field: URL(fileURLWithPath: knowledgeBaseDirectory).standardizedFileURL.path)
        prefix = "kb-" + hasher.hexDigest + "-"
    }

    /// The environment variables `defaultDirectory(environment:)` reads.
    public static let environmentVariables = ["ADVISOR_CACHE", "XDG_CACHE_HOME", "HOME"]

    /// The default folder: `$ADVISOR_CACHE`, else `$XDG_CACHE_HOME/advisor`, else
    /// `~/.cache/advisor`; nil when `ADVISOR_CACHE=off`.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let value = environment["ADVISOR_CACHE"], !value.isEmpty {
            return value == "off" ? nil : value
        }
        return UserDirectory.cache.path(environment: environment)
    }

    package func path(for fingerprint: String) -> String {
        (cacheDirectory as NSString).appendingPathComponent(prefix + fingerprint + ".bin")
    }

    /// The advisor stored for `fingerprint`, or nil when there is no usable cache.
    ///
    /// There is none when the file is missing, not a regular file owned by this user and
    /// writable by no one else, damaged, or written by another build or for other files.
    /// `dictionary` is the knowledge base's dictionary of real words (read with the files the
    /// fingerprint covers).
    ///
    /// A file whose bytes were verified whole at an earlier start and that has not changed since
    /// (`CacheVerification`) is used without verifying them again; `now` is the time a newly
    /// verified file's stamp is judged settled at.
    package func read(fingerprint: String, dictionary: WordList?, now: time_t = time(nil)) -> Advisor? {
        read(name: prefix + fingerprint + ".bin", key: .fingerprint(fingerprint), dictionary: dictionary, now: now)
    }

    /// The advisor in the cache file `name`, when it holds one for `key`.
    private func read(name: String, key: Key, dictionary: WordList?, now: time_t) -> Advisor? {
        guard let (storage, stamp) = Self.map(cacheDirectory + "/" + name) else { return nil }
        let trusted = verification.vouches(for: name, stamp: stamp)
        guard let advisor = Self.decode(storage, key: key, dictionary: dictionary, trusted: trusted) else {
            return nil
        }
        if !trusted { verification.record(name, stamp: stamp, now: now) }
        return advisor
    }

    /// The record of the last cache file verified whole.
    package var verification: CacheVerification { CacheVerification(path: cacheDirectory + "/" + prefix + "verified") }

    /// The cache file at `path` mapped read-only, when it is a regular file (not through a
    /// link) of this user's that no one else may write, no larger than `maximumFileSize`.
    ///
    /// The writer never changes a cache file in place (it renames a new one over it), so the
    /// mapping keeps the bytes that were checked.
    /// Also the file's stamp, from the descriptor it was mapped from.
    package static func map(_ path: String) -> (ImageStorage, CacheFileStamp)? {
        guard let (descriptor, info) = try? BoundedFile.openRegularFile(path, followSymlinks: false) else {
            return nil
        }
        defer { close(descriptor) }
        guard info.st_uid == geteuid(), info.st_mode & (S_IWGRP | S_IWOTH) == 0, info.st_size <= maximumFileSize,
            let storage = ImageStorage(mapping: descriptor, count: Int(info.st_size))
        else { return nil }
        return (storage, CacheFileStamp(info))
    }

    /// The advisor stored with the files' `stamp`, or nil as for `read(fingerprint:)`.
    ///
    /// It is found without the fingerprint: the knowledge base's files are neither read nor hashed.
    package func read(stamp: String, dictionary: WordList?, now: time_t = time(nil)) -> Advisor? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory) else { return nil }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".bin") {
            if let advisor = read(name: name, key: .stamp(stamp), dictionary: dictionary, now: now) { return advisor }
        }
        return nil
    }

    /// What a cache file must have been written for to be used.
    package enum Key {
        /// The knowledge base's content fingerprint.
        case fingerprint(String)
        /// The stamp of its files (never empty).
        case stamp(String)
    }

    /// The advisor a cache file's bytes hold, when its checksum and header hold.
    package static func decode(_ bytes: [UInt8], fingerprint: String, dictionary: WordList?) -> Advisor? {
        decode(bytes, key: .fingerprint(fingerprint), dictionary: dictionary)
    }

    /// The advisor a cache file's bytes hold, when its checksum holds and its header matches `key`.
    package static func decode(_ bytes: [UInt8], key: Key, dictionary: WordList?) -> Advisor? {
        decode(ImageStorage(copying: bytes), key: key, dictionary: dictionary)
    }

    /// The advisor the cache file in `storage` holds, when its checksum holds and its header
    /// matches `key`; its image is used in place.
    ///
    /// `trusted` when these very bytes were verified whole before (see `CacheVerification`):
    /// the checksum is then not computed and the large tables' entries are not all read.
    package static func decode(_ storage: ImageStorage, key: Key, dictionary: WordList?, trusted: Bool = false)
        -> Advisor?
    {
        let bytes = storage.buffer
        guard bytes.count >= magic.count + checksumSize, bytes.starts(with: magic) else { return nil }
        let bodyEnd = bytes.count - checksumSize
        if !trusted {
            var stored: UInt64 = 0
            for index in (bodyEnd..<bytes.count).reversed() { stored = stored << 8 | UInt64(bytes[index]) }
            guard XXH64.hash(UnsafeRawBufferPointer(rebasing: bytes[..<bodyEnd])) == stored else { return nil }
        }
        do {
            // The header and the small part are decoded from a copy; the image stays where it is.
            var header = BinaryReader(Array(bytes[magic.count..<min(bodyEnd, magic.count + 4096)]))
            guard try header.int() == formatVersion, try header.string() == engineIdentity else { return nil }
            let fingerprint = try header.string()
            let stamp = try header.string()
            switch key {
            case .fingerprint(let wanted): guard fingerprint == wanted else { return nil }
            case .stamp(let wanted): guard !stamp.isEmpty, stamp == wanted else { return nil }
            }
            let length = try header.int()
            let start = magic.count + header.position
            guard length >= 0, length <= bodyEnd - start else { return nil }
            var small = BinaryReader(Array(bytes[start..<(start + length)]))
            let imageStart = (start + length + 7) / 8 * 8
            guard imageStart <= bodyEnd else { return nil }
            let image = ImageView(storage, origin: imageStart, count: bodyEnd - imageStart)
            return try decodeAdvisor(
                &small, image: image, fingerprint: fingerprint, dictionary: dictionary, trusted: trusted)
        } catch {
            return nil
        }
    }

    /// Decodes `bytes` twice for the fuzzer (`Fuzz/Sources/FuzzCache`), returning what the second decoding gave.
    ///
    /// First as a whole cache file; then their payload framed as a file whose header and
    /// checksum hold (the bytes between the header and the checksum when `bytes` start with
    /// a readable header, else all of them), so that arbitrary bytes reach the decoder behind
    /// the checksum.
    @_spi(Fuzzing) public static func fuzzDecode(_ bytes: [UInt8]) -> Advisor? {
        _ = decode(bytes, fingerprint: "fuzz", dictionary: nil)
        var payload = bytes[...]
        if bytes.starts(with: magic), bytes.count >= magic.count + checksumSize {
            var reader = BinaryReader(bytes, from: magic.count, to: bytes.count - checksumSize)
            if (try? reader.int()) != nil, (try? reader.string()) != nil, (try? reader.string()) != nil,
                (try? reader.string()) != nil
            {
                payload = bytes[reader.position..<(bytes.count - checksumSize)]
            }
        }
        guard
            let advisor = decode(
                file(fingerprint: "fuzz") { $0.append(raw: payload) }, fingerprint: "fuzz", dictionary: nil)
        else { return nil }
        // Every topic is decoded where it lies, as a session would when it answers on it.
        for topic in advisor.knowledgeBase.topics { _ = topic.id }
        return advisor
    }

    /// A whole cache file: header, `payload` (the small part's length and bytes, the padding
    /// and the image: see `encode`), checksum.
    package static func file(fingerprint: String, stamp: String? = nil, payload: (inout BinaryWriter) -> Void)
        -> [UInt8]
    {
        var writer = BinaryWriter()
        for byte in magic { writer.write(Int(byte)) }
        writer.write(formatVersion)
        writer.write(engineIdentity)
        writer.write(fingerprint)
        writer.write(stamp ?? "")
        payload(&writer)
        var bytes = writer.bytes
        let checksum = XXH64.hash(bytes)
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: checksum >> UInt64(shift)))
        }
        return bytes
    }

    /// Stores `advisor`, with the stamp its files had when they were read (nil when there
    /// was none), and removes older caches of the same knowledge base.
    ///
    /// The file is written to a new temporary file (0600, created exclusively) and renamed
    /// into place, so a reader never sees half a cache; the place is replaced only when it
    /// is missing or a regular file. Only regular files named like this knowledge base's
    /// caches and owned by this user are removed.
    package func write(_ advisor: Advisor, stamp: String? = nil) {
        let fingerprint = advisor.knowledgeBase.fingerprint
        var fits = true
        let bytes = Self.file(fingerprint: fingerprint, stamp: stamp) { fits = Self.encode(advisor, into: &$0) }
        guard fits else { return }
        guard Self.prepareDirectory(cacheDirectory) else { return }
        let destination = path(for: fingerprint)
        var info = stat()
        if lstat(destination, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return }
        let temporary = destination + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            written += count
        }
        if close(descriptor) != 0 || written != bytes.count || rename(temporary, destination) != 0 {
            unlink(temporary)
            return
        }
        removeOtherCaches(keeping: (destination as NSString).lastPathComponent)
    }

    /// Removes this knowledge base's other caches, and temporary files left by a writer
    /// that died more than ten minutes ago.
    private func removeOtherCaches(keeping kept: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory) else { return }
        let now = time(nil)
        for name in names where name.hasPrefix(prefix) && name != kept {
            let isCache = name.hasSuffix(".bin")
            guard isCache || name.contains(".bin.tmp-") || name.contains("verified.tmp-") else { continue }
            let path = (cacheDirectory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid() else {
                continue
            }
            if isCache || now - info.st_mtim.tv_sec > 600 { unlink(path) }
        }
    }

    /// Makes sure `directory` is a folder, creating it and any missing parent 0700 (never
    /// changing the mode of a folder that already exists).
    package static func prepareDirectory(_ directory: String) -> Bool {
        var info = stat()
        if stat(directory, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        guard errno == ENOENT else { return false }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory, !prepareDirectory(parent) { return false }
        if mkdir(directory, 0o700) == 0 { return true }
        return errno == EEXIST && stat(directory, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    // MARK: Encoding

    /// Writes the small part's length and bytes, the padding and the image (see the type's
    /// documentation) after the header already in `w`; false when the topics outgrow the
    /// image's 32-bit offsets (no cache is then written).
    @discardableResult
    package static func encode(_ advisor: Advisor, into w: inout BinaryWriter) -> Bool {
        let base = advisor.knowledgeBase
        var coder = CacheEncoder()
        // Locations are numbers in a table of file names, written before them.
        for topic in base.topics {
            _ = coder.file(topic.location.file)
            for pattern in topic.patterns { _ = coder.file(pattern.location.file) }
        }
        for concept in base.concepts { _ = coder.file(concept.location.file) }
        coder.bytes.write(base.directory)
        coder.encode(base.sources)
        coder.encode(base.concepts)
        // Each topic is a record of its own in the image, decoded only when it is read.
        var starts: [UInt32] = [0]
        var records: [UInt8] = []
        let small = coder.bytes
        for topic in base.topics {
            coder.bytes = BinaryWriter()
            coder.encode(topic)
            records += coder.bytes.bytes
            guard records.count < Int(UInt32.max) else { return false }
            starts.append(UInt32(records.count))
        }
        coder.bytes = small
        // Only the router's tables: an advisor read from a cache has its topics, stems and
        // vocabulary after them in the same image, and they are laid out again below.
        let router = advisor.router
        var image = ImageWriter(
            after: UnsafeRawBufferPointer(rebasing: router.index.image.bytes[..<router.index.byteCount]))
        let topicSlots = [image.append(starts), image.append(records)]
        let normalizer = router.normalizer
        let stemSlots = ImageStrings.write(normalizer.allKnownStems, hashed: true, to: &image)
        let spellerSlots = normalizer.speller.write(to: &image)
        guard image.bytes.count < Int(UInt32.max) else { return false }

        for slot in router.index.slots + topicSlots + stemSlots + spellerSlots { slot.write(to: &coder.bytes) }
        coder.bytes.write(router.framePhrases.count)
        for (term, phrases) in router.framePhrases.sorted(by: { $0.key < $1.key }) {
            coder.bytes.write(term)
            coder.encode(phrases)
        }
        coder.bytes.write(router.glossaryByFirstTerm.count)
        for (term, phrases) in router.glossaryByFirstTerm.sorted(by: { $0.key < $1.key }) {
            coder.bytes.write(term)
            coder.bytes.write(phrases.count)
            for phrase in phrases {
                coder.encode(phrase.terms)
                coder.bytes.write(phrase.topic)
            }
        }
        coder.bytes.write(router.glossaryTerms.count)
        for (term, topics) in router.glossaryTerms.sorted(by: { $0.key < $1.key }) {
            coder.bytes.write(term)
            coder.encode(topics.sorted())
        }
        coder.encode(router.framingTermIDs.sorted())
        coder.bytes.write(normalizer.phrases.count)
        for (first, phrases) in normalizer.phrases.sorted(by: { $0.key < $1.key }) {
            coder.bytes.write(first)
            coder.encode(phrases)
        }
        var part = BinaryWriter()
        part.write(coder.fileNames) { $0.write($1) }
        part.append(raw: coder.bytes.bytes)
        w.write(part.bytes.count)
        w.append(raw: part.bytes)
        w.append(raw: [UInt8](repeating: 0, count: (8 - w.bytes.count % 8) % 8))
        w.append(raw: image.bytes)
        return true
    }

    /// The advisor of a cache file's small part `r` and `image`; `trusted` when the file's
    /// bytes were verified whole before (see `decode(_:key:dictionary:file:)`), which skips
    /// the checks that read every entry of the image's large tables.
    package static func decodeAdvisor(
        _ r: inout BinaryReader, image: ImageView, fingerprint: String, dictionary: WordList?, trusted: Bool = false
    ) throws(BinaryReader.Damaged) -> Advisor {
        var coder = CacheDecoder(bytes: r)
        coder.fileNames = try coder.strings()
        let directory = try coder.bytes.string()
        let sources: [Source] = try coder.decode()
        let concepts: [Concept] = try coder.decode()

        var slots: [ImageSlot] = []
        for _ in 0..<RouterIndex.slotCount { slots.append(try ImageSlot(from: &coder.bytes)) }
        var otherSlots: [ImageSlot] = []
        for _ in 0..<(2 + 3 + StoredVocabulary.slotCount) { otherSlots.append(try ImageSlot(from: &coder.bytes)) }
        let topicSlots = Array(otherSlots[0..<2])
        var framePhrases: [(Int32, [Router.FramePhrase])] = []
        for _ in 0..<(try coder.bytes.count()) { framePhrases.append((try coder.bytes.int32(), try coder.decode())) }
        var glossaryByFirstTerm: [(String, [(terms: [String], topic: Int32)])] = []
        for _ in 0..<(try coder.bytes.count()) {
            let term = try coder.bytes.string()
            var phrases: [(terms: [String], topic: Int32)] = []
            for _ in 0..<(try coder.bytes.count()) { phrases.append((try coder.strings(), try coder.bytes.int32())) }
            glossaryByFirstTerm.append((term, phrases))
        }
        var glossaryTerms: [(Int32, Set<Int32>)] = []
        for _ in 0..<(try coder.bytes.count()) {
            glossaryTerms.append((try coder.bytes.int32(), Set(try coder.int32s())))
        }
        let framing = try coder.int32s()
        var phrases: [(String, [ConceptPhrase])] = []
        for _ in 0..<(try coder.bytes.count()) { phrases.append((try coder.bytes.string(), try coder.decode())) }
        r = coder.bytes
        guard r.isAtEnd, let index = RouterIndex(image, slots, trusted: trusted),
            let knownStems = ImageStrings(image, Array(otherSlots[2..<5]), trusted: trusted),
            let vocabulary = StoredVocabulary(image, Array(otherSlots[5...]), trusted: trusted),
            let topics = storedTopics(
                image, topicSlots, ids: index.topics, fileNames: coder.fileNames, trusted: trusted)
        else {
            throw BinaryReader.Damaged()
        }
        let base = KnowledgeBase(
            directory: directory, sources: sources, concepts: concepts, topicList: TopicList(stored: topics),
            fingerprint: fingerprint)

        // Every index must point inside its table: a damaged cache must not crash.
        let termCount = Int32(index.terms.count)
        let topicCount = Int32(topics.count)
        for (_, phrases) in glossaryByFirstTerm where phrases.contains(where: { !(0..<topicCount).contains($0.topic) })
        {
            throw BinaryReader.Damaged()
        }
        for (topic, terms) in glossaryTerms
        where !(0..<topicCount).contains(topic) || terms.contains(where: { !(0..<termCount).contains($0) }) {
            throw BinaryReader.Damaged()
        }
        // A concept phrase is filed under its first stem; an empty one would never advance the normaliser.
        for (key, list) in phrases where list.contains(where: { $0.stems.first != key }) {
            throw BinaryReader.Damaged()
        }
        for (key, phrases) in framePhrases {
            guard (0..<termCount).contains(key) else { throw BinaryReader.Damaged() }
            for phrase in phrases
            where phrase.terms.isEmpty || phrase.terms.contains(where: { !(0..<termCount).contains($0) })
                || phrase.topics.contains(where: { !(0..<topicCount).contains($0) })
            {
                throw BinaryReader.Damaged()
            }
        }

        let normalizer = Normalizer()
        normalizer.dictionary = dictionary
        normalizer.phrases = Dictionary(phrases, uniquingKeysWith: { a, _ in a })
        normalizer.storedStems = knownStems
        normalizer.speller = SpellCorrector(stored: vocabulary)
        let router = Router(restoring: normalizer, index: index)
        router.framePhrases = Dictionary(framePhrases, uniquingKeysWith: { a, _ in a })
        router.glossaryByFirstTerm = Dictionary(glossaryByFirstTerm, uniquingKeysWith: { a, _ in a })
        router.glossaryTerms = Dictionary(glossaryTerms, uniquingKeysWith: { a, _ in a })
        router.framingTermIDs = Set(framing)
        return Advisor(knowledgeBase: base, router: router)
    }

    /// The topics whose records `encode` laid out at `slots`, each decoded when it is read;
    /// nil when the records' bounds do not hold one record per id.
    static func storedTopics(
        _ image: ImageView, _ slots: [ImageSlot], ids: ImageStrings, fileNames: [String], trusted: Bool = false
    ) -> TopicList.StoredTopics? {
        guard let starts = image.array(slots[0], of: UInt32.self), let records = image.array(slots[1], of: UInt8.self),
            trusted ? starts.count == ids.count + 1 : areListBounds(starts, count: ids.count, over: records.count)
        else { return nil }
        let stored = TopicRecords(image: image, starts: starts, records: records)
        let memo = TopicMemo()
        return TopicList.StoredTopics(
            count: ids.count, id: { ids[$0] }, find: { ids.index(of: $0).map(Int.init) },
            decode: { number in
                if let topic = memo[number] { return topic }
                let topic = decode(number)
                memo[number] = topic
                return topic
            })

        @Sendable func decode(_ number: Int) -> Topic {
            var decoder = CacheDecoder(bytes: BinaryReader(stored.record(number)))
            decoder.fileNames = fileNames
            // The checksum held, so only a crafted file gets here: it gets a topic that says so.
            guard var topic = try? Topic(from: &decoder), decoder.bytes.isAtEnd else {
                return Topic(
                    id: ids[number], title: ids[number],
                    answer:
                        "This topic could not be read from the compiled cache (delete the cache to rebuild it).",
                    advice: [:], facts: [], sources: [], related: [], patterns: [], samples: [],
                    location: SourceLocation(file: "cache"))
            }
            topic.id = ids[number]
            return topic
        }
    }
}

/// The topics' records in a cache's image, and the image they lie in (kept alive with them).
private struct TopicRecords: @unchecked Sendable {
    let image: ImageView
    let starts: ImageArray<UInt32>
    let records: ImageArray<UInt8>

    /// The bytes of record `number` (checked to lie inside `records`).
    func record(_ number: Int) -> [UInt8] { Array(records[Int(starts[number])..<Int(starts[number + 1])]) }
}

/// The topics decoded lately, so that answering on a topic again does not decode it again: at
/// most `capacity` of them (then it starts afresh), shared safely between threads.
private final class TopicMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var topics: [Int: Topic] = [:]
    static let capacity = 256

    subscript(number: Int) -> Topic? {
        get { lock.withLock { topics[number] } }
        set {
            lock.withLock {
                if topics.count >= Self.capacity { topics.removeAll(keepingCapacity: true) }
                topics[number] = newValue
            }
        }
    }
}
