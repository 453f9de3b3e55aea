import Foundation
import ISScenario

/// The report as one self-contained HTML page: inline CSS, inline SVG charts and
/// a little inline JavaScript, nothing loaded from anywhere.
///
/// Per scenario: the verdict, the exact references, k-hat, the checks, and a
/// histogram of the log-weights of its first trials (replayed from their
/// streams). Per sweep: ESS/N and each estimator's variance against the swept
/// variable, observed with intervals over the exact curve, and a slider that
/// shows the densities of p and q, ESS/N and each estimator's spread at every
/// point. Everything but the slider reads without JavaScript.
///
/// The page is a function of the report and the replayed log-weights alone, so
/// the same run gives the same bytes.
public struct HTMLReport: Sendable {
    /// Log-weights of trials `trials` of one scenario, pooled.
    public struct LogWeights: Sendable {
        public var trials: Range<Int>
        public var values: [Double]
        public init(trials: Range<Int>, values: [Double]) {
            self.trials = trials
            self.values = values
        }
    }

    public let report: CertificationReport
    /// By scenario (or sweep point) name; a scenario without an entry gets no histogram.
    public let logWeights: [String: LogWeights]

    /// The histograms pool the first trials of a scenario until they hold at least
    /// this many draws (one trial when N is larger).
    public static let histogramDraws = 4000
    /// Sweeps of more points than this get no slider (its data would weigh
    /// megabytes); their charts are drawn all the same.
    public static let maxSliderPoints = 400

    public init(_ report: CertificationReport, logWeights: [String: LogWeights] = [:]) {
        self.report = report
        self.logWeights = logWeights
    }

    /// The report, with the log-weights of each scenario's first trials replayed by
    /// `simulator` (the one that ran them: same generator; the seed is the report's).
    public init(_ report: CertificationReport, simulator: Simulator) throws {
        var weights: [String: LogWeights] = [:]
        for r in report.scenarios + report.sweeps.flatMap(\.points) {
            var replay = simulator
            replay.masterSeed = r.seed
            let trials = Self.histogramTrials(r.scenario)
            weights[r.scenario.name] = LogWeights(trials: trials, values: try replay.logWeights(r.scenario, trials: trials))
        }
        self.init(report, logWeights: weights)
    }

    /// Trials 0 ..< t, with t the fewest trials that hold ``histogramDraws`` draws, at most K.
    public static func histogramTrials(_ s: Scenario) -> Range<Int> {
        0..<Swift.min(s.trials, Swift.max(1, (histogramDraws + s.samples - 1) / s.samples))
    }

    /// The page.
    public func render() -> String {
        let met = report.scenarios.filter(\.met).count + report.sweeps.filter(\.met).count
        let total = report.scenarios.count + report.sweeps.count
        let headline = "\(met) of \(total) scenario\(total == 1 ? "" : "s") met"
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <title>iscert report: \(headline)</title>
        <style>
        \(Self.css)</style>
        </head>
        <body>
        <header>
        <h1>iscert report</h1>

        """
        let verdictClass = report.passed ? "met" : "not-met"
        out += "<p class=\"summary \(verdictClass)\"><strong>\(report.passed ? "✓" : "✗") \(headline)</strong>"
        out += report.passed ? ": every scenario meets its declared expectation.</p>\n"
            : ": \(total - met) did not meet \(total - met == 1 ? "its" : "their") declared expectation.</p>\n"
        out += "<p class=\"thresholds\">\(HTMLText.escape(TextReport.summary(report)))</p>\n</header>\n"
        out += overview()
        out += "<main>\n"
        for r in report.scenarios { out += scenarioSection(r, headingLevel: 2) }
        for (i, sw) in report.sweeps.enumerated() { out += sweepSection(sw, index: i) }
        out += "</main>\n<script>\n\(Self.script)</script>\n</body>\n</html>"
        return out
    }

    /// A table of contents: one row per scenario and sweep with its verdict and
    /// the count of checks by status.
    func overview() -> String {
        var out = "<nav aria-label=\"Scenarios\">\n<table class=\"overview\">\n<caption>Scenarios</caption>\n"
        out += "<thead><tr><th scope=\"col\">scenario</th><th scope=\"col\">verdict</th><th scope=\"col\">checks passed</th><th scope=\"col\">not applicable</th><th scope=\"col\">failed</th></tr></thead>\n<tbody>\n"
        func row(name: String, anchor: String, met: Bool, checks: [CheckResult], note: String) {
            let count = { (s: CheckStatus) in checks.filter { $0.status == s }.count }
            out += "<tr><th scope=\"row\"><a href=\"#\(anchor)\">\(HTMLText.escape(name))</a>\(note)</th><td>\(Self.verdictBadge(met))</td>"
            out += "<td>\(count(.pass))</td><td>\(count(.notApplicable))</td><td>\(count(.fail))</td></tr>\n"
        }
        for r in report.scenarios {
            row(name: r.scenario.name, anchor: HTMLText.id("scenario", r.scenario.name), met: r.met, checks: r.checks, note: "")
        }
        for sw in report.sweeps {
            row(name: sw.scenario.name, anchor: HTMLText.id("sweep", sw.scenario.name), met: sw.met,
                checks: sw.points.flatMap(\.checks) + sw.checks,
                note: " <span class=\"note\">(sweep over \(HTMLText.escape(sw.scenario.sweep?.variable ?? "?")), \(sw.points.count) points)</span>")
        }
        return out + "</tbody>\n</table>\n</nav>\n"
    }

    static func verdictBadge(_ met: Bool) -> String {
        met ? "<span class=\"badge met\">✓ MET</span>" : "<span class=\"badge not-met\">✗ NOT MET</span>"
    }

    static func statusCell(_ s: CheckStatus) -> String {
        switch s {
        case .pass: return "<td class=\"status pass\">✓ pass</td>"
        case .fail: return "<td class=\"status fail\">✗ fail</td>"
        case .notApplicable: return "<td class=\"status not-applicable\">– not applicable</td>"
        }
    }
}
