#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-mode dual number: a value and its gradient with respect to theta.
///
/// Enough arithmetic to write the surrogate losses of RL code (products,
/// quotients, exp, log, log-sum-exp, min and clip, which differentiate the
/// branch taken) and `stopGradient`, the `detach()` of autodiff frameworks.
/// iscert uses it only to check, sequence by sequence, that each gradient
/// estimator's per-sample term is the derivative of its surrogate.
struct Dual {
    var value: Double
    var gradient: [Double]

    static func constant(_ v: Double, dimension d: Int) -> Dual { Dual(value: v, gradient: Array(repeating: 0, count: d)) }

    /// theta_i as a variable.
    static func variable(_ v: Double, index i: Int, dimension d: Int) -> Dual {
        var g = [Double](repeating: 0, count: d)
        g[i] = 1
        return Dual(value: v, gradient: g)
    }

    /// The value, with no gradient flowing through it.
    var stopGradient: Dual { .constant(value, dimension: gradient.count) }

    static func + (a: Dual, b: Dual) -> Dual { Dual(value: a.value + b.value, gradient: zip(a.gradient, b.gradient).map(+)) }
    static func - (a: Dual, b: Dual) -> Dual { Dual(value: a.value - b.value, gradient: zip(a.gradient, b.gradient).map(-)) }
    static func * (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value * b.value, gradient: zip(a.gradient, b.gradient).map { a.value * $1 + b.value * $0 })
    }
    static func / (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value / b.value, gradient: zip(a.gradient, b.gradient).map { ($0 * b.value - a.value * $1) / (b.value * b.value) })
    }
    static func * (a: Double, b: Dual) -> Dual { Dual(value: a * b.value, gradient: b.gradient.map { a * $0 }) }

    func exp() -> Dual { let e = realExp(value); return Dual(value: e, gradient: gradient.map { e * $0 }) }
    func log() -> Dual { Dual(value: realLog(value), gradient: gradient.map { $0 / value }) }

    /// log sum_i exp(x_i), its gradient the softmax-weighted sum of the x_i's.
    static func logSumExp(_ xs: [Dual]) -> Dual {
        let top = xs.map(\.value).max() ?? 0
        let weights = xs.map { realExp($0.value - top) }
        let total = weights.reduce(0, +)
        var g = [Double](repeating: 0, count: xs.first?.gradient.count ?? 0)
        for (x, w) in zip(xs, weights) { for i in g.indices { g[i] += w / total * x.gradient[i] } }
        return Dual(value: top + realLog(total), gradient: g)
    }

    /// The smaller of the two, with its gradient (the first on a tie, as torch.min's
    /// subgradient picks one side).
    static func min(_ a: Dual, _ b: Dual) -> Dual { a.value <= b.value ? a : b }
    static func max(_ a: Dual, _ b: Dual) -> Dual { a.value >= b.value ? a : b }
}

// The methods exp() and log() shadow the C functions inside Dual.
private func realExp(_ x: Double) -> Double { exp(x) }
private func realLog(_ x: Double) -> Double { log(x) }
