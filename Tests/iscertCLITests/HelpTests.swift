import Testing

@Suite("Help")
struct HelpTests {
    @Test("the root help exits 0 and lists the subcommands and exit statuses", arguments: [["--help"], ["-h"]])
    func rootHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert"))
        #expect(run.stdout.contains("check"))
        #expect(run.stdout.contains("Exit status: 0"))
    }

    static let checkOptions = ["--trials", "--samples", "--seed", "--jobs", "--format", "--alpha",
                               "--family-checks", "--trial", "--rng"]

    @Test("check's help exits 0 and mentions every option", arguments: [["check", "--help"], ["check", "-h"], ["help", "check"]])
    func checkHelp(_ args: [String]) {
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE: iscert check"))
        for option in Self.checkOptions {
            #expect(run.stdout.contains(option), "help does not mention \(option)")
        }
        for value in ["text", "json", "mt19937", "ranlxd2", "taus2"] {
            #expect(run.stdout.contains(value), "help does not mention \(value)")
        }
    }
}
