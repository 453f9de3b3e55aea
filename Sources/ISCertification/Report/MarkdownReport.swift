import ISScenario

/// The report as Markdown, for pull-request comments: a summary line, one table
/// row per scenario, and the checks of every scenario not met.
public enum MarkdownReport {
    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    public static func render(_ report: CertificationReport) -> String {
        let reports = report.scenarios + report.sweeps.flatMap(\.points)
        var out = "### iscert: \(report.passed ? "all scenarios met" : "some scenarios not met")\n\n"
        out += TextReport.summary(report) + "\n\n"
        out += "| scenario | verdict | checks passed | not applicable | failed |\n| --- | --- | --- | --- | --- |\n"
        for r in reports {
            let count = { (s: CheckStatus) in r.checks.filter { $0.status == s }.count }
            out += "| \(cell(r.scenario.name)) | \(r.met ? "met" : "**NOT MET**: " + cell(r.verdict)) | \(count(.pass)) | \(count(.notApplicable)) | \(count(.fail)) |\n"
        }
        let references = reports.flatMap { r in r.referencesInOrder.map { (r.scenario.name, $0.estimator, $0.reference) } }
        if !references.isEmpty {
            out += "\nSimulated references (estimators without exact moments):\n\n"
            for (scenario, estimator, reference) in references {
                out += "- \(cell(scenario)), `\(estimator)`: \(cell(reference.summary))\n"
            }
        }
        for r in reports where !r.met {
            out += "\n#### \(cell(r.scenario.name))\n\n| check | estimator | status | observed | expected | z |\n| --- | --- | --- | --- | --- | --- |\n"
            for c in r.checks {
                out += "| \(c.name.rawValue) | \(c.estimator ?? "-") | \(c.status.rawValue) | \(TextReport.g(c.observed)) | \(TextReport.g(c.expected)) | \(TextReport.g(c.z, 3)) |\n"
            }
            out += "\nreplay: `\(r.replay)`\n"
        }
        return out
    }
}
