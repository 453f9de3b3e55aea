import ArgumentParser
import Foundation
import ISCertification
import ISScenario

/// `iscert catalogue`: plant each catalogued bug in the scenarios and measure how
/// often the checks catch it, over master seeds.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Plant each catalogued bug in the scenarios and measure how often the checks catch it.",
        discussion: """
        Each bug is a small variant of a correct estimator (a ratio inverted, a mask keeping the outside of \
        its band, ...) or of the engine (draws from the target, ESS's reciprocal, an off-by-one in the trial \
        seed). For every scenario and master seed it runs one certification with the bug planted, at the \
        thresholds of the whole run (those of `iscert check` on the same paths), and reports per bug and \
        scenario the runs in which a check caught it, with a 95% Wilson interval and the checks that failed. \
        Exit status: 0, or 1 when a bug that changes some scenario's statistics is caught in no run at all, \
        or 2 on bad input.
        """)

    @Argument(help: "Scenario files (.iscert) or folders searched for them.")
    var paths: [String] = ["Scenarios"]

    @Option(help: ArgumentHelp("Master seeds: FIRST..LAST (inclusive), FIRST..<END, or one seed; default: each file's own seed.",
                               valueName: "range"))
    var seeds: String?

    @Option(help: "Comma-separated bug names (default: every bug; --list prints them).")
    var bugs: String?

    @Flag(help: "Print the catalogue's bugs and exit.")
    var list = false

    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    var jobs: Int = Simulator.defaultJobs

    @OptionGroup var family: FamilyOptions

    @Option(help: "Trials per scenario (K), overriding each file's value.")
    var trials: Int?

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let k = trials, k < 2 { throw ValidationError("--trials must be at least 2, got \(k)") }
        if let text = seeds, Self.parseSeeds(text) == nil {
            throw ValidationError("--seeds must be FIRST..LAST, FIRST..<END or one seed (non-negative integers, FIRST <= LAST), got '\(text)'")
        }
        if let names = bugs {
            for name in names.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            where PlantedBug.named(name) == nil {
                throw ValidationError("unknown bug '\(name)'; expected one of \(PlantedBug.catalogue.map(\.id).joined(separator: ", "))")
            }
        }
    }

    /// `1000..1099`, `1000..<1100` or `7`.
    static func parseSeeds(_ text: String) -> [UInt64]? {
        if let s = UInt64(text) { return [s] }
        for (separator, inclusive) in [("..<", false), ("..", true)] {
            let parts = text.components(separatedBy: separator)
            guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]) else { continue }
            if inclusive, a <= b { return Array(a...b) }
            if !inclusive, a < b { return Array(a..<b) }
            return nil
        }
        return nil
    }

    func run() throws {
        if list {
            for bug in PlantedBug.catalogue { print("\(bug.id)\(bug.isEngineBug ? " (engine)" : ""): \(bug.summary)") }
            return
        }
        let scenarios: [Scenario]
        do {
            scenarios = try Check.parse(["--"] + paths).loadScenarios()
        } catch let error as Check.FileErrors {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        } catch let error as ScenarioFileError {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        }
        let chosen = bugs.map { $0.split(separator: ",").compactMap { PlantedBug.named($0.trimmingCharacters(in: .whitespaces)) } }
            ?? PlantedBug.catalogue
        var certifier = Certifier(simulator: Simulator(jobs: jobs), alpha: family.alpha, trials: trials)
        certifier.familyChecks = family.familyChecks
        let runner = CatalogueRunner(certifier: certifier, thresholds: certifier.thresholds(for: scenarios))
        let seedList = seeds.flatMap(Self.parseSeeds) ?? []
        var outcomes: [[[BugOutcome]]] = [], baseline: [[[String]]] = []
        for s in scenarios {
            var perSeed: [[BugOutcome]] = [], failures: [[String]] = []
            for seed in seedList.isEmpty ? [nil] : seedList.map(Optional.some) {
                let run = try runner.run(s, bugs: chosen, seed: seed)
                perSeed.append(run.outcomes)
                failures.append(run.baselineFailures)
            }
            outcomes.append(perSeed)
            baseline.append(failures)
        }
        let report = CatalogueReport(bugs: chosen, scenarios: scenarios.map(\.name), seeds: seedList,
                                     thresholds: runner.thresholds, outcomes: outcomes, baselineFailures: baseline)
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: print(try report.json(), terminator: "")
        case .markdown: print(report.markdown, terminator: "")
        }
        let missed = report.bugs.filter { bug in
            bug.scenarios.contains { $0.status == "measured" } && bug.scenarios.allSatisfy { $0.caught == 0 }
        }
        if !missed.isEmpty {
            FileHandle.writeError("never caught: " + missed.map(\.id).joined(separator: ", "))
            throw ExitCode(ISCert.Exit.notMet)
        }
    }
}
