import Foundation
import Testing

/// Regression tests for bugs found by these end-to-end tests: the replay command
/// lost --rng, diagnostics of several files were interleaved, and a pole of f
/// inside the support was reported as a finite moment of 0.
@Suite("Regressions")
struct RegressionTests {
    @Test("the replay command keeps a non-default --rng")
    func replayKeepsRNG() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "miss.iscert", in: dir)
            let original = try decode(Report.self, runISCert(["check", path, "--trials", "200", "--rng", "taus2", "--format", "json"]).stdout)
            let entry = try #require(original.scenarios.first)
            let binary = try #require(CLI.binary)
            let replayed = runShell(shellQuoted(binary.path) + entry.replay.dropFirst("iscert".count) + " --format json")
            let again = try #require(try decode(Report.self, replayed.stdout).scenarios.first)
            #expect(entry.replay.contains("--rng taus2"))
            #expect(!entry.met)
            #expect(again.observed == entry.observed)
            #expect(again == entry)
        }
    }

    @Test("diagnostics of several files are grouped by file")
    func diagnosticsGroupedByFile() throws {
        try withTemporaryDirectory { dir in
            let a = try write("name = \"bad name\"\ndescription = \"d\"\ntarget = norml(mean: 0, sd: 1)\nbehavior = normal(mean: 0, sd: 1)\nf(x) = x\nsamples = 200\nsamples = 300\n",
                              to: "a.iscert", in: dir)
            let b = try write("name = \"b\"\ndescription = \"d\"\ntarget = normal(mean: 0, sd: 1)\nbehavior = normal(mean: 0, sd: 1)\nf(x) = (x + 1\nsamples = 200\n",
                              to: "b.iscert", in: dir)
            let run = runISCert(["check", a, b])
            #expect(run.status == 2)
            let files = lines(run.stderr).compactMap { line -> String? in
                if line.hasPrefix(a + ":") { return "a" }
                if line.hasPrefix(b + ":") { return "b" }
                return nil
            }
            #expect(files.count == 4)
            #expect(files == ["a", "a", "a", "b"])
        }
    }

    @Test("a pole of f inside the support is not reported as a finite moment")
    func poleOfF() throws {
        try withTemporaryDirectory { dir in
            // E_p[|x|^-1.2] diverges at 0, so E_q[r^2 f^2] is infinite.
            let path = try write(scenarioText(name: "pole", target: "normal(mean: 0, sd: 1)", behavior: "normal(mean: 0, sd: 1)",
                                              f: "abs(x)^-0.6", expect: "infinite_variance"),
                                 to: "pole.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200", "--format", "json"])
            let s = try #require(try decode(Report.self, run.stdout).scenarios.first)
            #expect(s.exact.rf2.value == .infinity)
            #expect(s.regime == "infinite_variance")
            #expect(run.status == 0)
        }
    }
}

/// Bit-identical across processes: every process has its own random hash seed, so a
/// result that depends on a Dictionary's iteration order differs between runs. The
/// closed forms of a polynomial f once summed its coefficients in hash order.
@Suite("Determinism across processes")
struct ProcessDeterminismTests {
    @Test("five processes print the same JSON for a polynomial f")
    func sameBitsInEveryProcess() throws {
        let runs = (0..<5).map { _ in
            runISCert(["check", CLI.scenario("ppo-clip"), "--trials", "20", "--jobs", "1", "--format", "json"]).stdout
        }
        #expect(!runs[0].isEmpty)
        #expect(Set(runs).count == 1)
    }
}
