import AdvisorEngine
import AdvisorKnowledge
import AdvisorSystem
import AdvisorTranscripts
import ArgumentParser
import Foundation

/// `advisor run FILE|-`: a scripted session.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scripted session from a file (or - for standard input), recorded as a transcript.",
        discussion: """
            One entry per line: a question, a /command, a # comment or a blank line. \
            `/expect TOPIC` checks the topic of the previous answer; a failure is reported \
            as FILE:LINE: expected TOPIC, got OTHER and makes the run exit 1.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var session: SessionOptions

    @Flag(name: .long, help: "Stop at the first error or failed expectation.")
    var bail = false

    @Argument(help: "The script file, or - for standard input.", completion: .file())
    var file: String

    func run() throws {
        try ScriptSession(common: common, session: session, path: file, bail: bail).run()
    }
}

/// Runs a script file or standard input through a recorded session.
struct ScriptSession {
    var common: CommonOptions
    var session: SessionOptions
    var path: String
    var bail = false

    func run() throws {
        Console.ignoreBrokenPipe()
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            var info = stat()
            if descriptor < 0 {
                throw CommandFailure("cannot open script \(path): \(String(cString: strerror(errno)))")
            }
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                throw CommandFailure("cannot run \(path): it is a directory")
            }
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }

        let advisor = try common.loadAdvisor()
        let displayName = path == "-" ? "<stdin>" : path
        let recorder = common.startRecorder(
            mode: "script", role: session.role, advisor: advisor, script: path == "-" ? "-" : path)
        let renderer = AnswerRenderer(width: 80, style: TextStyle(colors: common.useColor()))
        let conversation = Session(advisor: advisor, role: session.role, recorder: recorder, renderer: renderer)
        Console.exitHandler = { conversation.finish() }
        let runner = ScriptRunner(
            session: conversation, displayName: displayName, output: { Console.write($0) },
            diagnostic: { Console.error($0) })
        runner.json = session.json
        runner.bail = bail
        let report = runner.run(LineReader(descriptor: descriptor))
        conversation.finish()
        if report.expectationsPassed + report.expectationsFailed > 0 || report.failed {
            Console.error("\(displayName): \(report.summary)")
        }
        if report.failed { throw ExitCode(1) }
    }
}
