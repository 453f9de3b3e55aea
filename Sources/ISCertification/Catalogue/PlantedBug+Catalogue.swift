import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PlantedBug {
    /// Every planted bug, in the order of issue #7's list of mistakes real RL code ships.
    public static let catalogue: [PlantedBug] = [
        ratioInverted, drawnFromTarget, logRatioSignFlipped, meanOverNMinus1, snisOverN, essReciprocal,
        capDoubled, maskOutsideBand, clipWrongSide, productAsSum, ratioAgainstItself, nanZeroTimesInfinity,
        seedOffByOne,
    ]

    /// The bug with this ``id``.
    public static func named(_ id: String) -> PlantedBug? { catalogue.first { $0.id == id } }

    /// An estimator bug that applies to the value estimators `applies` accepts
    /// (a gradient estimator's planted bugs are in its own tests).
    static func estimatorBug(_ id: String, _ summary: String, applies: @escaping @Sendable (EstimatorSpec, Scenario) -> Bool,
                             _ implementation: @escaping @Sendable (EstimatorSpec) -> @Sendable (TrialDraws) -> Double) -> PlantedBug {
        PlantedBug(id: id, summary: summary, mutation: .estimator { spec, scenario in
            !spec.isGradient && applies(spec, scenario) ? implementation(spec) : nil
        })
    }

    static let ratioInverted = estimatorBug(
        "ratio-inverted", "the ratio inverted: old over new probabilities, q/p instead of p/q",
        applies: { spec, _ in
            switch spec {
            case .importanceSampling, .selfNormalized, .truncated, .clamped, .ppoClip: true
            default: false
            }
        }) { spec in { d in d.withLogRatios({ -$0 }) { BuiltinEstimator(spec).estimate($0) } } }

    static let drawnFromTarget = PlantedBug(
        id: "drawn-from-target", summary: "samples drawn from p (the new policy) but still weighted by p/q",
        mutation: .drawFromTarget)

    static let logRatioSignFlipped = estimatorBug(
        "log-ratio-sign-flipped", "the log-ratio's sign flipped, log q - log p, where estimators work from log r",
        applies: { spec, _ in
            switch spec {
            case .klK1, .klK3, .masked, .perDecision, .perToken, .geometricMean, .tokenTruncated, .tokenMasked: true
            default: false
            }
        }) { spec in { d in d.withLogRatios({ -$0 }) { BuiltinEstimator(spec).estimate($0) } } }

    static let meanOverNMinus1 = estimatorBug(
        "mean-over-n-minus-1", "a per-sample mean normalised by N - 1, the sample variance's habit",
        applies: { spec, _ in
            if case .sampleMean = BuiltinEstimator.sampleSpecification(spec).form { return true }
            return false
        }) { spec in
        { d in
            let n = Double(d.count)
            return BuiltinEstimator(spec).estimate(d) * n / (n - 1)
        }
    }

    static let snisOverN = estimatorBug(
        "snis-over-n", "self-normalised IS divided by the wrong sum, N instead of sum r",
        applies: { spec, _ in spec == .selfNormalized }) { _ in
        { d in
            var sum = 0.0
            for i in 0..<d.count where d.ratios[i] != 0 { sum += d.ratios[i] * d.values[i] }
            return sum / Double(d.count)
        }
    }

    static let essReciprocal = PlantedBug(
        id: "ess-reciprocal", summary: "ESS computed as sum r^2 / (sum r)^2, the reciprocal of (sum r)^2 / sum r^2",
        mutation: .essFraction { sumR, sumR2, n in sumR2 / (sumR * sumR) / Double(n) })

    static let capDoubled = estimatorBug(
        "cap-doubled", "a truncation cap off by a factor of 2 (bounds at c/2 and 2c where c was meant)",
        applies: { spec, _ in
            switch spec {
            case .truncated, .clamped, .tokenTruncated: true
            default: false
            }
        }) { spec in
        let wrong: EstimatorSpec
        switch spec {
        case let .truncated(cap): wrong = .truncated(cap: 2 * cap)
        case let .clamped(low, high): wrong = .clamped(low: low / 2, high: 2 * high)
        case let .tokenTruncated(cap): wrong = .tokenTruncated(cap: 2 * cap)
        default: wrong = spec
        }
        return { d in BuiltinEstimator(wrong).estimate(d) }
    }

    static let maskOutsideBand = estimatorBug(
        "mask-outside-band", "a mask that keeps the ratios outside the band [low, high] and drops those inside",
        applies: { spec, _ in
            switch spec {
            case .masked, .tokenMasked: true
            default: false
            }
        }) { spec in
        { d in
            var sum = 0.0
            switch spec {
            case let .masked(low, high):
                let lo = log(low), hi = log(high)
                for i in 0..<d.count where d.logRatios[i] < lo || d.logRatios[i] > hi { sum += d.ratios[i] * d.values[i] }
            case let .tokenMasked(low, high):
                let lo = log(low), hi = log(high), t = d.tokens!
                for j in 0..<t.logRatios.count where t.rewards[j] != 0 && (t.logRatios[j] < lo || t.logRatios[j] > hi) {
                    sum += exp(t.logRatios[j]) * t.rewards[j]
                }
            default: return .nan
            }
            return sum / Double(d.count)
        }
    }

    static let clipWrongSide = estimatorBug(
        "clip-wrong-side", "PPO's clip on the wrong side of the advantage: max(r A, clip(r) A) instead of min",
        applies: { spec, _ in if case .ppoClip = spec { true } else { false } }) { spec in
        guard case let .ppoClip(eps) = spec else { return { _ in .nan } }
        return { d in
            var sum = 0.0
            for i in 0..<d.count where d.values[i] != 0 {
                let r = d.ratios[i], a = d.values[i]
                sum += Swift.max(r * a, Swift.min(Swift.max(r, 1 - eps), 1 + eps) * a)
            }
            return sum / Double(d.count)
        }
    }

    static let productAsSum = estimatorBug(
        "product-as-sum", "a sequence's product of per-token ratios replaced by their sum",
        applies: { spec, scenario in
            guard (scenario.policy?.length ?? 1) >= 2 else { return false }
            switch spec {
            case .importanceSampling, .selfNormalized, .truncated, .clamped, .masked, .ppoClip, .perDecision: return true
            default: return false
            }
        }) { spec in
        { d in
            let t = d.tokens!, T = t.length
            if spec == .perDecision {
                var sum = 0.0
                for i in 0..<d.count {
                    var w = 0.0
                    for s in i * T..<(i + 1) * T {
                        w += exp(t.logRatios[s])
                        if t.rewards[s] != 0 { sum += w * t.rewards[s] }
                    }
                }
                return sum / Double(d.count)
            }
            return d.withSequenceLogRatios({ i in
                var w = 0.0
                for s in i * T..<(i + 1) * T { w += exp(t.logRatios[s]) }
                return log(w)
            }) { BuiltinEstimator(spec).estimate($0) }
        }
    }

    static let ratioAgainstItself = estimatorBug(
        "ratio-against-itself", "pi_theta used in place of pi_old: the ratio of the current policy to itself, identically 1",
        applies: { spec, _ in spec != .paretoSmoothed }) { spec in
        { d in d.withLogRatios({ _ in 0 }) { BuiltinEstimator(spec).estimate($0) } }
    }

    static let nanZeroTimesInfinity = estimatorBug(
        "nan-zero-times-inf", "a mask applied by multiplying, exp(log r) x 1[in band]: a ratio that overflows outside the band gives inf x 0 = NaN",
        applies: { spec, _ in if case .masked = spec { true } else { false } }) { spec in
        guard case let .masked(low, high) = spec else { return { _ in .nan } }
        return { d in
            let lo = log(low), hi = log(high)
            var sum = 0.0
            for i in 0..<d.count {
                let keep: Double = d.logRatios[i] >= lo && d.logRatios[i] <= hi ? 1 : 0
                sum += exp(d.logRatios[i]) * keep * d.values[i]
            }
            return sum / Double(d.count)
        }
    }

    static let seedOffByOne = PlantedBug(
        id: "seed-off-by-one", summary: "an off-by-one in the trial seed: trial 2j + 1 is seeded like trial 2j, so neighbouring trials share a stream",
        mutation: .streamIndex { k in k - (k & 1) })
}
