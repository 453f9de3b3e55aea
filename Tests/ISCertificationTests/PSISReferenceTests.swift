import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Pareto-smoothed IS against its simulated references (ci/psis-reference.py): the
/// script's estimator is iscert's, sample by sample; planted PSIS bugs fail the
/// two-sample checks; a reference for other inputs is not used; reports say where
/// the reference came from.
@Suite struct PSISReferenceTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let summary: String
            let logWeights: [Double]
            let values: [Double]
            let psis: Double
            let tailLength: Int
            let psisFloorTail: Double
            let floorTailLength: Int
        }
        let cases: [Case]
    }

    static func vectors() throws -> Vectors {
        let url = Fixture.here.appendingPathComponent("References/psis/estimates.json")
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    /// A shipped scenario, with the path reports print.
    static func shipped(_ name: String) throws -> Scenario {
        let folder = Fixture.here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios")
        var s = try ScenarioParser.load(path: folder.appendingPathComponent("\(name).iscert").path)
        s.file = "Scenarios/\(name).iscert"
        return s
    }

    /// `estimate` on one trial's log-weights and values.
    static func estimate(_ lw: [Double], _ f: [Double], _ estimate: (TrialDraws) -> Double) -> Double {
        let r = lw.map { exp($0) }
        return lw.withUnsafeBufferPointer { l in
            r.withUnsafeBufferPointer { r in f.withUnsafeBufferPointer { v in estimate(TrialDraws(logRatios: l, ratios: r, values: v)) } }
        }
    }

    /// The script's psis estimates (arviz-stats' `_ps_tail`, then sum w f / sum w) are
    /// iscert's on every fixed vector, to rounding; where arviz-stats' public psislw
    /// would take a different tail length (N = 226, 1000), its estimate differs by
    /// far more than that, so the comparison tells the two conventions apart.
    @Test func theReferenceScriptComputesThisEstimator() throws {
        let cases = try Self.vectors().cases
        #expect(cases.count == 5)
        for c in cases {
            let mine = Self.estimate(c.logWeights, c.values, BuiltinEstimator(.paretoSmoothed).estimate)
            #expect(ParetoSmoothing.tailLength(c.logWeights.count) == c.tailLength, "\(c.summary)")
            #expect(Fixture.relativeError(mine, c.psis) < 1e-12, "\(c.summary): \(mine) vs \(c.psis)")
            if c.floorTailLength != c.tailLength {
                #expect(abs(mine - c.psisFloorTail) > 1e-5, "\(c.summary)")
            }
            // The planted variants below share every other step with the engine.
            let replica = Self.estimate(c.logWeights, c.values) { PSISBug.none.estimate($0) }
            #expect(Fixture.relativeError(replica, mine) < 1e-12, "\(c.summary)")
        }
    }

    /// PSIS with one step wrong: each shifts E[Z] or Var Z of psis-heavy-tail (k = 0.64,
    /// N = 200) by more than its check's smallest detectable shift at K = 4000. Shifts
    /// measured paired on 20,000 trials by `ci/psis-planted-shifts.py`, in units of
    /// the check's sd; detection probabilities at the scenario's own z* = 3.227 (its 8
    /// planned checks):
    /// - no smoothing (plain SNIS): mean +0.102 (29 sd), variance x4.4: 1;
    /// - the raw Zhang-Stephens k, without the prior's pull to 0.5: variance x1.43
    ///   (8.7 sd): 0.9989 (its mean +0.021, 6.0 sd: 0.991);
    /// - no truncation at the largest raw weight: mean +0.0188 (5.4 sd): 0.982.
    /// (Quantiles at z/M instead of (z - 1/2)/M move the mean by +0.105, 30 sd, as
    /// surely caught as no smoothing; left out to save the time of one more tail fit
    /// per trial.) A tail one longer moves the mean by 0.0004 (0.1 sd): no K near 4000
    /// sees it, and the fixed vectors above pin the tail length instead.
    @Test func plantedSmoothingBugsAreCaught() throws {
        let s = try Self.shipped("psis-heavy-tail")
        let bugs: [PSISBug] = [.noSmoothing, .unregularisedK, .noTruncation]
        // The engine's own psis beside the bugs.
        let correct = BuiltinEstimator(.paretoSmoothed)
        let planted = bugs.map { bug in PlantedEstimator(name: bug.rawValue, spec: .paretoSmoothed) { bug.estimate($0) } }
        let certifier = Certifier(simulator: Simulator(jobs: 2))
        let report = try certifier.certify(s, estimators: [correct] + planted, thresholds: certifier.thresholds(for: [s]))
        for check in [CheckName.mean, .variance] {
            let c = try #require(report.check(check, estimator: "psis"))
            #expect(c.status == .pass, "\(c)")
        }
        for (bug, check) in zip(bugs, [CheckName.mean, .variance, .mean]) {
            let c = try #require(report.check(check, estimator: bug.rawValue))
            #expect(c.status == .fail, "\(bug): \(c)")
        }
        #expect(!report.met)
    }

    /// `--samples` changes what one trial's estimate is: the reference simulated for
    /// N = 200 is not used, and says why; it is not failed or passed.
    @Test func aReferenceForOtherInputsIsNotUsed() throws {
        let s = try Self.shipped("pareto-smoothed")
        let certifier = Certifier(simulator: Simulator(jobs: 2), trials: 20, samples: 100)
        let report = try certifier.certify(s, thresholds: certifier.thresholds(for: [s]))
        for check in [CheckName.mean, .variance] {
            let c = try #require(report.check(check, estimator: "psis"))
            #expect(c.status == .notApplicable)
            #expect(c.reason.contains("simulated for 'samples = 200', and this run has 'samples = 100'"), "\(c.reason)")
        }
        #expect(report.simulatedReferences.isEmpty)
    }

    /// The regime comes from the first estimator with exact moments: listing psis
    /// first changes nothing, and psis alone takes the regime of the weights
    /// (ordinary IS's). Both used to read "undetermined" and could never be met.
    @Test func psisFirstOrAloneHasTheWeightsRegime() throws {
        var s = try Self.shipped("pareto-smoothed")
        let certifier = Certifier(simulator: Simulator(jobs: 2), trials: 200)
        let listed = try certifier.certify(s, thresholds: Thresholds(checks: 10))
        for order in [[EstimatorSpec.paretoSmoothed, .importanceSampling, .selfNormalized], [.paretoSmoothed]] {
            s.estimators = order
            let r = try certifier.certify(s, thresholds: Thresholds(checks: 10))
            #expect(r.regime == listed.regime && r.regime != .undetermined, "\(order): \(r.regime)")
            let met = r.met
            #expect(met, "\(order): \(r.verdict)")
        }
        // psis alone where IS's variance is infinite: the weights' regime says so.
        let heavy = try Self.shipped("psis-heavy-tail")
        var alone = heavy
        alone.estimators = [.paretoSmoothed]
        #expect(try certifier.certify(alone, thresholds: Thresholds(checks: 10)).regime == .infiniteVariance)
    }

    /// `iscert sample-size` plans psis's mean check with the reference's variance, and
    /// counts the reference's own error as the check does: K >= v / ((Δ/(z* + z_β))^2 - v/R).
    @Test func sampleSizesUseTheReference() throws {
        let s = try Self.shipped("pareto-smoothed")
        let r = try #require(s.simulatedReference(for: .paretoSmoothed))
        let certifier = Certifier()
        let thresholds = certifier.thresholds(for: [s])
        let sizes = certifier.sampleSizes(s, bias: 0.01, varianceShift: nil, thresholds: thresholds).sizes
        let psis = try #require(sizes.first { $0.label.estimator == "psis" })
        let d = 0.01 / (thresholds.zStar + thresholds.zPower)
        #expect(psis.powerTrials == (r.variance / (d * d - r.meanStandardError * r.meanStandardError)).rounded(.up))
        #expect(psis.trials != nil)
    }

    /// Every report format names the independent simulation and its trial count.
    @Test func reportsSayWhereTheReferenceCameFrom() throws {
        let s = try Self.shipped("pareto-smoothed")
        let reference = try #require(s.simulatedReference(for: .paretoSmoothed))
        let certifier = Certifier(simulator: Simulator(jobs: 2), trials: 40)
        let run = try certifier.certify([s])
        let phrase = "independent simulation of \(reference.trials) trials"
        for (format, text) in [("text", TextReport.render(run)), ("markdown", MarkdownReport.render(run)),
                               ("junit", JUnitReport.render(run)), ("html", HTMLReport(run).render())] {
            #expect(text.contains(phrase), "\(format)")
            #expect(text.contains("ci/psis-reference.py"), "\(format)")
        }
        // JSON: the estimator's `reference` entry, and the checks' reasons.
        let json = try JSONReport(run).encoded()
        #expect(json.contains("\"trials\" : \(reference.trials)"))
        #expect(json.contains("\"mean_standard_error\""))
        #expect(json.contains("of an independent simulation (ci/psis-reference.py"))
    }
}

/// One step of PSIS done wrong, on top of a replica of iscert's smoothing built from
/// ParetoSmoothing's fit and quantile function.
enum PSISBug: String, CaseIterable {
    case none = "psis-replica"
    /// Self-normalised IS: the tail is never replaced.
    case noSmoothing = "psis-no-smoothing"
    /// k from Zhang-Stephens alone, without the regularisation (M k + 5)/(M + 10).
    case unregularisedK = "psis-unregularised-k"
    /// Smoothed weights may exceed the largest raw weight.
    case noTruncation = "psis-no-truncation"

    func estimate(_ d: TrialDraws) -> Double {
        let lw = Array(d.logRatios)
        let m = ParetoSmoothing.tailLength(lw.count)
        let top = lw.max() ?? 0
        var w = lw.map { exp($0 - top) }
        if self != .noSmoothing, let fit = ParetoSmoothing.fit(logWeights: lw, tailLength: m) {
            let k = self == .unregularisedK ? (fit.khat * Double(m + 10) - 5) / Double(m) : fit.khat
            let tail = ParetoSmoothing.largestIndices(m + 1, of: lw).dropFirst()
            for (z, i) in tail.enumerated() {
                let q = ParetoSmoothing.gpdQuantile((Double(z) + 0.5) / Double(m), k: k, sigma: fit.sigma, mu: fit.threshold)
                // On this scale the largest raw weight is 1.
                w[i] = self == .noTruncation ? q : min(q, 1)
            }
        }
        var sum = 0.0, total = 0.0
        for i in 0..<d.count where w[i] != 0 {
            sum += w[i] * d.values[i]
            total += w[i]
        }
        return sum / total
    }
}
