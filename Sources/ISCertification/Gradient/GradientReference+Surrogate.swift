import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GradientReference {
    /// The surrogate loss RL code differentiates for a built-in estimator, as a
    /// function of one sequence's log pi_theta per step (dual numbers) and its
    /// constants; nil for estimators without one.
    ///
    /// - reinforce: pi_theta(y) / StopGrad(pi_theta(y)) (f - b), whose value is f - b;
    /// - is_grad: pi_theta(y) / pi_old(y) f;
    /// - per_decision_grad: sum_t g_t prod_(s<=t) pi_theta(y_s | .) / pi_old(y_s | .);
    /// - ppo_clip_grad: min(w A, clip(w, 1 - eps, 1 + eps) A), w = pi_theta / pi_old, A = f;
    /// - tis_grad: StopGrad(min(w, c)) f log pi_theta(y).
    static func surrogate(_ spec: EstimatorSpec) -> ((_ logSteps: [Dual], _ logOld: [Double], _ rewards: [Double]) -> (loss: Dual, value: Double?))? {
        func total(_ xs: [Dual]) -> Dual { xs.dropFirst().reduce(xs[0], +) }
        func weight(_ logSteps: [Dual], _ logOld: [Double]) -> Dual {
            let d = logSteps[0].gradient.count
            return (total(logSteps) - .constant(logOld.reduce(0, +), dimension: d)).exp()
        }
        switch spec {
        case let .reinforce(baseline):
            return { logSteps, _, rewards in
                let logP = total(logSteps), d = logP.gradient.count
                let advantage = rewards.reduce(0, +) - (baseline ?? 0)
                return ((logP - logP.stopGradient).exp() * .constant(advantage, dimension: d), advantage)
            }
        case .isGradient:
            return { logSteps, logOld, rewards in
                (weight(logSteps, logOld) * .constant(rewards.reduce(0, +), dimension: logSteps[0].gradient.count), nil)
            }
        case .perDecisionGradient:
            return { logSteps, logOld, rewards in
                let d = logSteps[0].gradient.count
                var loss = Dual.constant(0, dimension: d), prefix = Dual.constant(0, dimension: d)
                for t in logSteps.indices {
                    prefix = prefix + logSteps[t] - .constant(logOld[t], dimension: d)
                    loss = loss + rewards[t] * prefix.exp()
                }
                return (loss, nil)
            }
        case let .ppoClipGradient(eps):
            return { logSteps, logOld, rewards in
                let d = logSteps[0].gradient.count
                let a = Dual.constant(rewards.reduce(0, +), dimension: d)
                let w = weight(logSteps, logOld)
                let clipped = Dual.max(Dual.min(w, .constant(1 + eps, dimension: d)), .constant(1 - eps, dimension: d))
                return (Dual.min(w * a, clipped * a), nil)
            }
        case let .truncatedGradient(cap):
            return { logSteps, logOld, rewards in
                let d = logSteps[0].gradient.count
                let w = Dual.min(weight(logSteps, logOld), .constant(cap, dimension: d)).stopGradient
                return (w * .constant(rewards.reduce(0, +), dimension: d) * total(logSteps), nil)
            }
        default:
            return nil
        }
    }

    /// The surrogate check: for every sequence (an even stride of them beyond
    /// ``maxSurrogateSequences``), the largest |term - d surrogate / d theta| relative
    /// to 1 + |term|, and for reinforce |value - (f - b)| too. Nil for an estimator
    /// that is not built in.
    static func surrogateCheck(_ e: any GradientEstimator, atoms: Atoms, theta: PolicyParameters, behavior q: TokenChain,
                               terms: [Double]) -> (error: Double, description: String)? {
        guard let builtin = e as? BuiltinGradient, let loss = surrogate(builtin.spec) else { return nil }
        let d = theta.count, T = atoms.length, V = theta.vocabulary, tau = theta.temperature
        let stride = Swift.max(1, (atoms.count + maxSurrogateSequences - 1) / maxSurrogateSequences)
        var worst = 0.0, checked = 0
        for i in Swift.stride(from: 0, to: atoms.count, by: stride) {
            var logSteps: [Dual] = [], logOld: [Double] = [], rewards: [Double] = []
            var previous = -1
            for t in 0..<T {
                let v = atoms.tokens[i * T + t], base = theta.row(after: previous) * V
                let logits = (0..<V).map { b in (1 / tau) * Dual.variable(theta.values[base + b], index: base + b, dimension: d) }
                logSteps.append(logits[v] - Dual.logSumExp(logits))
                logOld.append(q.logStep(previous, v))
                rewards.append(atoms.rewards[i * T + t])
                previous = v
            }
            let (l, value) = loss(logSteps, logOld, rewards)
            for c in 0..<d {
                let term = terms[i * d + c]
                worst = Swift.max(worst, abs(term - l.gradient[c]) / (1 + abs(term)))
            }
            if let value { worst = Swift.max(worst, abs(l.value - value) / (1 + abs(value))) }
            checked += 1
        }
        let which = stride == 1 ? "all \(checked) sequences" : "\(checked) sequences (every \(stride)th of \(atoms.count))"
        let form: String = switch builtin.spec {
        case .reinforce: "pi_theta(y) / StopGrad(pi_theta(y)) (f - b), value f - b"
        case .isGradient: "pi_theta(y) / pi_old(y) f"
        case .perDecisionGradient: "sum_t g_t prod_(s<=t) pi_theta(y_s | .) / pi_old(y_s | .)"
        case .ppoClipGradient: "min(w A, clip(w, 1 - eps, 1 + eps) A)"
        default: "StopGrad(min(w, c)) f log pi_theta(y)"
        }
        return (worst, "per-sample term vs the forward-mode derivative of \(form) on \(which)")
    }
}
