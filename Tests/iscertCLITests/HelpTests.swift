import Testing

@Suite("Help")
struct HelpTests {
    @Test("the root help exits 0 and lists the subcommands and exit statuses", arguments: [["--help"], ["-h"]])
    func rootHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert"))
        for subcommand in ["check", "explain", "merge"] {
            #expect(run.stdout.contains("  \(subcommand) "), "help does not list \(subcommand)")
        }
        #expect(run.stdout.contains("Exit status: 0"))
    }

    static let checkOptions = ["--trials", "--samples", "--seed", "--jobs", "--format", "--alpha",
                               "--family-checks", "--trial", "--rng", "--progress", "--shard", "--output", "--force"]

    @Test("check's help exits 0 and mentions every option", arguments: [["check", "--help"], ["check", "-h"], ["help", "check"]])
    func checkHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert check"))
        for option in Self.checkOptions {
            #expect(run.stdout.contains(option), "help does not mention \(option)")
        }
        for value in ["text", "json", "mt19937", "ranlxd2", "taus2", "auto|always|never", "<i/n>", "merge", "disjoint",
                      "terminal", "CI", "--force"] {
            #expect(run.stdout.contains(value), "help does not mention \(value)")
        }
    }

    @Test("merge's help exits 0 and says what it needs, what it refuses and its exit statuses",
          arguments: [["merge", "--help"], ["help", "merge"]])
    func mergeHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert merge <shard-file> ..."))
        for phrase in ["--shard i/n --output FILE", "missing, duplicate or foreign shard", "--format", "junit", "markdown",
                       "bit for bit", "Exit status: 0"] {
            #expect(run.stdout.contains(phrase), "help does not mention \(phrase)")
        }
    }

    @Test("explain's help exits 0 and mentions every option", arguments: [["explain", "--help"], ["help", "explain"]])
    func explainHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert explain <file>"))
        for option in ["--trials", "--alpha", "--family-checks"] {
            #expect(run.stdout.contains(option), "help does not mention \(option)")
        }
    }
}
