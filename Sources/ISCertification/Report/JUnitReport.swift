import Foundation
import ISScenario

/// The report as JUnit XML, for CI systems: one test suite per scenario (or sweep
/// point), one test case per check. A failed check is a `<failure>` with its
/// message and the replay command; a check that does not apply is `<skipped>` with
/// its reason (never counted as passed); a scenario whose declared outcomes did not
/// happen gets one more failing case, `verdict`.
public enum JUnitReport {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 admits no other control characters.
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default: if c.value >= 0x20 { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    static func caseName(_ c: CheckResult) -> String {
        c.estimator.map { "\(c.name.rawValue)[\($0)]" } ?? c.name.rawValue
    }

    static func suite(_ r: ScenarioReport) -> String {
        let failed = r.checks.filter { $0.status == .fail }.count + (r.met ? 0 : 1)
        let skipped = r.checks.filter { $0.status == .notApplicable }.count
        var out = "  <testsuite name=\"\(escape(r.scenario.name))\" tests=\"\(r.checks.count + 1)\" failures=\"\(failed)\" skipped=\"\(skipped)\">\n"
        let references = r.referencesInOrder
        if !references.isEmpty {
            // Where the expectations of estimators without exact moments came from.
            out += "    <properties>\n"
            for (estimator, reference) in references {
                out += "      <property name=\"reference[\(escape(estimator))]\" value=\"\(escape(reference.summary))\"/>\n"
            }
            out += "    </properties>\n"
        }
        for c in r.checks {
            out += "    <testcase classname=\"\(escape(r.scenario.name))\" name=\"\(escape(caseName(c)))\">"
            switch c.status {
            case .pass: break
            case .notApplicable: out += "<skipped message=\"\(escape(c.reason))\"/>"
            case .fail:
                let message = "observed \(c.observed.map { "\($0)" } ?? "-") vs expected \(c.expected.map { "\($0)" } ?? "-"), z = \(c.z.map { "\($0)" } ?? "-")"
                out += "<failure message=\"\(escape(message))\">\(escape(c.reason + "\nreplay: " + r.replay))</failure>"
            }
            out += "</testcase>\n"
        }
        out += "    <testcase classname=\"\(escape(r.scenario.name))\" name=\"verdict\">"
        if !r.met { out += "<failure message=\"\(escape(r.verdict))\">\(escape("replay: " + r.replay))</failure>" }
        out += "</testcase>\n  </testsuite>\n"
        return out
    }

    public static func render(_ report: CertificationReport) -> String {
        let reports = report.scenarios + report.sweeps.flatMap(\.points)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"iscert\">\n"
        out += reports.map(suite).joined()
        for sw in report.sweeps where !sw.checks.isEmpty {
            out += "  <testsuite name=\"\(escape(sw.scenario.name))\" tests=\"\(sw.checks.count)\" failures=\"\(sw.checks.filter { $0.status == .fail }.count)\">\n"
            for c in sw.checks {
                out += "    <testcase classname=\"\(escape(sw.scenario.name))\" name=\"\(escape(caseName(c)))\">"
                if c.status == .fail { out += "<failure message=\"\(escape(c.reason))\"/>" }
                if c.status == .notApplicable { out += "<skipped message=\"\(escape(c.reason))\"/>" }
                out += "</testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>"
    }
}
