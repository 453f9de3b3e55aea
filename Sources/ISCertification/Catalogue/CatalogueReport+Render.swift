import Foundation

extension CatalogueReport {
    /// The run's header: bugs, scenarios, seeds and the threshold every check used.
    var header: String {
        let runs = seeds.isEmpty ? "each scenario's own seed (1 run each)"
            : "master seeds \(Self.describe(seeds)) (\(seeds.count) runs each)"
        return "planted-bug catalogue: \(bugs.count) bugs on \(baseline.count) scenarios, \(runs); "
            + String(format: "every check at |z| <= %.3f (alpha %g over %d checks)", zStar, alpha, checksInFamily)
    }

    /// One block per bug: each scenario where it was measured, with the detection
    /// rate, its 95% Wilson interval and the checks that failed; then the scenarios
    /// where it had no effect or does not apply.
    public var text: String {
        var out = [header, ""]
        for bug in bugs {
            out.append("\(bug.id)\(bug.engine ? " (engine)" : ""): \(bug.summary)")
            let measured = bug.scenarios.filter { $0.status == "measured" }
            if !measured.isEmpty {
                let width = max(24, (measured.map(\.scenario.count).max() ?? 0) + 2)
                out.append("  " + "scenario".padding(toLength: width, withPad: " ", startingAt: 0)
                           + "caught      rate    95% interval     failed checks (runs)")
                for e in measured {
                    let caught = "\(e.caught)/\(e.runs)".padding(toLength: 12, withPad: " ", startingAt: 0)
                    out.append("  " + e.scenario.padding(toLength: width, withPad: " ", startingAt: 0) + caught
                               + String(format: "%.3f   [%.3f, %.3f]   ", e.rate, e.lower, e.upper) + Self.describe(e.checks))
                }
            }
            for (status, label) in [("no_effect", "no effect"), ("not_applicable", "not applicable")] {
                let names = bug.scenarios.filter { $0.status == status }.map(\.scenario)
                if !names.isEmpty { out.append("  \(label): " + names.joined(separator: ", ")) }
            }
            out.append("")
        }
        let alarms = baseline.filter { $0.runsWithFailure > 0 }
        out.append("correct estimators on the same draws: " + (alarms.isEmpty ? "no check failed in any run"
            : alarms.map { "\($0.scenario) \($0.runsWithFailure)/\($0.runs)" }.joined(separator: ", ")
              + " runs with a failed check (false alarms; an engine bug's rate includes them)"))
        return out.joined(separator: "\n") + "\n"
    }

    /// A Markdown table per bug: one row for each scenario where it was measured,
    /// then the scenarios where it had no effect or does not apply.
    public var markdown: String {
        var out = ["<!-- \(header) -->", ""]
        for bug in bugs {
            out.append("**\(bug.id)**\(bug.engine ? " (engine)" : ""): \(bug.summary)")
            out.append("")
            let measured = bug.scenarios.filter { $0.status == "measured" }
            if !measured.isEmpty {
                out.append("| scenario | caught | rate | 95% interval | failed checks (runs) |")
                out.append("| --- | --- | --- | --- | --- |")
                for e in measured {
                    out.append("| \(e.scenario) | \(e.caught)/\(e.runs) | " + String(format: "%.3f | [%.3f, %.3f]", e.rate, e.lower, e.upper)
                               + " | \(Self.describe(e.checks)) |")
                }
                out.append("")
            }
            for (status, label) in [("no_effect", "No effect"), ("not_applicable", "Not applicable")] {
                let names = bug.scenarios.filter { $0.status == status }.map(\.scenario)
                if !names.isEmpty { out.append("\(label): " + names.joined(separator: ", ") + "."); out.append("") }
            }
        }
        return out.joined(separator: "\n")
    }

    /// The report as JSON, keys sorted.
    public func json() throws -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self) + "\n"
    }

    static func describe(_ checks: [String: Int]) -> String {
        checks.isEmpty ? "-" : checks.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// `1000 ..< 1100` for a contiguous range, else the list.
    static func describe(_ seeds: [UInt64]) -> String {
        guard let first = seeds.first, let last = seeds.last else { return "-" }
        if seeds == Array(first...last) { return "\(first) ..< \(last + 1)" }
        return seeds.map(String.init).joined(separator: ", ")
    }
}
