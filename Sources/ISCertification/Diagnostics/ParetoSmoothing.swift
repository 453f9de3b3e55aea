import Foundation

/// Result of fitting a generalized Pareto distribution to the upper tail of a set of log-weights.
///
/// The tail is the `tailLength` = M largest weights w_(S-M+1) <= ... <= w_(S); their exceedances
/// w_(S-M+j) - u over the threshold u = w_(S-M) are fitted by GPD(k, sigma). Weights are taken on the
/// scale w_i = exp(logWeights_i - max_j logWeights_j), so the largest weight is 1, `threshold` is in
/// [0, 1] and `sigma` is relative to the largest weight (the scale the reference implementations fit on,
/// which cannot overflow).
public struct ParetoTailFit: Sendable, Hashable {
    /// The regularised shape estimate k-hat, (M k + 10 * 0.5) / (M + 10) for the Zhang-Stephens
    /// posterior-mean k. Any real number: <= 0.5 finite variance, <= threshold reliable, > 1 no mean.
    public let khat: Double
    /// The GPD scale sigma > 0, on the scale where the largest weight is 1. It belongs to the
    /// unregularised shape, as in the reference implementations.
    public let sigma: Double
    /// M, the number of weights in the tail (5 <= M < S).
    public let tailLength: Int
    /// The (M+1)-th largest weight u, on the weight scale where the largest weight is 1 (0 <= u <= 1).
    public let threshold: Double

    public init(khat: Double, sigma: Double, tailLength: Int, threshold: Double) {
        self.khat = khat
        self.sigma = sigma
        self.tailLength = tailLength
        self.threshold = threshold
    }
}

/// Pareto-smoothed importance sampling (PSIS) and its k-hat diagnostic.
///
/// Vehtari, Simpson, Gelman, Yao, Gabry, "Pareto smoothed importance sampling", JMLR 25(72), 2024.
/// The conventions are those of the reference implementations (arviz-stats `_ps_tail`, legacy arviz
/// `psislw`, stan-dev/posterior `ps_tail` / `gpdfit`, loo `psis`) with relative efficiency r_eff = 1:
/// the tail is the M largest of S weights, M = ceil(min(S/5, 3 sqrt(S))), the threshold is the (M+1)-th
/// largest weight, the exceedances are fitted by Zhang & Stephens' (2009) empirical-Bayes estimator with
/// a weakly informative prior on k, and smoothing replaces the tail by GPD quantiles truncated at the
/// largest raw weight.
///
/// Where the references differ: arviz-stats' public `psislw` and current posterior round M down
/// (94 rather than 95 for S = 1000; pass it to `fit(logWeights:tailLength:)` to reproduce them);
/// legacy arviz keeps out of the tail the weights that tie with the threshold, and posterior lowers a
/// tied threshold by one ulp, whereas here (as in arviz-stats) tied tail weights have exceedance 0.
///
/// All functions are pure and O(S log S) (one sort). Log-weights may be any real numbers or -infinity
/// (a zero weight); only their order and differences matter, because everything is computed from
/// exp(logWeights - max), so log-weights of any magnitude (+/-1e4 and far beyond) cannot overflow.
public enum ParetoSmoothing {
    /// The fewest tail weights the GPD fit accepts (arviz-stats raises, loo and legacy arviz return
    /// k = inf, below it).
    public static let minimumTailLength = 5

    /// The fewest draws with a tail fit under `tailLength(_:)`: ceil(21 / 5) = 5.
    public static let minimumDraws = 21

    /// Tail length M = ceil(min(0.2 S, 3 sqrt(S))) for S draws (the arviz/posterior rule for r_eff = 1).
    ///
    /// The rounding up is loo's and legacy arviz's; arviz-stats 0.8 and posterior round down.
    /// 0.2 S is the smaller term for S <= 225. Computed in exact integer arithmetic: ceil(S / 5) and the
    /// least m with m^2 >= 9 S, which agree with the floating-point formula for every S below ~1e14.
    /// Returns 0 for S <= 0.
    public static func tailLength(_ s: Int) -> Int {
        guard s > 0 else { return 0 }
        let fifth = s / 5 + (s % 5 == 0 ? 0 : 1)
        // ceil(3 sqrt(s)) = least m with m * m >= 9 s; start from the floating-point root and correct it,
        // and fall back to the floating-point value where m * m could overflow.
        guard s <= 1 << 58 else { return min(fifth, Int((3 * Double(s).squareRoot()).rounded(.up))) }
        let nine = 9 * s
        var m = Int(Double(nine).squareRoot().rounded(.up))
        while m > 0, square(m - 1) >= nine { m -= 1 }
        while square(m) < nine { m += 1 }
        return min(fifth, m)
    }

    /// The reliability threshold of k-hat: min(1 - 1/log10(S), 0.7).
    ///
    /// Below it the Pareto-smoothed estimate has a small probability of a large error (Vehtari et al.
    /// 2024, section 3.2.4, eq. 13); the 0.7 cap is where bias dominates. Negative for S < 10; 0.7 for
    /// S >= 2155 and, as in arviz-stats, for S <= 1 where log10(S) is not positive.
    public static func khatThreshold(_ s: Int) -> Double {
        guard s > 1 else { return 0.7 }
        return min(1 - 1 / log10(Double(s)), 0.7)
    }

    /// Zhang & Stephens (2009) GPD fit: grid m = 30 + floor(sqrt(n)), prior 3 (as in gpdfit), then the weakly-informative
    /// regularisation k <- (n k + 10 * 0.5) / (n + 10) exactly as the reference implementations apply it.
    ///
    /// For exceedances x_1 <= ... <= x_n (>= 0; sorted here if they are not), with the first quartile
    /// x* = x_(floor(n/4 + 1/2)) and theta_j = 1/x_n + (1 - sqrt(m / (j - 1/2))) / (3 x*), j = 1...m:
    /// k(theta) = mean(log1p(-theta x)), profile log-likelihood l_j = n (log(-theta_j / k(theta_j)) - k - 1),
    /// posterior mean theta-hat = sum_j theta_j w_j with w = softmax(l) (weights below 10 eps dropped and
    /// the rest renormalised, as arviz does), k = mean(log1p(-theta-hat x)), sigma = -k / theta-hat, and
    /// finally k is regularised towards 0.5 (sigma keeps the unregularised k). The k here is the negative
    /// of Zhang & Stephens' k, so that k > 0 is a heavy tail. O(n^1.5).
    ///
    /// - Parameter exceedances: n >= 1 finite non-negative values.
    /// - Returns: (k, sigma), or (nan, nan) when there is nothing to fit: an empty or non-finite or
    ///   negative input, or a first quartile x* of 0 (more than a quarter of the tail ties at the
    ///   threshold; arviz then returns NaN or a meaningless k, posterior returns NA).
    public static func gpdFit(_ exceedances: [Double]) -> (k: Double, sigma: Double) {
        var x = exceedances
        if !isSortedAscending(x) { x.sort() }
        return gpdFitSorted(x)
    }

    /// k-hat of the upper tail of `logWeights` (any real numbers; only their order and differences matter — work on
    /// exp(logWeights - max) to avoid overflow). Returns nil when S is too small for a tail fit (follow the reference
    /// implementations' minimum) or the tail is degenerate (all equal).
    ///
    /// Uses M = `tailLength(S)`; see `fit(logWeights:tailLength:)` for the cases that return nil.
    public static func fit(logWeights: [Double]) -> ParetoTailFit? {
        fit(logWeights: logWeights, tailLength: tailLength(logWeights.count))
    }

    /// k-hat of the upper tail of `logWeights` with an explicit tail length M.
    ///
    /// The tail is the M largest log-weights (ties broken by index), the threshold the (M+1)-th largest;
    /// the exceedances exp(lw_i - max) - exp(lw_(M+1) - max) are fitted with `gpdFit(_:)`.
    ///
    /// - Parameters:
    ///   - logWeights: S values, each finite or -infinity (a zero weight).
    ///   - tailLength: M with 5 <= M < S.
    /// - Returns: nil when M < 5 or M >= S; when an entry is NaN or +infinity or every entry is
    ///   -infinity; when the M largest log-weights are all equal; or when the fit is degenerate (more
    ///   than a quarter of the tail ties at the threshold on the weight scale, e.g. one weight larger
    ///   than all others by a factor beyond exp(745), whose k-hat callers should read as +infinity).
    public static func fit(logWeights: [Double], tailLength m: Int) -> ParetoTailFit? {
        tail(logWeights: logWeights, tailLength: m)?.fit
    }

    /// Pareto-smoothed log-weights: the largest M weights replaced by the GPD quantiles at (z - 0.5)/M, z = 1...M, in
    /// the same order, truncated at the maximum raw weight, exactly as the reference psislw / pareto_smooth do.
    ///
    /// The z-th smallest tail weight becomes u + sigma ((1 - p_z)^(-k) - 1) / k, p_z = (z - 1/2) / M
    /// (u - sigma log(1 - p_z) when k = 0), capped at the largest raw weight. The result is on the scale
    /// of the input (legacy arviz's `psislw(normalize=False)`): entries outside the tail are returned
    /// bit for bit and the tail is max + log(smoothed weight). Subtract `logSumExp(_:)` of the result for
    /// self-normalised weights, as arviz's `psislw` returns them. When `fit(logWeights:)` is nil the
    /// input comes back unchanged with a nil fit.
    public static func smooth(logWeights: [Double]) -> (logWeights: [Double], fit: ParetoTailFit?) {
        smooth(logWeights: logWeights, tailLength: tailLength(logWeights.count))
    }

    /// Pareto-smoothed log-weights with an explicit tail length M (5 <= M < S); see `smooth(logWeights:)`.
    public static func smooth(logWeights: [Double], tailLength m: Int) -> (logWeights: [Double], fit: ParetoTailFit?) {
        guard let t = tail(logWeights: logWeights, tailLength: m) else { return (logWeights, nil) }
        var out = logWeights
        let fit = t.fit
        for z in 1...m {
            let p = (Double(z) - 0.5) / Double(m)
            var v = log(gpdQuantile(p, k: fit.khat, sigma: fit.sigma, mu: fit.threshold))
            // The largest raw weight is 1 on this scale: no smoothed weight may exceed it (the quantiles
            // of a heavy-tailed fit can), which is the truncation of the references.
            if v > 0 { v = 0 }
            out[t.ascendingTail[z - 1]] = t.max + v
        }
        return (out, fit)
    }

    /// log(sum_i exp(x_i)) without overflow: -infinity for an empty input or all -infinity, +infinity
    /// if any entry is +infinity, NaN if any is NaN.
    public static func logSumExp(_ x: [Double]) -> Double {
        // Pointer loops: this runs for every fit, and Sequence.max, contains and
        // for-in are unspecialised generic calls per element in -Onone builds.
        x.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress, b.count > 0 else { return -.infinity }
            // The first of equal maxima, as `max()` keeps it.
            var top = p[0], nan = false
            var i = 0
            while i < b.count {
                if top < p[i] { top = p[i] }
                if p[i].isNaN { nan = true }
                i += 1
            }
            if nan { return .nan }
            guard top.isFinite else { return top }
            var sum = 0.0
            i = 0
            while i < b.count { sum += exp(p[i] - top); i += 1 }
            return top + log(sum)
        }
    }

    // MARK: - Internals

    /// The quantile function of GPD(mu, sigma, k) at p in (0, 1): mu + sigma ((1 - p)^(-k) - 1) / k.
    static func gpdQuantile(_ p: Double, k: Double, sigma: Double, mu: Double) -> Double {
        guard sigma > 0 else { return .nan }
        // expm1/log1p keep the small-p quantiles accurate; |k| < eps takes the exponential limit as
        // legacy arviz does.
        if abs(k) < Double.ulpOfOne { return mu - sigma * log1p(-p) }
        return mu + sigma * expm1(-k * log1p(-p)) / k
    }

    /// The sorted tail and its fit, shared by `fit` and `smooth`.
    private static func tail(logWeights lw: [Double], tailLength m: Int)
        -> (fit: ParetoTailFit, ascendingTail: [Int], max: Double)? {
        let s = lw.count
        guard m >= minimumTailLength, m < s else { return nil }
        // -inf is a zero weight and sorts first; NaN has no order and +inf has no finite shift.
        guard let top = finiteMaximum(lw) else { return nil }
        // A strict order (ties by index) makes the result independent of the selection algorithm.
        // Only the M + 1 largest are needed: the threshold, then the tail in ascending order.
        let largest = largestIndices(m + 1, of: lw)
        let ascendingTail = Array(largest[1...])
        // The reference test, on the log scale: a tail of equal log-weights has no shape to fit.
        guard lw[ascendingTail[m - 1]] - lw[ascendingTail[0]] >= Double.leastNormalMagnitude else { return nil }
        let threshold = exp(lw[largest[0]] - top)
        // exp is monotone, so the exceedances are already ascending.
        let exceedances = ascendingTail.map { exp(lw[$0] - top) - threshold }
        let (k, sigma) = gpdFitSorted(exceedances)
        guard k.isFinite, sigma.isFinite, sigma > 0 else { return nil }
        return (ParetoTailFit(khat: k, sigma: sigma, tailLength: m, threshold: threshold), ascendingTail, top)
    }

    /// The largest log-weight, when no entry is NaN or +infinity and it is finite; nil otherwise.
    /// (The same value as `lw.max()`, which keeps the first of equal maxima.)
    private static func finiteMaximum(_ lw: [Double]) -> Double? {
        lw.withUnsafeBufferPointer { b -> Double? in
            guard let p = b.baseAddress, b.count > 0 else { return nil }
            var top = p[0]
            var i = 0
            while i < b.count {
                let v = p[i]
                if v.isNaN || v == .infinity { return nil }
                if top < v { top = v }
                i += 1
            }
            return top.isFinite ? top : nil
        }
    }

    /// The indices of the `count` largest entries of `lw` (no NaN), in ascending order of
    /// (value, index): the last `count` entries of the stable ascending sort of all indices.
    ///
    /// A min-heap of `count` indices over one pass, then emptied smallest first: O(S log M)
    /// rather than a sort of all S, with no generic code in the per-trial path.
    static func largestIndices(_ count: Int, of lw: [Double]) -> [Int] {
        precondition(count >= 1 && count <= lw.count)
        return lw.withUnsafeBufferPointer { values in
            let v = values.baseAddress!
            // a before b in the stable ascending order. (Transparent: inlined even in
            // -Onone builds, where it is called for every entry.)
            @_transparent func before(_ a: Int, _ b: Int) -> Bool { v[a] < v[b] || (v[a] == v[b] && a < b) }
            return [Int](unsafeUninitializedCapacity: count) { out, initialized in
                let heap = out.baseAddress!
                // Transparent too: a call per replacement in -Onone builds.
                @_transparent func siftDown(_ start: Int, _ size: Int) {
                    var i = start
                    while true {
                        let left = 2 * i + 1
                        if left >= size { return }
                        var child = left
                        if left + 1 < size && before(heap[left + 1], heap[left]) { child = left + 1 }
                        if !before(heap[child], heap[i]) { return }
                        let t = heap[i]; heap[i] = heap[child]; heap[child] = t
                        i = child
                    }
                }
                for i in 0..<count { heap[i] = i }
                var i = count / 2
                while i > 0 { i -= 1; siftDown(i, count) }
                var j = count
                while j < values.count {
                    if before(heap[0], j) {
                        heap[0] = j
                        siftDown(0, count)
                    }
                    j += 1
                }
                // Pop the minimum into the slot the heap frees at its end: descending order...
                var size = count
                while size > 1 {
                    size -= 1
                    let t = heap[0]; heap[0] = heap[size]; heap[size] = t
                    siftDown(0, size)
                }
                // ...then reverse it into ascending order.
                var lo = 0, hi = count - 1
                while lo < hi { let t = heap[lo]; heap[lo] = heap[hi]; heap[hi] = t; lo += 1; hi -= 1 }
                initialized = count
            }
        }
    }

    /// `gpdFit` on exceedances already in ascending order.
    private static func gpdFitSorted(_ x: [Double]) -> (k: Double, sigma: Double) {
        let failed = (k: Double.nan, sigma: Double.nan)
        let n = x.count
        guard n > 0, x.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return failed }
        // First quartile x_(floor(n/4 + 1/2)), 1-based; posterior's index, arviz's int(n/4 + 0.5) - 1.
        let quartile = x[max((n + 2) / 4, 1) - 1]
        // With x* = 0 every theta is -infinity: the tail is a point mass at the threshold plus a few
        // values, not a GPD (arviz returns NaN or k = 5/(n+10) here, posterior NA).
        guard quartile > 0 else { return failed }
        let grid = 30 + integerSquareRoot(n)
        let prior = 3.0
        let xMax = x[n - 1]
        var theta = [Double](repeating: 0, count: grid)
        var profile = [Double](repeating: 0, count: grid)
        for j in 0..<grid {
            // The order of operations follows arviz: ((1 - sqrt(m / (j - 1/2))) / (3 x*)) + 1/x_n.
            let t = (1 - (Double(grid) / (Double(j + 1) - 0.5)).squareRoot()) / (prior * quartile) + 1 / xMax
            theta[j] = t
            let k = meanLog1p(-t, x)
            let l = Double(n) * (log(-t / k) - k - 1)
            // theta = 0 exactly gives 0/0: a grid point with no likelihood rather than a NaN weight.
            profile[j] = l.isNaN ? -.infinity : l
        }
        let norm = logSumExp(profile)
        guard norm.isFinite else { return failed }
        // (Loops rather than map and reduce(0, +): their closures are calls per grid
        // point in -Onone builds, where every scenario fits 500 trials. The same sums in
        // the same order.)
        var weights = [Double](repeating: 0, count: grid)
        for j in 0..<grid { weights[j] = exp(profile[j] - norm) }
        // arviz drops the negligible grid weights and renormalises; posterior keeps them. The difference
        // is below 1e-14 in k, but matching arviz keeps the reference comparison tight.
        let negligible = 10 * Double.ulpOfOne
        for j in 0..<grid where weights[j] < negligible { weights[j] = 0 }
        var total = 0.0
        for j in 0..<grid { total += weights[j] }
        guard total > 0 else { return failed }
        var thetaHat = 0.0
        for j in 0..<grid { thetaHat += theta[j] * weights[j] / total }
        let kHat = meanLog1p(-thetaHat, x)
        let sigma = -kHat / thetaHat
        // Weakly informative prior N(0.5, .) worth 10 observations (Vehtari et al. 2024, appendix C);
        // sigma keeps the unregularised k, as in every reference implementation.
        let a = 10.0
        let k = (Double(n) * kHat + a * 0.5) / (Double(n) + a)
        return (k, sigma)
    }

    /// mean_i log1p(c x_i).
    private static func meanLog1p(_ c: Double, _ x: [Double]) -> Double {
        // A pointer loop: this runs (grid + 1) times per fit, and Array and range
        // iteration are calls per element in -Onone builds, where every scenario
        // test fits 500 trials.
        // x is never empty here (gpdFitSorted needs n >= 1).
        x.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            var sum = 0.0
            var i = 0
            while i < b.count { sum += log1p(c * p[i]); i += 1 }
            return sum / Double(b.count)
        }
    }

    private static func isSortedAscending(_ x: [Double]) -> Bool {
        var i = 1
        while i < x.count {
            // NaN fails `<=` and sends the input to sort(), whose result the fit then rejects.
            guard x[i - 1] <= x[i] else { return false }
            i += 1
        }
        return true
    }

    /// floor(sqrt(n)) exactly.
    private static func integerSquareRoot(_ n: Int) -> Int {
        var r = Int(Double(n).squareRoot())
        while r > 0, r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return r
    }

    private static func square(_ m: Int) -> Int { m * m }
}
