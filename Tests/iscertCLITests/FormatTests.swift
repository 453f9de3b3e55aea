import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--format junit` and `--format markdown`: the same verdicts and exit status as
/// the text report, in shapes CI systems and pull-request comments read.
@Suite("JUnit and Markdown reports")
struct FormatTests {
    /// Counts the elements of a JUnit document with Foundation's XML parser, which
    /// also proves the document well formed.
    final class Counter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var failureMessages: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if name == "failure" { failureMessages.append(attributes["message"] ?? "") }
        }
    }

    func parse(_ xml: String) throws -> Counter {
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return counter
    }

    @Test("a passing run: one test case per check plus the verdict, no failure, skipped checks marked")
    func junitPassing() throws {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), CLI.scenario("narrow-behavior-infinite"),
                             "--trials", "400", "--format", "junit"])
        #expect(run.status == 0)
        let c = try parse(run.stdout)
        #expect(c.counts["testsuite"] == 2)
        #expect(c.counts["testcase"] == 2 * 6)
        #expect(c.counts["failure"] == nil)
        // narrow-behavior-infinite: mean and variance do not apply; beta-uniform: k-hat does not.
        #expect((c.counts["skipped"] ?? 0) >= 3)
    }

    @Test("a scenario not met exits 1 and carries a failure with the replay command")
    func junitNotMet() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "miss.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200", "--format", "junit"])
            #expect(run.status == 1)
            let c = try parse(run.stdout)
            #expect(c.counts["failure"] == 1)
            #expect(c.failureMessages.first?.contains("support violation") == true)
            #expect(run.stdout.contains("replay: iscert check"))
        }
    }

    @Test("markdown: a summary table row per scenario, and the checks of a scenario not met")
    func markdown() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "miss.iscert", in: dir)
            let run = runISCert(["check", path, CLI.scenario("beta-uniform"), "--trials", "200", "--format", "markdown"])
            #expect(run.status == 1)
            let out = lines(run.stdout)
            #expect(out.first == "### iscert: some scenarios not met")
            #expect(out.contains { $0.hasPrefix("| beta-uniform | met |") })
            #expect(out.contains { $0.hasPrefix("| temp-support-miss | **NOT MET**") })
            #expect(out.contains("#### temp-support-miss"))
            #expect(out.contains { $0.hasPrefix("replay: `iscert check") })
        }
    }
}
