import Foundation
import ISProbability

/// The densities of target and behaviour at every point of a sweep, on one
/// grid of x, for the report's slider. Computed from each distribution's exact
/// log-density; nothing is simulated.
struct DensityCurves {
    /// The grid, shared by all points: cell midpoints, so that no node falls on a
    /// support endpoint where a density may be infinite.
    let xs: [Double]
    /// Per point, p(x) and q(x) on the grid.
    let target: [[Double]]
    let behavior: [[Double]]
    /// The largest finite density over all points: the common y range.
    let largest: Double

    static let gridSize = 161
    /// The grid covers, at every point, the 0.1% to 99.9% quantiles of p and of q.
    static let tail = 0.001

    init?(pairs: [(target: Distribution, behavior: Distribution)]) {
        guard !pairs.isEmpty else { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        for d in pairs.flatMap({ [$0.target, $0.behavior] }) {
            guard let range = Self.centralRange(d) else { return nil }
            lo = Swift.min(lo, range.lower)
            hi = Swift.max(hi, range.upper)
        }
        guard lo.isFinite, hi.isFinite, hi > lo else { return nil }
        // Room on both sides, so that a support edge shows as a drop to zero.
        let pad = 0.05 * (hi - lo)
        lo -= pad; hi += pad
        let step = (hi - lo) / Double(Self.gridSize)
        let grid = (0..<Self.gridSize).map { lo + (Double($0) + 0.5) * step }
        func curve(_ d: Distribution) -> [Double] {
            let logDensity = LogDensity(d)
            return grid.map { exp(logDensity($0)) }
        }
        let p = pairs.map { curve($0.target) }, q = pairs.map { curve($0.behavior) }
        let top = (p + q).joined().filter(\.isFinite).max() ?? 0
        guard top > 0 else { return nil }
        xs = grid
        target = p
        behavior = q
        largest = top
    }

    /// The quantiles `tail` and 1 - `tail`, by bisection on the cdf between the
    /// distribution's outermost landmarks (about 40 scales out; a Cauchy's far
    /// quantiles are cut there).
    static func centralRange(_ d: Distribution) -> (lower: Double, upper: Double)? {
        let marks = d.landmarks
        guard var a = marks.first, var b = marks.last else { return nil }
        let s = d.support
        if s.lower.isFinite { a = Swift.min(a, s.lower) }
        if s.upper.isFinite { b = Swift.max(b, s.upper) }
        guard a < b else { return nil }
        func quantile(_ p: Double) -> Double {
            var lo = a, hi = b
            for _ in 0..<80 {
                let mid = (lo + hi) / 2
                if d.cdf(mid) < p { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
        return (quantile(tail), quantile(1 - tail))
    }
}
