import ArgumentParser
import Foundation
import ISCertification
import ISProbability
import ISScenario

/// `iscert check`: certify scenario files.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Certify the scenarios in files or folders (default: Scenarios/).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit, markdown, html

        /// The report in this format; the HTML page replays a few trials with
        /// `simulator` to draw their weights.
        func render(_ report: CertificationReport, simulator: Simulator) throws -> String {
            switch self {
            case .text: TextReport.render(report)
            case .json: try JSONReport(report).encoded()
            case .junit: JUnitReport.render(report)
            case .markdown: MarkdownReport.render(report)
            case .html: try HTMLReport(report, simulator: simulator).render()
            }
        }
    }

    @Argument(help: "Scenario files (.iscert) or folders searched for them.")
    var paths: [String] = ["Scenarios"]

    @Option(help: "Trials per scenario (K), overriding each file's value.")
    var trials: Int?

    @Option(help: "Samples per trial (N), overriding each file's value.")
    var samples: Int?

    @Option(help: "Master seed, overriding each file's seed.")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    var jobs: Int = Simulator.defaultJobs

    @Option(help: "Output format: text (the default), json, junit (for CI systems), markdown (for pull-request comments) or html (one self-contained page with charts).")
    var format: Format?

    @OptionGroup var family: FamilyOptions

    @Option(help: "Replay one trial (0-based) of a single scenario and print its summary.")
    var trial: Int?

    @Option(help: "Random number generator: mt19937, ranlxd2 or taus2.")
    var rng: String = RandomSource.Algorithm.mt19937.rawValue

    @Option(help: ArgumentHelp(
        "Progress bar on standard error: auto (only when standard error is a terminal and the environment variable CI is not set), always or never.",
        valueName: "auto|always|never"))
    var progress: ProgressMode = .auto

    @Option(help: ArgumentHelp(
        "Run only shard i of n (0 <= i < n): a disjoint slice of every scenario's trials. Needs --output; `iscert merge` combines the n shard files into the report of the whole run.",
        valueName: "i/n"))
    var shard: String?

    @Option(help: ArgumentHelp(
        "Write to this file instead of standard output: the report, or with --shard the shard file. An existing file is not replaced unless --force is given, and a scenario file never is.",
        valueName: "file"))
    var output: String?

    @Flag(help: "Replace an existing --output file.")
    var force = false

    func validate() throws {
        if let k = trials, k < 2 { throw ValidationError("--trials must be at least 2, got \(k)") }
        if let n = samples, n < 2 { throw ValidationError("--samples must be at least 2, got \(n)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let t = trial, t < 0 { throw ValidationError("--trial must be >= 0, got \(t)") }
        if trial != nil, shard == nil, format == .html || output != nil {
            throw ValidationError("--trial prints one trial as text or json to standard output; --format html and --output are for reports")
        }
        if RandomSource.Algorithm(rawValue: rng) == nil {
            throw ValidationError("--rng must be one of \(RandomSource.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")), got '\(rng)'")
        }
        if let text = shard {
            do { _ = try ShardSpec(parsing: text) } catch {
                throw ValidationError("--shard \(error)")
            }
            if output == nil { throw ValidationError("--shard needs --output FILE, the shard file to write") }
            if trial != nil { throw ValidationError("--trial replays one trial of a whole scenario and cannot be combined with --shard") }
            if format != nil {
                throw ValidationError("--format does not apply with --shard, which writes a shard file; give --format to `iscert merge`")
            }
        }
        if force && output == nil { throw ValidationError("--force only applies to --output") }
    }

    func run() throws {
        let scenarios: [Scenario]
        do {
            scenarios = try loadScenarios()
        } catch let error as FileErrors {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        } catch let error as ScenarioFileError {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        }
        var simulator = Simulator(jobs: jobs, masterSeed: seed, algorithm: RandomSource.Algorithm(rawValue: rng)!)
        var certifier = Certifier(simulator: simulator, alpha: family.alpha, trials: trials, samples: samples)
        certifier.familyChecks = family.familyChecks
        let format = format ?? .text

        if let t = trial {
            guard scenarios.count == 1 else {
                FileHandle.writeError("error: --trial replays one scenario; \(scenarios.count) were given")
                throw ExitCode(ISCert.Exit.badInput)
            }
            // A sweep replays the trial at every point.
            for point in scenarios[0].points {
                let s = certifier.effective(point)
                guard t < s.trials else {
                    FileHandle.writeError("error: --trial \(t) is outside 0..<\(s.trials)")
                    throw ExitCode(ISCert.Exit.badInput)
                }
                let estimators = certifier.runEstimators(s)
                let summary = try simulator.replay(s, trial: t, estimators: estimators)
                print(TrialReport.render(summary, scenario: s, estimators: estimators.map(\.name),
                                         seed: simulator.seed(for: s), json: format == .json))
            }
            return
        }

        let spec = try shard.map { try ShardSpec(parsing: $0) }
        let points = scenarios.flatMap(\.points).map(certifier.effective)
        let bar = progress.enabled() ? ProgressBar(points: points.map(\.name)) : nil
        if let bar {
            simulator.progress = { bar.update($0) }
            certifier.simulator = simulator
        }
        defer { bar?.finish() }

        if let spec, let output {
            try ShardOutput.check(output, force: force, scenarioFiles: scenarios.compactMap(\.file))
            let file: ShardFile
            do { file = try certifier.runShard(scenarios, shard: spec) } catch let error as ShardError {
                FileHandle.writeError("error: \(error)")
                throw ExitCode(ISCert.Exit.badInput)
            }
            try ShardOutput.write(try file.encoded(), to: output, force: force)
            bar?.finish()
            let run = file.points.reduce(0) { $0 + $1.trials }
            let mine = file.points.reduce(0) { sum, p in
                sum + Swift.max(0, Swift.min((p.firstBlock + p.statistics.count) * Simulator.blockSize, p.trials)
                                   - p.firstBlock * Simulator.blockSize)
            }
            print("shard \(spec): \(mine) of \(run) trials of \(points.count) scenario point\(points.count == 1 ? "" : "s") written to \(output)")
            return
        }

        let report = try certifier.certify(scenarios)
        bar?.finish()
        let rendered = try format.render(report, simulator: simulator)
        if let output {
            try ShardOutput.check(output, force: force, scenarioFiles: scenarios.compactMap(\.file), report: true)
            // The same bytes as standard output, where print adds the newline.
            try ShardOutput.write(Data((rendered + "\n").utf8), to: output, force: force, report: true)
        } else {
            print(rendered)
        }
        if !report.passed { throw ExitCode(ISCert.Exit.notMet) }
    }

    func loadScenarios() throws -> [Scenario] {
        var files: [String] = []
        var seenPaths = Set<String>()
        for path in paths {
            // The same file named twice (directly and through its folder) runs once.
            for file in try ScenarioParser.scenarioFiles(in: path)
            where seenPaths.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted {
                files.append(file)
            }
        }
        var scenarios: [Scenario] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            // Each file's diagnostics stay together, in file order.
            do { scenarios.append(try ScenarioParser.load(path: file)) } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw FileErrors(diagnostics: diagnostics) }
        if scenarios.isEmpty {
            throw FileErrors(diagnostics: [Diagnostic(file: paths.joined(separator: " "), line: 1, column: 1,
                                                      message: "no .iscert scenario files found", sourceLine: nil)])
        }
        var seen: [String: String] = [:]
        for s in scenarios {
            if let other = seen.updateValue(s.file ?? "", forKey: s.name) {
                let (line, column, text) = Self.position(ofKey: "name", in: s.file)
                throw FileErrors(diagnostics: [Diagnostic(file: s.file ?? "", line: line, column: column,
                    message: "scenario name '\(s.name)' is also used by \(other); names seed random streams and must be unique",
                    sourceLine: text)])
            }
        }
        return scenarios
    }

    /// Diagnostics of several files, printed in the order the files were read.
    struct FileErrors: Error, CustomStringConvertible {
        let diagnostics: [Diagnostic]
        var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Where `key = ...` stands in a scenario file, for diagnostics that concern a
    /// whole value; line 1 column 1 when the file cannot be read.
    static func position(ofKey key: String, in file: String?) -> (Int, Int, String?) {
        guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return (1, 1, nil) }
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix(key), trimmed.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).first == "=" {
                return (i + 1, line.count - trimmed.count + 1, String(line))
            }
        }
        return (1, 1, nil)
    }
}
