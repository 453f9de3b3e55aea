import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the checks compare simulation against, computed without simulation.
///
/// Notation: Y = r f with x ~ q, mu = E_p[f]. The ordinary IS estimate of one
/// trial is the mean of N independent copies of Y.
public struct ExactReference: Sendable {
    /// E_p[f], over the target's support.
    public let mean: Moment
    /// E_q[r f]: what IS converges to. Differs from `mean` only when q misses part
    /// of the region where p f != 0.
    public let isMean: Moment
    /// E_q[r^k] for k = 1 ... 4. E_q[r] = 1 unless q misses part of p's support.
    public let r1: Moment, r2: Moment, r3: Moment, r4: Moment
    /// E_q[Y^k] = E_q[r^k f^k] for k = 2 and 4 (closed forms where they exist).
    public let y2: Moment, y4: Moment
    /// The exact mean and sd of one trial's ESS/N (nil if not computable).
    public let ess: (mean: Double, sd: Double, error: Double)?
    /// Why `ess` is nil.
    public let essFailure: String?
    /// The delta-method approximation of E[ESS/N] (needs E_q[r^4] finite).
    public let essDeltaMethod: Double?
    /// How the moments were obtained.
    public let method: String
    /// Largest relative disagreement between a closed form and quadrature of the
    /// same moment (Gaussian pairs with polynomial f), or nil when there is no closed form.
    public let closedFormDiscrepancy: Double?
    /// The samples per trial the references were computed for.
    public let samples: Int
    /// The exact moments of one trial's estimate, per estimator, in the order given.
    public internal(set) var estimators: [TrialMoments]
    /// KL(q || p) = E_q[-log r], KL(p || q) = E_p[log r] = E_q[r log r], and the
    /// chi-square divergence E_q[r^2] - 1.
    public let klBehaviorToTarget: Moment
    public let klTargetToBehavior: Moment
    public var chiSquare: Moment {
        // chi^2(p || q) = E_q[r^2] - 1 only when q covers p (E_q[r] = 1); where p has
        // mass that q cannot reach, the divergence is infinite.
        if let m1 = r1.value, m1 < 1 - 1e-9 { return .infinite(reason: "p has mass where q has none") }
        if case let .finite(v, e) = r2 { return .finite(v - 1, error: e) }
        return r2
    }
    /// The exact tail index k of r under q (0 when every moment is finite).
    public let tailIndex: Moment
    /// Where q cannot reach p f.
    public let support: SupportAnalysis

    /// The value an estimator's estimand takes here.
    public func estimand(_ e: EstimatorSpecification.Estimand) -> Moment {
        switch e {
        case .targetMean: return mean
        case .klBehaviorToTarget: return klBehaviorToTarget
        }
    }

    /// The support violations: regions of positive p |f| mass that q never draws from.
    public var supportViolations: [SupportAnalysis.Region] {
        support.violations(scale: abs(mean.value ?? 1) + 1)
    }

    /// The population ESS fraction, the limit of (sum r)^2 / (N sum r^2):
    /// E_q[r]^2 / E_q[r^2], which is 1 / (1 + Var_q r) when E_q[r] = 1 (q covers p);
    /// 0 when E_q[r^2] is infinite.
    public var essFraction: Double? {
        switch (r1, r2) {
        case let (.finite(m1, _), .finite(m2, _)): return m1 * m1 / m2
        case (_, .infinite): return 0
        default: return nil
        }
    }

    /// N times the per-trial variance of the IS estimate: E_q[r^2 f^2] - mu^2.
    public var varianceN: Moment {
        switch (y2, isMean) {
        case let (.finite(v, e), .finite(m, _)): return .finite(v - m * m, error: e)
        case (.infinite, _): return y2
        case (.undetermined, _): return y2
        case (_, _): return isMean
        }
    }

    /// The delta-method E[ESS/N] from E_q[r^k], k = 1 ... 4. It expands around
    /// E_q[r] = 1: without it (p has mass that q cannot reach) it does not apply.
    static func deltaMethodESS(_ r: [Moment], samples: Int) -> Double? {
        guard let m1 = r[0].value, abs(m1 - 1) < 1e-9, let m2 = r[1].value, let m3 = r[2].value, let m4 = r[3].value else {
            return nil
        }
        let n = Double(samples)
        return 1 / m2 + ((m2 - 1) / m2 - 2 * (m3 - m2) / (m2 * m2) + (m4 - m2 * m2) / (m2 * m2 * m2)) / n
    }

    /// Every field given (the exact engine of policy scenarios computes them by
    /// enumeration and recursion instead of quadrature).
    init(mean: Moment, isMean: Moment, r: [Moment], y2: Moment, y4: Moment,
         ess: (mean: Double, sd: Double, error: Double)?, essFailure: String?, method: String, samples: Int,
         estimators: [TrialMoments], klBehaviorToTarget: Moment, klTargetToBehavior: Moment, tailIndex: Moment,
         support: SupportAnalysis) {
        self.mean = mean
        self.isMean = isMean
        (r1, r2, r3, r4) = (r[0], r[1], r[2], r[3])
        self.y2 = y2
        self.y4 = y4
        self.ess = ess
        self.essFailure = essFailure
        essDeltaMethod = Self.deltaMethodESS(r, samples: samples)
        self.method = method
        closedFormDiscrepancy = nil
        self.samples = samples
        self.estimators = estimators
        self.klBehaviorToTarget = klBehaviorToTarget
        self.klTargetToBehavior = klTargetToBehavior
        self.tailIndex = tailIndex
        self.support = support
    }

    /// Computes the references for N samples per trial.
    ///
    /// - Parameter estimators: the estimators whose trial moments to compute;
    ///   ordinary IS alone by default.
    public init(target: Distribution, behavior: Distribution, f: Formula, samples: Int,
                estimators: [any Estimator] = [BuiltinEstimator(.importanceSampling)]) {
        let integrator = MomentIntegrator(target: target, behavior: behavior, f: f)
        let closed = GaussianClosedForm(target: target, behavior: behavior)
        var discrepancy: Double?
        func moment(_ a: Double, _ b: Int) -> Moment {
            let numeric = integrator.moment(a: a, b: b)
            guard let exact = closed?.moment(a: a, b: b, f: f) else { return numeric }
            if let x = exact.value, let y = numeric.value {
                // Relative to the larger of |x| and 1e-8: an exact 0 (mu = 0) must not turn
                // quadrature's 1e-17 into an enormous relative difference.
                let d = abs(x - y) / Swift.max(abs(x), 1e-8)
                discrepancy = Swift.max(discrepancy ?? 0, x == y ? 0 : d)
            }
            return exact
        }
        self.samples = samples
        mean = closed?.moment(a: 1, b: 1, f: f) ?? integrator.moment(a: 1, b: 1, region: .target)
        isMean = moment(1, 1)
        r1 = moment(1, 0); r2 = moment(2, 0); r3 = moment(3, 0); r4 = moment(4, 0)
        y2 = moment(2, 2); y4 = moment(4, 4)
        closedFormDiscrepancy = discrepancy
        method = discrepancy != nil ? "closed form (Gaussian pair, polynomial f), cross-checked by quadrature"
                                    : "GSL adaptive quadrature in log space"
        essDeltaMethod = Self.deltaMethodESS([r1, r2, r3, r4], samples: samples)
        var cachedNodes: QuadratureNodes?
        func nodes() -> QuadratureNodes {
            if let n = cachedNodes { return n }
            let n = QuadratureNodes(integrator: integrator)
            cachedNodes = n
            return n
        }
        if !nodes().resolvesBehavior {
            ess = nil
            essFailure = "the fixed quadrature rule integrates q to \(nodes().mass), not 1 (a density too singular for it)"
        } else {
            let e = ExactESS.moments(LaplaceMoments(nodes: nodes(), n: samples))
            if e.mean.isFinite && e.sd.isFinite && e.error < 1e-4 * Swift.max(e.mean, 1e-300) {
                ess = e
                essFailure = nil
            } else {
                ess = nil
                essFailure = "the exact ESS integral did not converge (value \(e.mean), error estimate \(e.error))"
            }
        }
        let divergence = EstimatorSpecification(form: .sampleMean { lr, _ in -lr }, ratioGrowth: 0, growthIsTight: false,
                                                finitenessFromIntegrand: true)
        klBehaviorToTarget = integrator.sampleMoment({ lr, _ in -lr }, center: 0, power: 1, specification: divergence, extraBreakpoints: [])
        klTargetToBehavior = integrator.klTargetToBehavior()
        tailIndex = TailIndex.exact(integrator)
        support = SupportAnalysis(integrator: integrator)
        // Ordinary IS from the moments of Y already at hand (closed forms where they
        // exist); every other estimator from its own specification.
        // Ordinary IS's central moments E_q[(Y - m)^k] are integrated about the mean,
        // as every other estimator's are: expanding them from raw moments loses every
        // digit when |E Y| is large against sd(Y) (f = x + 1e4).
        let isSpec = BuiltinEstimator(.importanceSampling).specification
        let isMoments: TrialMoments
        if case let .sampleMean(h) = isSpec.form, let m = isMean.value {
            let c = (2...6).map { integrator.sampleMoment(h, center: m, power: $0, specification: isSpec, extraBreakpoints: []) }
            isMoments = TrialMoments.sampleMean(mean: isMean, central: c, samples: samples, method: method)
        } else {
            isMoments = TrialMoments.sampleMean(mean: isMean, central: Array(repeating: isMean, count: 5), samples: samples, method: method)
        }
        var rrf: Moment?
        let (meanM, r2M, y2M) = (mean, r2, y2)
        self.estimators = estimators.map { estimator -> TrialMoments in
            if let b = estimator as? BuiltinEstimator, b.spec == .importanceSampling { return isMoments }
            let spec = estimator.specification
            var t = integrator.trialMoments(spec, samples: samples, nodes: nodes, targetMean: meanM.value)
            if case .ratio = spec.form, let mu = meanM.value, let m2 = r2M.value, let yy = y2M.value {
                // First order in 1/N, for the report: bias (mu E_q[r^2] - E_q[r^2 f]) / N,
                // variance E_q[r^2 (f - mu)^2] / N.
                if rrf == nil { rrf = integrator.moment(a: 2, b: 1) }
                if let c = rrf?.value {
                    t.firstOrderBias = (mu * m2 - c) / Double(samples)
                    t.firstOrderVariance = (yy - 2 * mu * c + mu * mu * m2) / Double(samples)
                }
            }
            return t
        }
    }
}
