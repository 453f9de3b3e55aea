/// The Wilson score interval for a binomial proportion.
///
/// With k successes in n trials and p = k/n, the interval is
///     (p + z^2/(2n) -/+ z sqrt(p (1 - p)/n + z^2/(4 n^2))) / (1 + z^2/n),
/// which keeps its coverage near the nominal level for p near 0 or 1, where the
/// normal (Wald) interval collapses to a point (Brown, Cai and DasGupta 2001).
public enum Wilson {
    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// - Parameters:
    ///   - successes: k, 0 <= k <= n.
    ///   - trials: n >= 0; with n = 0 the interval is [0, 1].
    public static func interval(successes k: Int, trials n: Int, z: Double = z95) -> (lower: Double, upper: Double) {
        guard n > 0 else { return (0, 1) }
        let nn = Double(n), p = Double(k) / nn, z2 = z * z
        let center = (p + z2 / (2 * nn)) / (1 + z2 / nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / (1 + z2 / nn)
        // At k = 0 and k = n the bound is exactly 0 or 1; the formula leaves rounding there.
        return (k == 0 ? 0 : Swift.max(0, center - half), k == n ? 1 : Swift.min(1, center + half))
    }
}
