import AdvisorKit
import Foundation

/// The answer object as one line of JSON.
enum AnswerJSON {
    static func line(_ answer: Answer) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(answer) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
