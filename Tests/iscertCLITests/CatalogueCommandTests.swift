import Foundation
import Testing

/// `iscert catalogue`: planted bugs run through the built binary.
@Suite("Catalogue command")
struct CatalogueCommandTests {
    @Test("--list prints every bug with its one-line mistake")
    func listsTheBugs() {
        let run = runISCert(["catalogue", "--list"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        for bug in ["ratio-inverted", "drawn-from-target", "log-ratio-sign-flipped", "mean-over-n-minus-1", "snis-over-n",
                    "ess-reciprocal (engine)", "cap-doubled", "mask-outside-band", "clip-wrong-side", "product-as-sum",
                    "ratio-against-itself", "nan-zero-times-inf", "seed-off-by-one (engine)"] {
            #expect(run.stdout.contains(bug + ":") || run.stdout.contains(bug + " "), "--list does not list \(bug)")
        }
    }

    @Test("a caught bug, an engine bug and a bug that does not apply, at the file's seed, as JSON and text")
    func reportsDetection() throws {
        // K = 1000 keeps the run short; both bugs move their statistic by dozens of standard errors.
        let args = ["catalogue", CLI.scenario("ppo-clip"), "--bugs", "clip-wrong-side,ess-reciprocal,mask-outside-band",
                    "--trials", "1000"]
        let json = runISCert(args + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let bugs = try #require(report["bugs"] as? [[String: Any]])
        #expect(bugs.map { $0["id"] as? String } == ["clip-wrong-side", "ess-reciprocal", "mask-outside-band"])
        let entries = bugs.map { ($0["scenarios"] as? [[String: Any]])?.first ?? [:] }
        #expect(entries.map { $0["status"] as? String } == ["measured", "measured", "not_applicable"])
        #expect(entries[0]["caught"] as? Int == 1 && entries[0]["runs"] as? Int == 1)
        #expect((entries[1]["checks"] as? [String: Int])?["ess"] == 1)
        let text = runISCert(args)
        #expect(text.status == 0)
        #expect(text.stdout.contains("ppo-clip") && text.stdout.contains("not applicable: ppo-clip"))
    }

    @Test("exit status 1 when a bug is caught in no run, naming it")
    func missedBugExitsOne() {
        // N - 1 for N shifts gaussian-gap-1's mean by 2/199 = 0.0100, 0.42 of its
        // standard error sqrt((43 e - 4)/200/1000) = 0.0238 at K = 1000: at the shipped
        // suite's z* = 4.21 (399 checks) the mean check catches that with probability
        // about 4e-5.
        let run = runISCert(["catalogue", CLI.scenario("gaussian-gap-1"), "--bugs", "mean-over-n-minus-1",
                             "--family-checks", "399", "--trials", "1000"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("never caught: mean-over-n-minus-1"))
    }

    @Test("bad seeds and unknown bugs are bad input", arguments: [
        (["--seeds", "5..3"], "--seeds must be"), (["--seeds", "x"], "--seeds must be"),
        (["--bugs", "ratio-invert"], "unknown bug 'ratio-invert'"),
    ])
    func badInput(_ extra: [String], _ message: String) {
        let run = runISCert(["catalogue", CLI.scenario("ppo-clip")] + extra)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
