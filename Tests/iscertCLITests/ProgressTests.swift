import Foundation
import Testing

/// `--progress`: a bar on standard error that never changes a result.
@Suite("Progress")
struct ProgressTests {
    static let args = ["check", CLI.scenario("gaussian-gap-1"), CLI.scenario("beta-uniform"), "--trials", "300"]

    @Test("--progress always draws the bar on stderr and clears it; stdout is unchanged")
    func always() {
        let drawn = runISCert(Self.args + ["--progress", "always"])
        let quiet = runISCert(Self.args + ["--progress", "never"])
        #expect(drawn.status == 0 && quiet.status == 0)
        #expect(drawn.stdout == quiet.stdout)
        #expect(quiet.stderr.isEmpty)
        // The first report of each run is always drawn: the start of the first scenario.
        #expect(drawn.stderr.hasPrefix("\r[1/2] gaussian-gap-1 [--------------------] 0/300 trials  0 trials/s\u{1B}[K"),
                "\(drawn.stderr.debugDescription)")
        #expect(drawn.stderr.contains(" trials/s"))
        #expect(drawn.stderr.hasSuffix("\r\u{1B}[K"), "the bar is not cleared at the end")
        #expect(!drawn.stderr.contains("\n"), "the bar must stay on one line")
    }

    @Test("--progress auto stays quiet in a pipe, and with CI set")
    func autoInAPipe() {
        let plain = runISCert(Self.args)
        #expect(plain.status == 0)
        #expect(plain.stderr.isEmpty)
        let ci = runISCert(Self.args + ["--progress", "auto"], environment: ["CI": "true"])
        #expect(ci.stderr.isEmpty)
        #expect(ci.stdout == plain.stdout)
    }

    /// `script` gives the command a terminal; util-linux's form of it.
    static let script = "/usr/bin/script"
    static var haveScript: Bool {
        #if os(Linux)
        FileManager.default.isExecutableFile(atPath: script)
        #else
        false
        #endif
    }

    @Test("--progress auto draws on a terminal unless CI is set", .enabled(if: haveScript))
    func autoOnATerminal() throws {
        let binary = try #require(CLI.binary)
        let command = ([binary.path] + Self.args).map(shellQuoted).joined(separator: " ")
        let terminal = runShell("env -u CI \(Self.script) -qec \(shellQuoted(command)) /dev/null")
        #expect(terminal.status == 0)
        #expect(terminal.stdout.contains("gaussian-gap-1 [") && terminal.stdout.contains(" trials/s\u{1B}[K"),
                "\(terminal.stdout.debugDescription)")
        let ci = runShell("CI=1 \(Self.script) -qec \(shellQuoted(command)) /dev/null")
        #expect(ci.status == 0)
        #expect(ci.stdout.contains("MET     gaussian-gap-1"))
        #expect(!ci.stdout.contains("trials/s"))
    }

    @Test("a shard written with the bar is the same file as one written without")
    func shardsDoNotDependOnProgress() throws {
        try withTemporaryDirectory { dir in
            let shard = ["check", CLI.scenario("beta-uniform"), "--trials", "300", "--shard", "1/2", "--output"]
            let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
            let drawn = runISCert(shard + [a, "--progress", "always"])
            #expect(drawn.status == 0)
            #expect(drawn.stderr.contains("beta-uniform [") && drawn.stderr.hasSuffix("\r\u{1B}[K"))
            #expect(runISCert(shard + [b, "--progress", "never"]).status == 0)
            #expect(bytes(of: a) != nil && bytes(of: a) == bytes(of: b))
        }
    }
}
