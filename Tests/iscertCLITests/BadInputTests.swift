import Foundation
import Testing

/// Files with errors, nonexistent paths and invalid options: exit 2, the
/// problem on stderr, nothing on stdout, and the user's files untouched.
@Suite("Bad input")
struct BadInputTests {
    /// A valid scenario, lines 1...6.
    static let base = [
        "name        = \"bad-input\"",
        "description = \"d\"",
        "target      = normal(mean: 0, sd: 1)",
        "behavior    = normal(mean: 0.5, sd: 1)",
        "f(x)        = x",
        "samples     = 200",
    ]

    static func text(replacing line: Int? = nil, with replacement: String? = nil, removing removed: Int? = nil,
                     appending extra: [String] = []) -> [UInt8] {
        var lines = base
        if let line, let replacement { lines[line - 1] = replacement }
        if let removed { lines.remove(at: removed - 1) }
        return Array((lines + extra).joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
    }

    /// Deterministic pseudo-random bytes (SplitMix64) with a NUL every 37 bytes.
    static func binaryBytes(count: Int = 512) -> [UInt8] {
        var state: UInt64 = 0x5EED
        return (0..<count).map { i in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return i % 37 == 36 ? 0 : UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        /// Where the first diagnostic must point; nil when not pinned down.
        var position: (line: Int, column: Int)?
        var message: String
        /// The source line printed under the first diagnostic, with a caret under the column.
        var sourceLine: String?
        var testDescription: String { label }
    }

    static let badFiles: [BadFile] = [
        BadFile(label: "unknown family", bytes: text(replacing: 3, with: "target      = norml(mean: 0, sd: 1)"),
                position: (3, 15), message: "unknown family 'norml'", sourceLine: "target      = norml(mean: 0, sd: 1)"),
        BadFile(label: "unclosed parenthesis", bytes: text(replacing: 5, with: "f(x)        = (x + 1"),
                position: (5, 15), message: "unclosed '('", sourceLine: "f(x)        = (x + 1"),
        BadFile(label: "stray parenthesis", bytes: text(replacing: 5, with: "f(x) = x + 1)"),
                position: (5, 13), message: "unbalanced ')'", sourceLine: "f(x) = x + 1)"),
        BadFile(label: "duplicate key", bytes: text(appending: ["samples     = 300"]),
                position: (7, 1), message: "duplicate key 'samples'; it was first given on line 6", sourceLine: "samples     = 300"),
        BadFile(label: "missing required key", bytes: text(removing: 6),
                position: (5, 16), message: "missing required key 'samples'", sourceLine: "f(x)        = x"),
        BadFile(label: "unknown key", bytes: text(appending: ["colour = 3"]),
                position: (7, 1), message: "unknown key 'colour'", sourceLine: "colour = 3"),
        BadFile(label: "parameter out of range", bytes: text(replacing: 4, with: "behavior = normal(mean: 0, sd: -1)"),
                position: (4, 32), message: "sd", sourceLine: "behavior = normal(mean: 0, sd: -1)"),
        BadFile(label: "empty file", bytes: [], position: (1, 1), message: "empty file", sourceLine: nil),
        BadFile(label: "NUL after a valid line", bytes: Array("name = \"a\"\n".utf8) + [0, 1, 0xFF],
                position: (2, 1), message: "NUL byte", sourceLine: nil),
        BadFile(label: "random binary bytes", bytes: binaryBytes(), position: nil, message: "expected UTF-8 text", sourceLine: nil),
    ]

    @Test("a scenario file with an error exits 2 with file:line:column on stderr", arguments: badFiles)
    func badFile(_ c: BadFile) throws {
        try withTemporaryDirectory { dir in
            let path = try write(bytes: c.bytes, to: "case.iscert", in: dir)
            let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty, "bad input must not print a report")
            let err = lines(run.stderr)
            let header = try #require(err.first)
            #expect(header.hasPrefix(path + ":"), "\(header)")
            let rest = header.dropFirst(path.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 2)
            #expect(parts.count == 3)
            let line = Int(parts[0]), column = Int(parts[1])
            #expect(line != nil && column != nil, "no line:column in \(header)")
            #expect(parts.count == 3 && parts[2].hasPrefix(" error: "), "\(header)")
            if let position = c.position {
                #expect(line == position.line && column == position.column, "\(header)")
            }
            #expect(header.contains(c.message), "\(header)")
            if let sourceLine = c.sourceLine, let column {
                #expect(err.count >= 3)
                if err.count >= 3 {
                    #expect(err[1] == sourceLine)
                    #expect(err[2] == String(repeating: " ", count: column - 1) + "^")
                }
            }
            #expect(bytes(of: path) == c.bytes, "the scenario file was changed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == listing, "files appeared next to the scenario")
        }
    }

    @Test("every error of a file is reported, sorted by position")
    func severalErrors() throws {
        try withTemporaryDirectory { dir in
            let bytes = Self.text(replacing: 3, with: "target      = norml(mean: 0, sd: 1)", appending: ["samples     = 300"])
            let path = try write(bytes: bytes, to: "two.iscert", in: dir)
            let run = runISCert(["check", path])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            let headers = lines(run.stderr).filter { $0.hasPrefix(path + ":") }
            #expect(headers.map { $0.split(separator: ":").dropFirst().prefix(2).joined(separator: ":") } == ["3:15", "7:1"])
        }
    }

    @Test("a bad file stops the whole run, even beside valid ones")
    func badBesideGood() throws {
        try withTemporaryDirectory { dir in
            let path = try write(bytes: Self.text(replacing: 3, with: "target = norml(mean: 0, sd: 1)"), to: "bad.iscert", in: dir)
            let run = runISCert(["check", CLI.scenario("beta-uniform"), path, "--trials", "200"])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix(path + ":3:10: error: unknown family 'norml'"))
        }
    }

    @Test("errors of several files are all reported")
    func severalFiles() throws {
        try withTemporaryDirectory { dir in
            let a = try write(bytes: Self.text(replacing: 3, with: "target = norml(mean: 0, sd: 1)"), to: "a.iscert", in: dir)
            let b = try write(bytes: Self.text(removing: 6), to: "b.iscert", in: dir)
            let run = runISCert(["check", a, b])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains(a + ":3:10: error: unknown family"))
            #expect(run.stderr.contains(b + ":5:16: error: missing required key 'samples'"))
        }
    }

    @Test("a nonexistent path exits 2")
    func nonexistentPath() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("no-such.iscert").path
            let run = runISCert(["check", path])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix(path + ":1:1: error: cannot read"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path), "the run created the missing file")
        }
    }

    @Test("a folder without .iscert files exits 2")
    func folderWithoutScenarios() throws {
        try withTemporaryDirectory { dir in
            let notes = try write("not a scenario\n", to: "notes.txt", in: dir)
            try write("name = \"x\"\n", to: "sub/scenario.iscert.bak", in: dir)
            let run = runISCert(["check", dir.path])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix(dir.path + ":1:1: error: no .iscert scenario files found"), "\(run.stderr)")
            #expect(bytes(of: notes) == Array("not a scenario\n".utf8))
        }
    }

    struct BadOption: Sendable, CustomTestStringConvertible {
        var args: [String]
        var message: String
        var testDescription: String { args.joined(separator: " ") }
    }

    static let badOptions = [
        BadOption(args: ["--trials", "1"], message: "--trials must be at least 2, got 1"),
        BadOption(args: ["--trials", "abc"], message: "'abc' is invalid for '--trials"),
        BadOption(args: ["--samples", "1"], message: "--samples must be at least 2, got 1"),
        BadOption(args: ["--jobs", "0"], message: "--jobs must be at least 1, got 0"),
        BadOption(args: ["--alpha", "2"], message: "--alpha must be in (0, 1)"),
        BadOption(args: ["--alpha", "0"], message: "--alpha must be in (0, 1)"),
        BadOption(args: ["--alpha", "nan"], message: "--alpha must be in (0, 1)"),
        BadOption(args: ["--format", "xml"], message: "'xml' is invalid for '--format"),
        BadOption(args: ["--rng", "nope"], message: "--rng must be one of mt19937, ranlxd2, taus2, got 'nope'"),
        BadOption(args: ["--family-checks", "0"], message: "--family-checks must be at least 1, got 0"),
        BadOption(args: ["--trial=-1"], message: "--trial must be >= 0, got -1"),
        BadOption(args: ["--seed", "18446744073709551616"], message: "is invalid for '--seed"),
        BadOption(args: ["--bogus"], message: "Unknown option '--bogus'"),
    ]

    @Test("an invalid option exits 2 with a message on stderr", arguments: badOptions)
    func badOption(_ c: BadOption) {
        let run = runISCert(["check", CLI.scenario("beta-uniform")] + c.args)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("Error: "), "\(run.stderr)")
        #expect(run.stderr.contains(c.message), "\(run.stderr)")
    }
}
