import Foundation
import Testing

/// `iscert check --shard i/n --output FILE` and `iscert merge`, run through the binary.
@Suite("Sharding")
struct ShardingTests {
    /// A single scenario, one with an MSE claim, and a sweep over N with a slope
    /// check (written into `dir`), at a K that does not split evenly into blocks
    /// or shards.
    static func run(in dir: URL) throws -> [String] {
        let sweep = try write("""
            name        = "small-snis-sweep"
            description = "SNIS over N"
            target      = normal(mean: 1, sd: 1)
            behavior    = normal(mean: 0, sd: 1)
            f(x)        = x^2
            sweep       = samples in [10, 20, 40]
            estimators  = is, snis

            """, to: "sweep.iscert", in: dir)
        return [CLI.scenario("gaussian-gap-1"), CLI.scenario("truncation-mse"), sweep, "--trials", "450"]
    }

    /// Writes shards 0/n ... (n-1)/n of `args` (or only those in `only`) into `dir`,
    /// and returns their paths (by shard index).
    static func shards(_ args: [String], count n: Int, only: Set<Int>? = nil, in dir: URL, prefix: String = "shard",
                       sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        (0..<n).map { i in
            let path = dir.appendingPathComponent("\(prefix)-\(i).json").path
            guard only?.contains(i) ?? true else { return path }
            // Different --jobs per shard: they must not matter either.
            let shard = runISCert(["check"] + args + ["--shard", "\(i)/\(n)", "--output", path, "--jobs", "\(1 + i % 2)"],
                                  sourceLocation: sourceLocation)
            #expect(shard.status == 0, "\(shard.stderr)", sourceLocation: sourceLocation)
            #expect(shard.stdout.hasPrefix("shard \(i)/\(n): "), sourceLocation: sourceLocation)
            #expect(shard.stdout.contains("written to \(path)"), sourceLocation: sourceLocation)
            #expect(shard.stderr.isEmpty, "\(shard.stderr)", sourceLocation: sourceLocation)
            return path
        }
    }

    @Test("shards 0/3, 1/3 and 2/3 merge into the unsharded report, byte for byte, in every format")
    func mergeEqualsUnsharded() throws {
        try withTemporaryDirectory { dir in
            let run = try Self.run(in: dir)
            let paths = Self.shards(run, count: 3, in: dir)
            for format in ["json", "text", "junit", "markdown"] {
                let whole = runISCert(["check"] + run + ["--format", format])
                #expect(whole.status == 0)
                let merged = runISCert(["merge", paths[2], paths[0], paths[1], "--format", format])
                #expect(merged.status == 0, "\(merged.stderr)")
                #expect(merged.stderr.isEmpty)
                #expect(!merged.stdout.isEmpty)
                #expect(merged.stdout == whole.stdout, "merged --format \(format) differs from the unsharded run")
            }
            let report = try decode(Report.self, runISCert(["merge"] + paths + ["--format", "json"]).stdout)
            #expect(report.scenarios.map(\.name) == ["gaussian-gap-1", "truncation-mse"])
            #expect(report.sweeps?.map(\.name) == ["small-snis-sweep"])
        }
    }

    @Test("options reach the merged report: seed, N, alpha, family checks and rng")
    func optionsSurviveTheMerge() throws {
        try withTemporaryDirectory { dir in
            let args = [CLI.scenario("gamma-pair"), "--trials", "300", "--samples", "60", "--seed", "7", "--alpha", "0.05",
                        "--family-checks", "9", "--rng", "ranlxd2"]
            let paths = Self.shards(args, count: 4, in: dir)
            let whole = runISCert(["check"] + args + ["--format", "json"])
            let merged = runISCert(["merge"] + paths + ["--format", "json"])
            #expect(merged.stdout == whole.stdout)
            let entry = try #require(try decode(Report.self, merged.stdout).scenarios.first)
            #expect(entry.replay.hasSuffix("--seed 7 --trials 300 --samples 60 --alpha 0.05 --family-checks 9 --rng ranlxd2"))
        }
    }

    @Test("the merge exits 1 when a scenario is not met, like the unsharded run")
    func notMet() throws {
        try withTemporaryDirectory { dir in
            let file = try write(supportViolation(), to: "miss.iscert", in: dir)
            let whole = runISCert(["check", file])
            #expect(whole.status == 1)
            let paths = Self.shards([file], count: 2, in: dir)
            let merged = runISCert(["merge"] + paths)
            #expect(merged.status == 1)
            #expect(merged.stdout == whole.stdout)
            #expect(merged.stdout.contains("NOT MET"))
        }
    }

    @Test("more shards than blocks: some shards hold no trials of a scenario")
    func moreShardsThanBlocks() throws {
        try withTemporaryDirectory { dir in
            // K = 130: three blocks, five shards.
            let args = [CLI.scenario("beta-uniform"), "--trials", "130"]
            let paths = Self.shards(args, count: 5, in: dir)
            #expect(runISCert(["merge"] + paths).stdout == runISCert(["check"] + args).stdout)
        }
    }

    // MARK: - Refusals

    /// What a refusal must look like: exit 2, nothing on stdout, one clear line.
    static func expectRefusal(_ run: (status: Int32, stdout: String, stderr: String), _ message: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 2, sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "\(run.stderr)", sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction"] {
            #expect(!run.stderr.contains(crash), "\(run.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("missing, duplicate and foreign shards are refused with exit 2, naming the file")
    func refusals() throws {
        try withTemporaryDirectory { dir in
            let args = [CLI.scenario("beta-uniform"), "--trials", "200"]
            let three = Self.shards(args, count: 3, in: dir)
            // Of each foreign run, only the shard the merge is given is written.
            Self.expectRefusal(runISCert(["merge", three[0], three[2]]),
                               "error: missing shard 1/3: a merge needs all 3 shards of the run")
            let copy = dir.appendingPathComponent("copy.json").path
            try FileManager.default.copyItem(atPath: three[1], toPath: copy)
            Self.expectRefusal(runISCert(["merge", three[0], three[1], copy, three[2]]),
                               "error: \(copy): duplicate shard: \(three[1]) is also shard 1/3")
            Self.expectRefusal(runISCert(["merge", three[0], three[1], three[1], three[2]]),
                               "error: \(three[1]): this shard file is given twice")

            let seeded = Self.shards(args + ["--seed", "2"], count: 3, only: [2], in: dir, prefix: "seeded")
            Self.expectRefusal(runISCert(["merge", three[0], three[1], seeded[2]]),
                               "error: \(seeded[2]): does not belong with \(three[0]): --seed differs: 2 here, not given in \(three[0])")
            let longer = Self.shards([CLI.scenario("beta-uniform"), "--trials", "300"], count: 3, only: [1], in: dir, prefix: "longer")
            Self.expectRefusal(runISCert(["merge", three[0], longer[1], three[2]]),
                               "error: \(longer[1]): does not belong with \(three[0]): --trials differs: 300 here, 200 in \(three[0])")
            let alpha = Self.shards(args + ["--alpha", "0.05"], count: 3, only: [2], in: dir, prefix: "alpha")
            Self.expectRefusal(runISCert(["merge", three[0], three[1], alpha[2]]), "--alpha differs: 0.05 here, 0.01 in")
            let two = Self.shards(args, count: 2, only: [1], in: dir, prefix: "two")
            Self.expectRefusal(runISCert(["merge", three[0], two[1], three[2]]),
                               "error: \(two[1]): shard 1/2 does not belong with \(three[0]), shard 0/3")
            let other = Self.shards([CLI.scenario("gamma-pair"), "--trials", "200"], count: 3, only: [2], in: dir, prefix: "other")
            Self.expectRefusal(runISCert(["merge", three[0], three[1], other[2]]),
                               "error: \(other[2]): does not belong with \(three[0]): it has the scenarios [gamma-pair], not [beta-uniform]")
        }
    }

    @Test("files that are not shards are refused with exit 2, naming the file")
    func notShards() throws {
        try withTemporaryDirectory { dir in
            let missing = dir.appendingPathComponent("missing.json").path
            Self.expectRefusal(runISCert(["merge", missing]), "error: \(missing): cannot read shard file: no such file or directory")
            Self.expectRefusal(runISCert(["merge", dir.path]), "error: \(dir.path): cannot read shard file: it is a directory")
            Self.expectRefusal(runISCert(["merge", CLI.scenario("beta-uniform")]),
                               "error: \(CLI.scenario("beta-uniform")): not a shard file")
            let report = try write(runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "200", "--format", "json"]).stdout,
                                   to: "report.json", in: dir)
            Self.expectRefusal(runISCert(["merge", report]), "error: \(report): not a shard file (its \"format\" is not \"iscert-shard\")")
            let shard = Self.shards([CLI.scenario("beta-uniform"), "--trials", "200"], count: 1, in: dir)[0]
            let text = try String(contentsOfFile: shard, encoding: .utf8)
            let cut = try write(String(text.prefix(text.count / 2)), to: "cut.json", in: dir)
            Self.expectRefusal(runISCert(["merge", cut]), "error: \(cut): not a shard file (not a JSON object, or cut short)")
            let future = try write(text.replacingOccurrences(of: "\"version\":2", with: "\"version\":3"), to: "future.json", in: dir)
            Self.expectRefusal(runISCert(["merge", future]), "error: \(future): shard format version 3; this iscert reads version 2")
            let edited = try write(text.replacingOccurrences(of: "\"estimates\":[[64,", with: "\"estimates\":[[65,"),
                                   to: "edited.json", in: dir)
            Self.expectRefusal(runISCert(["merge", edited]), "error: \(edited): 'beta-uniform' block 0 (trials 0 ..< 64): estimator 0 counts 65 trials, not 64")
            Self.expectRefusal(runISCert(["merge"]), "Missing expected argument '<shard-file> ...'")
        }
    }

    // MARK: - The output file

    @Test("an existing --output file is kept unless --force; a scenario file never becomes one")
    func outputIsNotOverwritten() throws {
        try withTemporaryDirectory { dir in
            let existing = try write("my notes\n", to: "notes.json", in: dir)
            let args = ["check", CLI.scenario("beta-uniform"), "--trials", "200", "--shard", "0/1", "--output", existing]
            Self.expectRefusal(runISCert(args), "error: \(existing) already exists; iscert does not overwrite it (pass --force to replace it)")
            #expect(bytes(of: existing) == Array("my notes\n".utf8))

            let forced = runISCert(args + ["--force"])
            #expect(forced.status == 0)
            #expect(try String(contentsOfFile: existing, encoding: .utf8).hasPrefix("{\"format\":\"iscert-shard\""))

            let scenario = try write(shippedScenario("beta-uniform"), to: "beta.iscert", in: dir)
            let before = bytes(of: scenario)
            Self.expectRefusal(runISCert(["check", scenario, "--trials", "200", "--shard", "0/2", "--output", scenario, "--force"]),
                               "error: --output \(scenario) is one of the scenario files being certified")
            #expect(bytes(of: scenario) == before)

            let nowhere = dir.appendingPathComponent("no/such/folder/s.json").path
            Self.expectRefusal(runISCert(["check", scenario, "--shard", "0/2", "--output", nowhere]),
                               "error: cannot write shard file \(nowhere): no such directory")
            Self.expectRefusal(runISCert(["check", scenario, "--shard", "0/2", "--output", dir.path, "--force"]),
                               "error: cannot write shard file \(dir.path): it is a directory")
            // Nothing half-written or temporary is left behind.
            let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            #expect(listing == ["beta.iscert", "notes.json"])
        }
    }

    struct BadShardOption: Sendable, CustomTestStringConvertible {
        var args: [String]
        var message: String
        var testDescription: String { args.joined(separator: " ") }
    }

    static let badOptions = [
        BadShardOption(args: ["--shard", "3/3", "--output", "s.json"],
                       message: "--shard 3/3: the shard index must be in 0 ..< 3 (shards are numbered from 0 to 2)"),
        BadShardOption(args: ["--shard", "0/0", "--output", "s.json"], message: "--shard 0/0: the number of shards must be at least 1"),
        BadShardOption(args: ["--shard", "x/y", "--output", "s.json"],
                       message: "--shard 'x/y' is not of the form i/n with whole numbers 0 <= i < n (shard i of n, for example 0/4)"),
        BadShardOption(args: ["--shard=-1/2", "--output", "s.json"], message: "--shard '-1/2' is not of the form i/n"),
        BadShardOption(args: ["--shard", "1", "--output", "s.json"], message: "--shard '1' is not of the form i/n"),
        BadShardOption(args: ["--shard", "0/200000", "--output", "s.json"], message: "--shard 0/200000: at most 100000 shards"),
        BadShardOption(args: ["--shard", "0/2"], message: "--shard needs --output FILE, the shard file to write"),
        BadShardOption(args: ["--shard", "0/2", "--output", "s.json", "--trial", "3"],
                       message: "--trial replays one trial of a whole scenario and cannot be combined with --shard"),
        BadShardOption(args: ["--shard", "0/2", "--output", "s.json", "--format", "json"],
                       message: "--format does not apply with --shard"),
        BadShardOption(args: ["--force"], message: "--force only applies to --output"),
        BadShardOption(args: ["--progress", "sometimes"], message: "'sometimes' is invalid for '--progress"),
    ]

    @Test("bad --shard, --output, --force and --progress values exit 2 with the problem named", arguments: badOptions)
    func badOption(_ c: BadShardOption) throws {
        try withTemporaryDirectory { dir in
            let run = runISCert(["check", CLI.scenario("beta-uniform")] + c.args, in: dir)
            Self.expectRefusal(run, c.message)
            #expect(run.stderr.hasPrefix("Error: "), "\(run.stderr)")
            let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(listing.isEmpty, "a bad command wrote a file")
        }
    }
}
