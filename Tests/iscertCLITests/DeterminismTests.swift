import Foundation
import Testing

@Suite("Determinism")
struct DeterminismTests {
    @Test("--jobs 1, 2 and 3 give byte-identical JSON")
    func jobsDoNotMatter() throws {
        // An odd K so the trials do not split evenly among the workers.
        let args = ["check", CLI.scenario("mixture-target"), CLI.scenario("gamma-pair"), "--trials", "301", "--format", "json"]
        let runs = ["1", "2", "3"].map { runISCert(args + ["--jobs", $0]) }
        for run in runs {
            #expect(run.status == 0)
            #expect(run.stderr.isEmpty)
        }
        #expect(!runs[0].stdout.isEmpty)
        #expect(runs[1].stdout == runs[0].stdout, "--jobs 2 differs from --jobs 1")
        #expect(runs[2].stdout == runs[0].stdout, "--jobs 3 differs from --jobs 1")
        let report = try decode(Report.self, runs[0].stdout)
        #expect(report.scenarios.map(\.name) == ["mixture-target", "gamma-pair"])
    }

    @Test("the same command twice gives the same text")
    func repeatable() {
        let args = ["check", CLI.scenario("gaussian-gap-1"), "--trials", "200", "--jobs", "2"]
        let a = runISCert(args), b = runISCert(args)
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
    }

    @Test("a different --seed changes the observed numbers, not the exact ones")
    func seedMatters() throws {
        let args = ["check", CLI.scenario("gamma-pair"), "--trials", "200", "--format", "json"]
        let one = try decode(Report.self, runISCert(args + ["--seed", "1"]).stdout)
        let two = try decode(Report.self, runISCert(args + ["--seed", "2"]).stdout)
        let a = try #require(one.scenarios.first), b = try #require(two.scenarios.first)
        #expect(a.seed == 1 && b.seed == 2)
        #expect(a.observed.meanEstimate != b.observed.meanEstimate)
        #expect(a.observed.varianceEstimate != b.observed.varianceEstimate)
        #expect(a.observed.meanEssFraction != b.observed.meanEssFraction)
        #expect(a.exact == b.exact)
        #expect(b.replay.contains("--seed 2"))
    }

    /// gamma-pair at K = 200 with the default generator, run once for the three cases below.
    static let standard = runISCert(["check", CLI.scenario("gamma-pair"), "--trials", "200", "--format", "json"])

    @Test("each --rng gives its own reproducible stream", arguments: ["mt19937", "ranlxd2", "taus2"])
    func generators(_ rng: String) throws {
        let args = ["check", CLI.scenario("gamma-pair"), "--trials", "200", "--format", "json"]
        let chosen = runISCert(args + ["--rng", rng]), again = runISCert(args + ["--rng", rng, "--jobs", "1"])
        #expect(chosen.status == 0)
        #expect(chosen.stdout == again.stdout)
        let standard = try decode(Report.self, Self.standard.stdout)
        let report = try decode(Report.self, chosen.stdout)
        let a = try #require(standard.scenarios.first), b = try #require(report.scenarios.first)
        if rng == "mt19937" {
            #expect(a == b, "mt19937 is the default")
        } else {
            #expect(a.observed.meanEstimate != b.observed.meanEstimate)
        }
    }
}
