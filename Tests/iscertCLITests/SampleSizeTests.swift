import Foundation
import Testing

/// `iscert sample-size` and the `detect_bias` warning of `iscert check`.
@Suite("sample-size and detect_bias")
struct SampleSizeCLITests {
    /// gaussian-gap-1 alone plans 4 checks: z* = Phi^-1(1 - 0.01/8) = 3.0233, z_0.8 = 0.8416;
    /// Var Z = (43 e - 4)/200, sd(Z) = 0.75128; ((3.8649 * 0.75128) / 0.05)^2 = 3372.6.
    @Test("the trials each mean check needs, by the formula")
    func meanCheckTrials() {
        let run = runISCert(["sample-size", CLI.scenario("gaussian-gap-1"), "--bias", "0.05"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = lines(run.stdout)
        #expect(out.first?.contains("|z| <= 3.023, z* + z_beta = 3.865") == true, "\(out)")
        #expect(out.contains { $0.hasPrefix("  mean[is]: K >= 3373 (sd(Z) = 0.7513, ((z* + z_beta) sd(Z) / 0.05)^2 = 3373); K = 4000 in the file is enough") }, "\(out)")
    }

    @Test("a check that applies at no K says why")
    func noSampleSize() {
        let run = runISCert(["sample-size", CLI.scenario("narrow-behavior-infinite"), "--bias", "0.05", "--variance-shift", "0.1"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  mean[is]: no K detects it: the estimate has infinite variance"))
        #expect(run.stdout.contains("  variance[is]: no K detects it:"))
    }

    @Test("bad input exits 2 with a message on stderr", arguments: [
        (["--bias=-0.05"], "--bias must be a finite number > 0, got -0.05"),
        (["--bias", "0"], "--bias must be a finite number > 0, got 0.0"),
        (["--bias", "nan"], "--bias must be a finite number > 0"),
        (["--bias", "0.1", "--power", "1"], "--power must be in (0, 1), got 1.0"),
        (["--bias", "0.1", "--variance-shift=-1"], "--variance-shift must be a finite number > 0"),
        (["--bias", "0.1", "--family-checks", "0"], "--family-checks must be at least 1"),
        ([], "Missing expected argument '--bias <bias>'"),
    ])
    func badInput(_ options: [String], _ message: String) {
        let run = runISCert(["sample-size", CLI.scenario("gaussian-gap-1")] + options)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("a missing file or a bad detect_bias is bad input, at its file:line:column")
    func badFiles() throws {
        let missing = runISCert(["sample-size", "no-such-file.iscert", "--bias", "0.1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.iscert:1:1: error:"))
        try withTemporaryDirectory { folder in
            let text = scenarioText(name: "negative-bias", target: "normal(mean: 1, sd: 1)", behavior: "normal(mean: 0, sd: 1)",
                                    f: "x") + "detect_bias = -0.05\n"
            let path = try write(text, to: "bad.iscert", in: folder)
            for command in [["check", path], ["sample-size", path, "--bias", "0.1"]] {
                let run = runISCert(command)
                #expect(run.status == 2)
                #expect(run.stderr.contains("bad.iscert:9:15: error: detect_bias must be a finite number > 0, got -0.05"), "\(run.stderr)")
            }
        }
    }

    /// p = N(1, 1), q = N(0, 1), f = x, N = 100: sd(Z) = sqrt((5e - 1)/100) = 0.3548, so with
    /// z* + z_beta = 3.865 a bias of 0.05 needs K >= 753 and a bias of 0.5 needs K >= 38
    /// (the skewness floor). At K = 100 the first warns and the second does not.
    @Test("check warns when K cannot detect detect_bias, in text and JSON, and not otherwise")
    func detectBiasWarning() throws {
        try withTemporaryDirectory { folder in
            func scenario(_ bias: String) throws -> String {
                try write(scenarioText(name: "detect-\(bias)", target: "normal(mean: 1, sd: 1)",
                                       behavior: "normal(mean: 0, sd: 1)", f: "x", samples: 100, trials: 100)
                          + "detect_bias = \(bias)\n", to: "detect-\(bias).iscert", in: folder)
            }
            let small = try scenario("0.05"), large = try scenario("0.5")
            let warned = runISCert(["check", small, "--jobs", "1"])
            #expect(warned.status == 0)
            #expect(warned.stdout.contains("  warning: detect_bias = 0.05: at K = 100 the mean check of is detects a bias of 0.137 or more with probability 0.8, not 0.05; K >= 753 would detect it"), "\(warned.stdout)")
            let json = runISCert(["check", small, "--jobs", "1", "--format", "json"])
            #expect(json.status == 0)
            #expect(json.stdout.contains("\"warnings\" : [\n        \"detect_bias = 0.05: at K = 100"), "\(json.stdout)")
            #expect(json.stdout.contains("\"detect_bias\" : 0.05"))
            let quiet = runISCert(["check", large, "--jobs", "1"])
            #expect(quiet.status == 0)
            #expect(!quiet.stdout.contains("warning"))
            let quietJSON = runISCert(["check", large, "--jobs", "1", "--format", "json"])
            #expect(!quietJSON.stdout.contains("\"warnings\""))
        }
    }
}
