import Foundation
import ISProbability
import ISScenario

/// Shards merged into the statistics of the whole run, ready to certify.
public struct MergedShards: Sendable {
    /// A certifier with the run's options (seed, overrides, alpha, rng).
    public let certifier: Certifier
    /// The run's scenarios, rebuilt from the shards' canonical texts.
    public let scenarios: [Scenario]
    /// Each scenario point's statistics, by point name: every block of every
    /// shard folded in block order, the bits of an unsharded run.
    public let statistics: [String: RunStatistics]

    /// The certification of the run, from the merged statistics; the same report
    /// as ``Certifier/certify(_:statistics:)`` simulating the run in one piece.
    public func certify() throws -> CertificationReport {
        try certifier.certify(scenarios) { s, _ in
            guard let stats = statistics[s.name] else { throw ShardError("the shards hold no statistics of '\(s.name)'") }
            return stats
        }
    }
}

/// Reads and merges shard files, refusing any set that is not exactly the
/// shards 0/n ... (n-1)/n of one run.
public enum ShardMerge {
    /// Reads one shard file; the error names the file and what is wrong with it.
    public static func read(path: String) throws(ShardError) -> ShardFile {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ShardError("\(path): cannot read shard file: no such file or directory")
        }
        guard !isDirectory.boolValue else { throw ShardError("\(path): cannot read shard file: it is a directory") }
        guard manager.isReadableFile(atPath: path) else { throw ShardError("\(path): cannot read shard file: permission denied") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ShardError("\(path): cannot read shard file: \(error.localizedDescription)")
        }
        // The header first, so that another file gets a plain answer rather than
        // a complaint about some key deep inside.
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw ShardError("\(path): not a shard file (not a JSON object, or cut short); shard files are written by `iscert check --shard i/n --output FILE`")
        }
        guard header.format == ShardFile.formatName else {
            throw ShardError("\(path): not a shard file (its \"format\" is not \"\(ShardFile.formatName)\"); shard files are written by `iscert check --shard i/n --output FILE`")
        }
        guard header.version == ShardFile.currentVersion else {
            throw ShardError("\(path): shard format version \(header.version.map(String.init) ?? "missing"); this iscert reads version \(ShardFile.currentVersion)")
        }
        do { return try ShardFile.decode(data) } catch let error as DecodingError {
            throw ShardError("\(path): malformed shard file: \(describe(error))")
        } catch {
            throw ShardError("\(path): malformed shard file: \(error)")
        }
    }

    /// Merges shards 0/n ... (n-1)/n of one run, given in any order.
    ///
    /// - Throws: ``ShardError`` naming the file, when a shard is missing or given
    ///   twice, when shards come from different runs (scenarios, seed, K, N,
    ///   alpha, family checks, rng or n differ), or when a file's statistics do
    ///   not fit the blocks it claims.
    public static func merge(_ shards: [(path: String, file: ShardFile)]) throws(ShardError) -> MergedShards {
        guard let first = shards.first else { throw ShardError("no shard files given") }
        var seenPaths: [String: String] = [:]
        for (path, _) in shards {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if let other = seenPaths.updateValue(path, forKey: key) {
                throw ShardError("\(path): this shard file is given twice (also as \(other))")
            }
        }

        // One run: the same n, scenarios and options everywhere.
        let n = first.file.shard.count
        for (path, file) in shards.dropFirst() {
            if file.shard.count != n {
                throw ShardError("\(path): shard \(file.shard.index)/\(file.shard.count) does not belong with \(first.path), shard \(first.file.shard.index)/\(n): the run was split into a different number of shards")
            }
            if let difference = difference(first.file.run, file.run, firstPath: first.path) {
                throw ShardError("\(path): does not belong with \(first.path): \(difference)")
            }
        }
        // Every shard exactly once.
        var byIndex: [Int: (path: String, file: ShardFile, spec: ShardSpec)] = [:]
        for (path, file) in shards {
            let spec: ShardSpec
            do { spec = try ShardSpec(index: file.shard.index, count: n) } catch {
                throw ShardError("\(path): shard \(error.description)")
            }
            let shard = (path: path, file: file, spec: spec)
            if let other = byIndex.updateValue(shard, forKey: spec.index) {
                throw ShardError("\(shard.path): duplicate shard: \(other.path) is also shard \(shard.file.shard.index)/\(n)")
            }
        }
        let missing = (0..<n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let given = byIndex.keys.sorted().map { "\($0)/\(n) (\(byIndex[$0]!.path))" }.joined(separator: ", ")
            throw ShardError("missing shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")): a merge needs all \(n) shards of the run; given \(given)")
        }
        let ordered = (0..<n).map { byIndex[$0]! }

        // The run, rebuilt from the first shard (all agree).
        let run = first.file.run
        guard run.blockSize == Simulator.blockSize else {
            throw ShardError("\(first.path): blocks of \(run.blockSize) trials; this iscert runs blocks of \(Simulator.blockSize)")
        }
        guard let algorithm = RandomSource.Algorithm(rawValue: run.rng) else {
            throw ShardError("\(first.path): unknown random number generator '\(run.rng)'")
        }
        guard run.alpha > 0, run.alpha < 1, run.power > 0, run.power < 1 else {
            throw ShardError("\(first.path): alpha \(run.alpha) or power \(run.power) is outside (0, 1)")
        }
        var scenarios: [Scenario] = []
        for entry in run.scenarios {
            do {
                var s = try ScenarioParser.parse(entry.canonicalText, file: entry.file ?? "<\(entry.name)>")
                s.file = entry.file
                scenarios.append(s)
            } catch {
                throw ShardError("\(first.path): scenario '\(entry.name)' does not parse with this iscert:\n\(error.description)")
            }
        }
        var certifier = Certifier(simulator: Simulator(jobs: 1, masterSeed: run.seed, algorithm: algorithm),
                                  alpha: run.alpha, power: run.power, trials: run.trials, samples: run.samples)
        certifier.familyChecks = run.familyChecks
        let checks = certifier.thresholds(for: scenarios).checks
        guard checks == run.checksInFamily else {
            throw ShardError("\(first.path): the run shares alpha among \(run.checksInFamily) checks, but its scenarios plan \(checks) here; the shards were written by another version of iscert")
        }

        // Every point of every shard where this run puts it, then folded.
        var expected: [ShardFile.Point] = []
        for scenario in scenarios {
            for point in scenario.points {
                let s = certifier.effective(point)
                expected.append(ShardFile.Point(
                    name: s.name, samples: s.samples, trials: s.trials, seed: certifier.simulator.seed(for: s),
                    estimators: certifier.runEstimators(s).map(\.name), blocks: Simulator.blockCount(trials: s.trials),
                    firstBlock: 0, statistics: []))
            }
        }
        var statistics: [String: RunStatistics] = [:]
        for (p, want) in expected.enumerated() {
            var blocks: [RunStatistics] = []
            blocks.reserveCapacity(want.blocks)
            for (path, file, spec) in ordered {
                guard file.points.count == expected.count else {
                    throw ShardError("\(path): holds \(file.points.count) scenario points, but the run has \(expected.count)")
                }
                let got = file.points[p]
                let header = [got.name == want.name, got.samples == want.samples, got.trials == want.trials,
                              got.seed == want.seed, got.estimators == want.estimators, got.blocks == want.blocks]
                guard !header.contains(false) else {
                    throw ShardError("\(path): scenario point \(p + 1) is '\(got.name)' with N = \(got.samples), K = \(got.trials), seed \(got.seed), estimators [\(got.estimators.joined(separator: ", "))], but this run's is '\(want.name)' with N = \(want.samples), K = \(want.trials), seed \(want.seed), estimators [\(want.estimators.joined(separator: ", "))]")
                }
                let range = spec.blocks(of: want.blocks)
                guard got.firstBlock == range.lowerBound, got.statistics.count == range.count else {
                    throw ShardError("\(path): '\(got.name)' holds blocks \(got.firstBlock) ..< \(got.firstBlock + got.statistics.count), but shard \(file.shard.index)/\(n) runs blocks \(range.lowerBound) ..< \(range.upperBound)")
                }
                for (offset, block) in got.statistics.enumerated() {
                    let b = range.lowerBound + offset
                    let firstTrial = b * Simulator.blockSize
                    let trials = Swift.min(Simulator.blockSize, want.trials - firstTrial)
                    do {
                        blocks.append(try block.statistics(estimators: want.estimators.count, first: firstTrial, trials: trials))
                    } catch {
                        throw ShardError("\(path): '\(got.name)' block \(b) (trials \(firstTrial) ..< \(firstTrial + trials)): \(error.description)")
                    }
                }
            }
            statistics[want.name] = Simulator.fold(blocks, estimators: want.estimators.count)
        }
        return MergedShards(certifier: certifier, scenarios: scenarios, statistics: statistics)
    }

    /// The first way two runs differ, in words; nil when they are the same run.
    static func difference(_ a: ShardFile.Run, _ b: ShardFile.Run, firstPath: String) -> String? {
        if a.scenarios.map(\.name) != b.scenarios.map(\.name) {
            return "it has the scenarios [\(b.scenarios.map(\.name).joined(separator: ", "))], not [\(a.scenarios.map(\.name).joined(separator: ", "))]"
        }
        for (x, y) in zip(a.scenarios, b.scenarios) where x != y {
            if x.file != y.file { return "scenario '\(x.name)' was read from \(y.file ?? "no file"), not \(x.file ?? "no file")" }
            return "scenario '\(x.name)' differs (its canonical text is not the same)"
        }
        func option<T: Equatable>(_ name: String, _ x: T?, _ y: T?) -> String? {
            func text(_ v: T?) -> String { v.map { "\($0)" } ?? "not given" }
            return x == y ? nil : "\(name) differs: \(text(y)) here, \(text(x)) in \(firstPath)"
        }
        return option("--seed", a.seed, b.seed) ?? option("--trials", a.trials, b.trials)
            ?? option("--samples", a.samples, b.samples) ?? option("--family-checks", a.familyChecks, b.familyChecks)
            ?? option("--alpha", a.alpha, b.alpha) ?? option("--rng", a.rng, b.rng)
            ?? option("checks in the family", a.checksInFamily, b.checksInFamily)
            ?? option("power", a.power, b.power) ?? option("block size", a.blockSize, b.blockSize)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : "at \(p.hasPrefix(".") ? String(p.dropFirst()) : p): "
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context))missing key '\(key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
