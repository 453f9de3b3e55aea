import Foundation
import Testing
#if canImport(PSIS)
@testable import PSIS
#else
@testable import ISCertification
#endif

/// PSIS k-hat and smoothed log-weights against arviz (References/psis/make_reference.py), the tail
/// rules, degenerate inputs, and the sampling distribution of k-hat for a case with known k.
@Suite struct ParetoSmoothingTests {
    // MARK: - Reference data

    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let summary: String
            /// nil is -infinity (JSON has no infinities).
            let logWeights: [Double?]
            let tailLength: Int
            let khat: Double
            let smoothed: [Double?]
            let floorTailLength: Int
            let khatFloor: Double?
            let smoothedFloor: [Double?]?
            let khatLegacy: Double?
        }
        let arviz_stats: String
        let arviz: String
        let cases: [Case]
    }

    /// The folder of this file; resolved so that a symlinked copy of the file still finds References/.
    static let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()

    static func loadReference() throws -> Reference {
        let url = here.appendingPathComponent("References/psis/reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static let reference: Reference? = try? loadReference()
    static let caseNames: [String] = reference?.cases.map(\.name) ?? []

    static func referenceCase(_ name: String) throws -> Reference.Case {
        try #require(reference?.cases.first { $0.name == name })
    }

    /// Set PSIS_PRINT_DIFFS=1 to print the largest differences from arviz.
    static let printDiffs = ProcessInfo.processInfo.environment["PSIS_PRINT_DIFFS"] != nil

    /// The largest |mine - ref| over the entries, with `mine` normalised to logsumexp 0 as arviz's are.
    /// Inputs that tie may get their tail quantiles in either order (numpy's argsort is unstable, this
    /// implementation breaks ties by index), so tied groups are compared as sorted multisets.
    static func maxDifference(mine raw: [Double], reference ref: [Double?], input: [Double]) -> Double {
        #expect(raw.count == ref.count)
        let norm = ParetoSmoothing.logSumExp(raw)
        let mine = raw.map { $0 - norm }
        let expected = ref.map { $0 ?? -.infinity }
        var groups: [Double: [Int]] = [:]
        for (i, v) in input.enumerated() { groups[v, default: []].append(i) }
        var worst = 0.0
        for indices in groups.values {
            let a = indices.map { mine[$0] }.sorted()
            let b = indices.map { expected[$0] }.sorted()
            for (x, y) in zip(a, b) {
                if x == -.infinity || y == -.infinity {
                    #expect(x == y, "a -inf log-weight must stay -inf and only those")
                } else {
                    worst = max(worst, abs(x - y))
                }
            }
        }
        return worst
    }

    // MARK: - Tail rules

    /// M = ceil(min(S/5, 3 sqrt(S))): S/5 up to S = 225, 3 sqrt(S) beyond.
    @Test func tailLengthRule() throws {
        #expect(ParetoSmoothing.tailLength(0) == 0)
        #expect(ParetoSmoothing.tailLength(1) == 1)
        #expect(ParetoSmoothing.tailLength(20) == 4)
        #expect(ParetoSmoothing.tailLength(21) == 5)
        #expect(ParetoSmoothing.tailLength(100) == 20)
        #expect(ParetoSmoothing.tailLength(225) == 45)
        #expect(ParetoSmoothing.tailLength(226) == 46)  // ceil(3 sqrt(226)) = ceil(45.10)
        #expect(ParetoSmoothing.tailLength(900) == 90)
        #expect(ParetoSmoothing.tailLength(1000) == 95)  // ceil(94.87); arviz-stats' floor gives 94
        #expect(ParetoSmoothing.tailLength(4000) == 190)
        #expect(ParetoSmoothing.tailLength(ParetoSmoothing.minimumDraws) == ParetoSmoothing.minimumTailLength)
        #expect(ParetoSmoothing.tailLength(ParetoSmoothing.minimumDraws - 1) < ParetoSmoothing.minimumTailLength)
        // The exact integer rule equals the floating-point formula of the references.
        for s in 1...200_000 {
            let float = Int(min(Double(s) / 5, 3 * Double(s).squareRoot()).rounded(.up))
            if ParetoSmoothing.tailLength(s) != float {
                Issue.record("tailLength(\(s)) = \(ParetoSmoothing.tailLength(s)), formula \(float)")
                break
            }
        }
        for c in try #require(Self.reference).cases {
            #expect(ParetoSmoothing.tailLength(c.logWeights.count) == c.tailLength, "\(c.name)")
        }
    }

    /// The tail is selected, not sorted whole: the selection must equal the last entries of the
    /// stable ascending sort of every index, ties (broken by index) and zero weights included.
    @Test func tailSelectionEqualsTheStableSort() {
        var state: UInt64 = 0x7A11
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for trial in 0..<300 {
            let s = 2 + Int(next() % 120)
            // Few distinct values, so that ties are common; -inf for zero weights.
            let lw: [Double] = (0..<s).map { _ in
                let v = next() % 9
                return v == 0 ? -.infinity : Double(v) / 4 * (trial % 2 == 0 ? 1 : -1e300)
            }
            let stable = (0..<s).sorted { lw[$0] < lw[$1] || (lw[$0] == lw[$1] && $0 < $1) }
            let count = 1 + Int(next() % UInt64(s))
            #expect(ParetoSmoothing.largestIndices(count, of: lw) == Array(stable[(s - count)...]), "\(lw), \(count)")
        }
    }

    /// min(1 - 1/log10(S), 0.7): 0.5 at S = 100, 2/3 at S = 1000, capped at 0.7 from S = 2155 on.
    @Test func khatThresholdRule() {
        #expect(abs(ParetoSmoothing.khatThreshold(100) - 0.5) < 1e-15)
        #expect(abs(ParetoSmoothing.khatThreshold(1000) - 2.0 / 3.0) < 1e-15)
        #expect(abs(ParetoSmoothing.khatThreshold(21) - (1 - 1 / log10(21.0))) < 1e-15)
        #expect(ParetoSmoothing.khatThreshold(2154) < 0.7)
        #expect(ParetoSmoothing.khatThreshold(2155) == 0.7)
        #expect(ParetoSmoothing.khatThreshold(4000) == 0.7)
        #expect(ParetoSmoothing.khatThreshold(5) < 0)  // no k-hat is reliable from 5 draws
        #expect(ParetoSmoothing.khatThreshold(1) == 0.7)  // arviz-stats' value where log10(S) <= 0
    }

    // MARK: - Against arviz

    @Test func referenceLoads() throws {
        let ref = try Self.loadReference()
        #expect(ref.cases.count == 16)
        #expect(Self.caseNames.count == ref.cases.count)
    }

    /// k-hat within 1e-6 and normalised smoothed log-weights within 1e-8 of arviz-stats' tail routine
    /// with M = ceil(...), and k-hat within 1e-6 of legacy arviz's public psislw where its tail rule
    /// coincides (no tie at the threshold).
    @Test(arguments: ParetoSmoothingTests.caseNames) func matchesArviz(_ name: String) throws {
        let c = try Self.referenceCase(name)
        let input = c.logWeights.map { $0 ?? -.infinity }
        let fit = try #require(ParetoSmoothing.fit(logWeights: input))
        #expect(fit.tailLength == c.tailLength)
        let khatDiff = abs(fit.khat - c.khat)
        #expect(khatDiff <= 1e-6, "\(name): k-hat \(fit.khat), arviz \(c.khat)")
        if let legacy = c.khatLegacy {
            #expect(abs(fit.khat - legacy) <= 1e-6, "\(name): k-hat \(fit.khat), legacy arviz \(legacy)")
        }
        let (smoothed, smoothFit) = ParetoSmoothing.smooth(logWeights: input)
        #expect(smoothFit == fit)
        let diff = Self.maxDifference(mine: smoothed, reference: c.smoothed, input: input)
        #expect(diff <= 1e-8, "\(name): smoothed log-weights differ by \(diff)")

        // Outside the tail the input comes back bit for bit; inside, nothing exceeds the largest raw weight.
        let top = try #require(input.max())
        let cutoff = input.sorted()[input.count - c.tailLength - 1]
        for (x, y) in zip(input, smoothed) {
            if x < cutoff { #expect(x == y || (x.isNaN && y.isNaN)) }
            #expect(y <= top && !y.isNaN)
        }
        // The threshold is the (M+1)-th largest weight relative to the largest.
        #expect(abs(fit.threshold - exp(cutoff - top)) <= 1e-15)
        if Self.printDiffs {
            print("psis \(name): khat \(fit.khat) |dk| \(khatDiff) max|dlw| \(diff)")
        }
    }

    /// The same against arviz-stats' public psislw, which rounds M down (94 for S = 1000), through the
    /// explicit-tail-length entry points; where that M < 5 both refuse to fit.
    @Test(arguments: ParetoSmoothingTests.caseNames) func matchesArvizStatsPublicPsislw(_ name: String) throws {
        let c = try Self.referenceCase(name)
        let input = c.logWeights.map { $0 ?? -.infinity }
        guard let khatFloor = c.khatFloor, let smoothedFloor = c.smoothedFloor else {
            #expect(c.floorTailLength < ParetoSmoothing.minimumTailLength)
            #expect(ParetoSmoothing.fit(logWeights: input, tailLength: c.floorTailLength) == nil)
            return
        }
        let fit = try #require(ParetoSmoothing.fit(logWeights: input, tailLength: c.floorTailLength))
        #expect(abs(fit.khat - khatFloor) <= 1e-6, "\(name): k-hat \(fit.khat), arviz-stats \(khatFloor)")
        let (smoothed, _) = ParetoSmoothing.smooth(logWeights: input, tailLength: c.floorTailLength)
        let diff = Self.maxDifference(mine: smoothed, reference: smoothedFloor, input: input)
        #expect(diff <= 1e-8, "\(name): smoothed log-weights differ by \(diff)")
        if Self.printDiffs {
            print("psis floor \(name): |dk| \(abs(fit.khat - khatFloor)) max|dlw| \(diff)")
        }
    }

    // MARK: - GPD fit

    /// On the GPD quantiles at (i - 1/2)/n (an idealised sample) the fit recovers k and sigma; k is
    /// then pulled towards 0.5 by exactly the prior's weight 10/(n + 10).
    @Test func gpdFitRecoversAnIdealisedSample() {
        let n = 2000
        for (k, sigma) in [(0.3, 2.0), (-0.2, 1.0), (0.8, 0.5)] {
            let x = (1...n).map { ParetoSmoothing.gpdQuantile((Double($0) - 0.5) / Double(n), k: k, sigma: sigma, mu: 0) }
            let fit = ParetoSmoothing.gpdFit(x)
            let raw = (fit.k * Double(n + 10) - 5) / Double(n)  // undo the regularisation
            #expect(abs(raw - k) < 0.02, "k \(k): fitted \(raw)")
            #expect(abs(fit.sigma / sigma - 1) < 0.03, "sigma \(sigma): fitted \(fit.sigma)")
        }
    }

    /// The fit is scale-equivariant (k unchanged, sigma scaled) and does not depend on the input order.
    @Test func gpdFitIsScaleEquivariantAndOrderFree() {
        var rng = SplitMix64(seed: 7)
        let x = (0..<200).map { _ in ParetoSmoothing.gpdQuantile(rng.uniform(), k: 0.4, sigma: 1, mu: 0) }
        let a = ParetoSmoothing.gpdFit(x)
        let b = ParetoSmoothing.gpdFit(x.map { $0 * 1e-200 })
        let c = ParetoSmoothing.gpdFit(x.sorted())
        #expect(a.k.isFinite && a.sigma > 0)
        #expect(abs(a.k - b.k) < 1e-12 && abs(b.sigma / (a.sigma * 1e-200) - 1) < 1e-12)
        #expect(a.k == c.k && a.sigma == c.sigma)
    }

    /// Nothing to fit gives (nan, nan), never a trap.
    @Test func gpdFitDegenerateInputs() {
        for x in [[], [0.0, 0, 0, 0, 0, 0, 1], [-1.0, 1, 2, 3, 4], [1.0, .nan, 2, 3, 4], [1.0, 2, .infinity]] {
            let fit = ParetoSmoothing.gpdFit(x)
            #expect(fit.k.isNaN && fit.sigma.isNaN, "\(x)")
        }
        // A single positive exceedance is a (mostly prior) fit, not a trap.
        let one = ParetoSmoothing.gpdFit([1])
        #expect(one.k.isFinite && one.sigma > 0)
    }

    // MARK: - Degenerate log-weights

    /// Each returns nil and the input unchanged, without trapping.
    @Test func degenerateInputsReturnNilAndTheInput() {
        var rng = SplitMix64(seed: 11)
        let body = (0..<999).map { _ in rng.normal().0 }
        let cases: [(String, [Double])] = [
            ("empty", []),
            ("S = 20 < 21", Array(body.prefix(20))),
            ("all equal", [Double](repeating: 3.5, count: 1000)),
            ("equal tail", Array(body.prefix(900)) + [Double](repeating: 9, count: 100)),
            ("one weight exp(1e4) times the rest", body + [1e4]),
            ("all -inf", [Double](repeating: -.infinity, count: 1000)),
            ("990 of 1000 -inf", [Double](repeating: -.infinity, count: 990) + Array(body.prefix(10))),
            ("NaN", body + [.nan]),
            ("+inf", body + [.infinity]),
        ]
        for (label, lw) in cases {
            #expect(ParetoSmoothing.fit(logWeights: lw) == nil, "\(label)")
            let (smoothed, fit) = ParetoSmoothing.smooth(logWeights: lw)
            #expect(fit == nil, "\(label)")
            #expect(smoothed.count == lw.count && zip(smoothed, lw).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(label)")
        }
        // The explicit tail length must leave a threshold below the tail and at least 5 tail weights.
        #expect(ParetoSmoothing.fit(logWeights: body, tailLength: 4) == nil)
        #expect(ParetoSmoothing.fit(logWeights: body, tailLength: body.count) == nil)
        #expect(ParetoSmoothing.fit(logWeights: body, tailLength: body.count - 1) != nil)
        // The smallest S with a fit.
        #expect(ParetoSmoothing.fit(logWeights: Array(body.prefix(ParetoSmoothing.minimumDraws)))?.tailLength == 5)
    }

    /// k-hat depends only on differences: shifting by +/-1e4 changes it by rounding only, and weights
    /// spanning more than exp(745) (where the threshold underflows) neither trap nor produce NaN.
    @Test func extremeLogWeights() throws {
        var rng = SplitMix64(seed: 13)
        let lw = (0..<1000).map { _ -> Double in
            let x = 0.7 * rng.normal().0
            return x * x * (1 / 0.98 - 0.5)
        }
        let base = try #require(ParetoSmoothing.fit(logWeights: lw))
        for shift in [1e4, -1e4] {
            let (smoothed, fit) = ParetoSmoothing.smooth(logWeights: lw.map { $0 + shift })
            let shifted = try #require(fit)
            #expect(abs(shifted.khat - base.khat) < 1e-8 && shifted.khat.isFinite)
            #expect(smoothed.allSatisfy { $0.isFinite })
        }
        for scale in [100.0, 400.0, 4000.0] {
            let wide = lw.map { $0 * scale }
            let (smoothed, fit) = ParetoSmoothing.smooth(logWeights: wide)
            #expect(!smoothed.contains { $0.isNaN }, "scale \(scale)")
            if let fit { #expect(fit.khat.isFinite && fit.sigma > 0 && fit.threshold >= 0, "scale \(scale)") }
        }
        #expect(ParetoSmoothing.logSumExp([1e4, 1e4]) == 1e4 + log(2.0))
        #expect(ParetoSmoothing.logSumExp([-.infinity, 0]) == 0)
        #expect(ParetoSmoothing.logSumExp([]) == -.infinity)
    }

    // MARK: - Sampling distribution

    /// p = N(0, 1), q = N(0, 0.8^2): the weights have a Pareto tail with k = 1 - 0.64 = 0.36. Over 200
    /// sets of S = 1000 the mean k-hat must lie within 0.05 of 0.379, arviz's mean over 200 sets.
    ///
    /// Seed chosen before the first run. arviz-stats' k-hat (M = 95) over 20,000 sets
    /// (`make_reference.py --mean-khat`) has mean 0.3697 (standard error 0.0009) and sd 0.127, so the
    /// mean of 200 has standard error 0.0090 and the window [0.329, 0.429] lies 4.5 standard errors
    /// below and 6.6 above it: the false-failure probability is about 3e-6 (normal approximation).
    /// k-hat sits above 0.36 at S = 1000 because the GPD is only the asymptotic form of this tail.
    @Test func meanKhatMatchesArvizForAKnownTail() {
        var rng = SplitMix64(seed: 0x5EED_0036)
        let sets = 200, draws = 1000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<sets {
            var lw = [Double]()
            lw.reserveCapacity(draws)
            while lw.count < draws {
                let (a, b) = rng.normal()
                for z in [a, b] where lw.count < draws {
                    let x = 0.8 * z
                    // log N(x; 0, 1) - log N(x; 0, 0.64)
                    lw.append(-x * x / 2 + x * x / (2 * 0.64) + log(0.8))
                }
            }
            guard let k = ParetoSmoothing.fit(logWeights: lw)?.khat else {
                Issue.record("no fit")
                return
            }
            sum += k
            sumSquares += k * k
        }
        let mean = sum / Double(sets)
        let sd = ((sumSquares - Double(sets) * mean * mean) / Double(sets - 1)).squareRoot()
        #expect(abs(mean - 0.379) < 0.05, "mean k-hat \(mean), sd \(sd)")
        if Self.printDiffs { print("psis mean k-hat \(mean) sd \(sd) over \(sets) sets") }
    }

    // MARK: - A deterministic generator for the tests

    /// SplitMix64 (Steele, Lea, Flood 2014) with Box-Muller normals: self-contained so that the tests
    /// depend on no other module's random API.
    struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform on [0, 1) with 53 random bits.
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

        /// Two independent N(0, 1) draws.
        mutating func normal() -> (Double, Double) {
            let u1 = 1 - uniform()  // (0, 1], so log(u1) is finite
            let u2 = uniform()
            let r = (-2 * log(u1)).squareRoot()
            return (r * cos(2 * Double.pi * u2), r * sin(2 * Double.pi * u2))
        }
    }
}
