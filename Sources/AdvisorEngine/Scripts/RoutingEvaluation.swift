import AdvisorKnowledge
import AdvisorSystem
import Foundation

/// How well the router does on a labelled set of questions (`advisor kb eval FILE.tsv`).
///
/// The file is tab-separated: a question, the topic a reader of the articles would route it
/// to (`none` when out of scope), optionally where the question comes from, and optionally the
/// topic a second, independent labeller chose. A first line starting with `question` is a
/// header. Each question is asked on its own, with no role, and as unseen: an example
/// question of the knowledge base identical to it is left out (the development corpora are
/// the examples, and are measured so).
public struct RoutingEvaluation: Sendable {
    /// One labelled question and what the router made of it.
    public struct Case: Sendable {
        /// The question's line number in the file, from 1.
        public var line: Int
        /// The question, as written in the file.
        public var question: String
        /// The topic id the file labels the question with (`none` when out of scope).
        public var expected: String
        /// The topic id the advisor answered with.
        public var got: String
        /// The routing's confidence, from 0 to 1.
        public var confidence: Double
        /// The answered topic's patterns that matched, as written in the knowledge base
        /// (empty when the answer is `none`).
        public var rules: [String] = []
        /// The topic a second labeller chose, when the file has one for this question.
        public var secondLabel: String?
        /// Whether the two labellers chose the same topic (nil with no second label).
        public var labellersAgree: Bool? { secondLabel.map { $0 == expected } }
        /// Whether the advisor answered with the labelled topic.
        public var isRight: Bool { expected == got }
    }

    /// Every labelled question read, in file order.
    public private(set) var cases: [Case] = []
    /// Lines that could not be read, as `LINE: message`.
    public private(set) var problems: [String] = []

    /// Evaluates the labelled questions of `text` with `advisor`.
    public init(text: String, advisor: Advisor) {
        let topics = Set(advisor.knowledgeBase.topics.ids).union([KnowledgeBase.noneTopic])
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let fields = raw.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let question = fields.first, !question.isEmpty, !question.hasPrefix("#") else { continue }
            if line == 1, question.lowercased() == "question" { continue }
            guard fields.count >= 2, !fields[1].isEmpty else {
                problems.append("\(line): expected QUESTION<tab>TOPIC")
                continue
            }
            guard topics.contains(fields[1]) else {
                problems.append("\(line): unknown topic '\(TerminalSafe.neutralize(fields[1]))'")
                continue
            }
            let second = fields.count >= 4 && !fields[3].isEmpty ? fields[3] : nil
            if let second, !topics.contains(second) {
                problems.append("\(line): unknown second label '\(TerminalSafe.neutralize(second))'")
                continue
            }
            let answer = advisor.ask(question, asUnseen: true)
            cases.append(
                Case(
                    line: line, question: question, expected: fields[1], got: answer.topic,
                    confidence: answer.confidence,
                    rules: answer.topic == KnowledgeBase.noneTopic ? [] : answer.why.rules, secondLabel: second))
        }
    }

    /// The share of questions routed to their labelled topic.
    public var accuracy: Double { share(cases.filter(\.isRight).count, of: cases.count) }

    /// Of the out-of-scope questions, the share answered `none`.
    public var outOfScopeRecall: Double {
        let outOfScope = cases.filter { $0.expected == KnowledgeBase.noneTopic }
        return share(outOfScope.filter(\.isRight).count, of: outOfScope.count)
    }

    /// Of the in-scope questions, the share wrongly answered `none`.
    public var falseNone: Double {
        let inScope = cases.filter { $0.expected != KnowledgeBase.noneTopic }
        return share(inScope.filter { $0.got == KnowledgeBase.noneTopic }.count, of: inScope.count)
    }

    /// What a second labeller's topics say about the set: how often the two labellers agree,
    /// how well the router does where they agree, and how often it gives either label.
    ///
    /// nil when no question has a second label. Agreement between labellers bounds what any
    /// router can be measured to reach on the set.
    public var secondLabels: (labelled: Int, agreed: Int, rightWhereAgreed: Int, eitherLabel: Int)? {
        let labelled = cases.filter { $0.secondLabel != nil }
        guard !labelled.isEmpty else { return nil }
        let agreed = labelled.filter { $0.labellersAgree == true }
        return (
            labelled.count, agreed.count, agreed.filter(\.isRight).count,
            labelled.filter { $0.isRight || $0.got == $0.secondLabel }.count
        )
    }

    /// Misroutings as (expected, got, count), most frequent first.
    public var confusions: [(expected: String, got: String, count: Int)] {
        var counts: [String: (String, String, Int)] = [:]
        for item in cases where !item.isRight {
            let key = item.expected + "\t" + item.got
            counts[key, default: (item.expected, item.got, 0)].2 += 1
        }
        return counts.values.map { (expected: $0.0, got: $0.1, count: $0.2) }
            .sorted { ($0.count, $1.expected, $1.got) > ($1.count, $0.expected, $0.got) }
    }

    /// How often each pattern took part in an answer that was right or wrong.
    public struct PatternRecord: Sendable, Equatable {
        /// The topic whose pattern it is (the answer's topic).
        public var topic: String
        /// The pattern, as written in the knowledge base.
        public var pattern: String
        /// Answers it took part in that were the labelled topic.
        public var right: Int
        /// Answers it took part in that were not.
        public var wrong: Int
    }

    /// The patterns that took part in answers (other than `none`), those most often wrong
    /// first: wrong minus right, then wrong, then topic and pattern.
    ///
    /// A pattern wrong as often as it is right misleads more than it helps on this set: a
    /// candidate to narrow or remove. Counted on the tuning set only; counting on a held-out
    /// set would tune on it.
    public var patternRecords: [PatternRecord] {
        var records: [String: PatternRecord] = [:]
        for item in cases {
            for pattern in Set(item.rules) {
                let key = item.got + "\t" + pattern
                var record = records[key] ?? PatternRecord(topic: item.got, pattern: pattern, right: 0, wrong: 0)
                if item.isRight { record.right += 1 } else { record.wrong += 1 }
                records[key] = record
            }
        }
        return records.values.sorted {
            ($0.wrong - $0.right, $0.wrong, $1.topic, $1.pattern) > (
                $1.wrong - $1.right, $1.wrong, $0.topic, $0.pattern
            )
        }
    }

    /// The report `kb eval` prints.
    public func report(file: String, listMisses: Bool, listPatterns: Bool = false) -> String {
        let inScope = cases.filter { $0.expected != KnowledgeBase.noneTopic }.count
        let outOfScope = cases.count - inScope
        var lines = [
            "questions          \(cases.count) (\(inScope) in scope, \(outOfScope) out of scope)",
            "accuracy           \(percent(accuracy)) (\(cases.filter(\.isRight).count)/\(cases.count))",
            "out-of-scope recall \(percent(outOfScopeRecall))",
            "false none         \(percent(falseNone))",
        ]
        if let second = secondLabels {
            lines += [
                "labellers agree    \(percent(share(second.agreed, of: second.labelled))) (\(second.agreed)/\(second.labelled) with a second label)",
                "accuracy, agreed   \(percent(share(second.rightWhereAgreed, of: second.agreed))) (\(second.rightWhereAgreed)/\(second.agreed))",
                "either label       \(percent(share(second.eitherLabel, of: second.labelled))) (\(second.eitherLabel)/\(second.labelled))",
            ]
        }
        let confusions = self.confusions
        if !confusions.isEmpty {
            lines.append("confusions (expected -> got):")
            for item in confusions { lines.append("  \(item.expected) -> \(item.got): \(item.count)") }
        }
        if listPatterns {
            let misleading = patternRecords.filter { $0.wrong > 0 && $0.wrong >= $0.right }
            lines.append("patterns wrong at least as often as right (topic: pattern, right/wrong):")
            if misleading.isEmpty { lines.append("  (none)") }
            for record in misleading {
                lines.append(
                    "  \(record.topic): \(TerminalSafe.neutralize(record.pattern)), \(record.right)/\(record.wrong)")
            }
        }
        if listMisses {
            for item in cases where !item.isRight {
                lines.append(
                    "\(file):\(item.line): expected \(item.expected), got \(item.got) (\(String(format: "%.2f", item.confidence))): \(TerminalSafe.neutralize(item.question))"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 1 : Double(part) / Double(whole) }
    private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
