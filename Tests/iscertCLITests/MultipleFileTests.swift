import Foundation
import Testing

@Suite("Several files and folders")
struct MultipleFileTests {
    enum Kind: String, Sendable { case pass, pass2, fail, bad }

    struct Combination: Sendable, CustomTestStringConvertible {
        var files: [Kind]
        var status: Int32
        var testDescription: String { files.map(\.rawValue).joined(separator: " + ") }
    }

    static let combinations = [
        Combination(files: [.pass, .pass2], status: 0),
        Combination(files: [.pass, .fail], status: 1),
        Combination(files: [.fail, .pass], status: 1),
        Combination(files: [.fail, .pass, .pass2], status: 1),
        Combination(files: [.pass, .bad], status: 2),
        Combination(files: [.fail, .bad], status: 2),
        Combination(files: [.bad, .pass], status: 2),
    ]

    static let names: [Kind: String] = [.pass: "beta-uniform", .pass2: "gamma-pair", .fail: "temp-support-miss"]

    @Test("the exit status is the worst of the files, and every scenario is reported", arguments: combinations)
    func worstStatus(_ c: Combination) throws {
        try withTemporaryDirectory { dir in
            var paths: [Kind: String] = [:]
            paths[.pass] = try write(try shippedScenario("beta-uniform"), to: "pass.iscert", in: dir)
            paths[.pass2] = try write(try shippedScenario("gamma-pair"), to: "pass2.iscert", in: dir)
            paths[.fail] = try write(supportViolation(), to: "fail.iscert", in: dir)
            paths[.bad] = try write("name = \"broken\"\ntarget = normal(mean: 0, sd: 1\n", to: "bad.iscert", in: dir)
            let run = runISCert(["check"] + c.files.compactMap { paths[$0] } + ["--trials", "200", "--format", "json"])
            #expect(run.status == c.status)
            if c.status == 2 {
                #expect(run.stdout.isEmpty)
                #expect(run.stderr.contains(try #require(paths[.bad]) + ":"))
                return
            }
            #expect(run.stderr.isEmpty)
            let report = try decode(Report.self, run.stdout)
            #expect(report.scenarios.map(\.name) == c.files.compactMap { Self.names[$0] }, "scenarios out of argument order")
            #expect(report.checksInFamily == 4 * c.files.count)  // mean, variance, ess, khat each
            #expect(report.passed == (c.status == 0))
            for s in report.scenarios {
                #expect(s.met == (s.name != "temp-support-miss"), "\(s.name): \(s.verdict)")
                #expect(s.exact.supportViolations.isEmpty == (s.name != "temp-support-miss"))
            }
        }
    }

    @Test("a folder is searched at any depth, in path order, for .iscert files only")
    func folder() throws {
        try withTemporaryDirectory { dir in
            try write(try shippedScenario("beta-uniform"), to: "beta-uniform.iscert", in: dir)
            try write(try shippedScenario("gamma-pair"), to: "nested/deeper/gamma-pair.iscert", in: dir)
            try write("not a scenario\n", to: "notes.txt", in: dir)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder.iscert"), withIntermediateDirectories: true)

            let passing = runISCert(["check", dir.path, "--trials", "200", "--format", "json"])
            #expect(passing.status == 0, "\(passing.stderr)")
            let report = try decode(Report.self, passing.stdout)
            #expect(report.scenarios.map(\.name) == ["beta-uniform", "gamma-pair"])
            #expect(report.scenarios.map(\.file) == [dir.path + "/beta-uniform.iscert", dir.path + "/nested/deeper/gamma-pair.iscert"])

            try write(supportViolation(), to: "z-miss.iscert", in: dir)
            let failing = runISCert(["check", dir.path, "--trials", "200", "--format", "json"])
            #expect(failing.status == 1)
            let all = try decode(Report.self, failing.stdout)
            #expect(all.scenarios.map(\.name) == ["beta-uniform", "gamma-pair", "temp-support-miss"])
            #expect(all.checksInFamily == 12)
            #expect(!all.passed)

            // A folder and a file together.
            let mixed = runISCert(["check", dir.path + "/nested", CLI.scenario("exponential-pair"), "--trials", "200"])
            #expect(mixed.status == 0)
            #expect(mixed.stdout.contains("2 scenarios: 2 met, 0 not met"))
        }
    }

    @Test("without a path, check certifies every file in Scenarios/")
    func defaultFolder() throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: CLI.packageRoot.appendingPathComponent("Scenarios").path))
        let shipped = (enumerator.allObjects as? [String] ?? []).filter { $0.hasSuffix(".iscert") }.map { "Scenarios/" + $0 }
        // The shipped folder once, end to end. K = 20 keeps the run of the whole folder
        // cheap; verdicts at K = 20 need not match the files' own K (the scenario suite
        // certifies each file at its own), so only what the run covers is asserted.
        let implicit = runISCert(["check", "--trials", "20", "--format", "json"])
        #expect([0, 1].contains(implicit.status), "\(implicit.stderr)")
        let report = try decode(Report.self, implicit.stdout)
        // Swept scenarios are reported under `sweeps`, one entry per file; every shipped file appears once.
        let files = report.scenarios.compactMap(\.file) + (report.sweeps ?? []).compactMap(\.file)
        #expect(files.count == report.scenarios.count + (report.sweeps?.count ?? 0))
        #expect(files.sorted() == shipped.sorted())
        let scenarioFiles = report.scenarios.compactMap(\.file), sweepFiles = (report.sweeps ?? []).compactMap(\.file)
        #expect(scenarioFiles == scenarioFiles.sorted() && sweepFiles == sweepFiles.sorted(), "files found in a folder come in path order")
        #expect(report.scenarios.allSatisfy { $0.trials == 20 })
        #expect(report.checksInFamily >= 4 * shipped.count)
        #expect(Set(report.scenarios.map(\.name)).count == report.scenarios.count)
        #expect(implicit.status == (report.passed ? 0 : 1))
    }

    @Test("without a path, check is check Scenarios, byte for byte")
    func defaultFolderIsScenarios() throws {
        // A Scenarios/ folder of the shipped layout (a nested file, a sweep, a polynomial
        // f) in a folder of its own, run both ways. No SWIFT_DETERMINISTIC_HASHING here:
        // each process has its own random hash seed, so this also checks that no result
        // depends on a Dictionary's order (the closed forms once summed polynomial
        // coefficients in hash order).
        try withTemporaryDirectory { dir in
            try write(try shippedScenario("beta-uniform"), to: "Scenarios/beta-uniform.iscert", in: dir)
            try write(try shippedScenario("ppo-clip"), to: "Scenarios/policies/ppo-clip.iscert", in: dir)
            try write("""
                name        = "temp-gap-sweep"
                description = "two unit Gaussians at three gaps"
                target      = normal(mean: gap, sd: 1)
                behavior    = normal(mean: 0, sd: 1)
                f(x)        = x^2
                sweep       = gap in [0, 0.5, 1]
                samples     = 50

                """, to: "Scenarios/sweeps/gap.iscert", in: dir)
            let implicit = runISCert(["check", "--trials", "20", "--format", "json"], in: dir)
            let explicit = runISCert(["check", "Scenarios", "--trials", "20", "--format", "json"], in: dir)
            #expect(implicit.status == 0, "\(implicit.stderr)")
            #expect(implicit.status == explicit.status)
            #expect(implicit.stdout == explicit.stdout)
            let report = try decode(Report.self, implicit.stdout)
            #expect(report.scenarios.compactMap(\.file) == ["Scenarios/beta-uniform.iscert", "Scenarios/policies/ppo-clip.iscert"])
            #expect(report.sweeps?.compactMap(\.file) == ["Scenarios/sweeps/gap.iscert"])
        }
    }
}
