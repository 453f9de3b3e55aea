import Foundation
import Testing

/// `iscert explain`: what a certification would test, without simulating.
@Suite("explain")
struct ExplainTests {
    @Test("canonical form, exact references, and which checks apply and why")
    func explainsAScenario() {
        let run = runISCert(["explain", CLI.scenario("narrow-behavior-finite")])
        #expect(run.status == 0)
        let out = lines(run.stdout)
        #expect(out.first == "# canonical form")
        #expect(out.contains("name        = \"narrow-behavior-finite\""))
        #expect(out.contains { $0.hasPrefix("  mean[is]: applies; expected 1.0, standard error ") })
        #expect(out.contains { $0.hasPrefix("  variance[is]: does not apply: E[(Z - EZ)^4] is infinite") })
        #expect(out.contains { $0.contains("tail index k = 0.2775") })
        #expect(out.contains { $0.hasPrefix("  khat: applies") })
    }

    @Test("invalid option values are bad input",
          arguments: [(["--trials", "1"], "--trials must be at least 2, got 1"), (["--alpha", "1"], "--alpha must be in (0, 1)"),
                      (["--family-checks", "0"], "--family-checks must be at least 1, got 0"),
                      (["--trials", "many"], "'many' is invalid for '--trials")])
    func badOptions(_ args: [String], _ message: String) {
        let run = runISCert(["explain", CLI.scenario("beta-uniform")] + args)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("Error: ") && run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("a missing file is bad input")
    func missingFile() {
        let run = runISCert(["explain", "no-such-file.iscert"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("no-such-file.iscert:1:1: error:"))
    }
}
