import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorText
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// Custom shell completions: transcript ids and topic ids.
///
/// The shell runs `advisor ---completion ...` at every Tab, so these only list a folder
/// (no YAML is parsed, no transcript is read) and give nothing, never an error, when the
/// folder is missing or unreadable.
enum Completions {
    /// Transcript ids (newest first) and `last`, from `--transcripts` on the line being
    /// completed, else `$ADVISOR_TRANSCRIPTS`, else the default folder.
    static let transcriptIDs = CompletionKind.custom { words, _, prefix in
        let directory = CommonOptions.transcriptsDirectory(option: value(of: "--transcripts", in: words))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let ids = names.filter { $0.hasSuffix(TranscriptStore.fileExtension) }
            .map { String($0.dropLast(TranscriptStore.fileExtension.count)) }
            .filter(SessionID.isValid)
            .sorted(by: >)
        return (["last"] + ids).filter { $0.hasPrefix(prefix) }
    }

    /// Topic ids: the file names in the knowledge base's `topics/` folder, from `--kb` on
    /// the line being completed, else `$ADVISOR_KB`, else the shipped knowledge base.
    static let topicIDs = CompletionKind.custom { words, _, prefix in
        guard
            let directory = try? KnowledgeBaseLocator.locate(
                option: value(of: "--kb", in: words), environment: ProcessInfo.processInfo.environment,
                executablePath: executablePath(), currentDirectory: FileManager.default.currentDirectoryPath)
        else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/topics")) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".yaml".count)) }
            .filter { $0.hasPrefix(prefix) }
            .sorted()
    }

    /// The value given to `option` on the command line (`--kb DIR` or `--kb=DIR`), if any.
    static func value(of option: String, in words: [String]) -> String? {
        var result: String?
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count {
                result = words[index + 1]
            } else if word.hasPrefix(option + "=") {
                result = String(word.dropFirst(option.count + 1))
            }
        }
        guard let result, !result.isEmpty else { return nil }
        return (result as NSString).expandingTildeInPath
    }
}
