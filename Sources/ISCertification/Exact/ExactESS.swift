#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact mean and standard deviation of ESS/N = (sum r)^2 / (N sum r^2) for
/// N independent draws from q.
///
/// The delta-method value E[ESS/N] ~ 1/m2 + c/N is accurate only when the ratio's
/// fourth moment is small: at p = N(1,1), q = N(0,1), N = 200 it is 0.446 where
/// the truth is 0.3996 (hundreds of standard errors at K = 4000). iscert computes
/// E[A^2/B] and E[A^4/B^2] with A = sum r, B = sum r^2 exactly instead
/// (``LaplaceMoments``); neither needs any moment of r to be finite.
enum ExactESS {
    /// (E[ESS/N], sd(ESS/N), error of the mean) for one trial of N draws.
    static func moments(_ laplace: LaplaceMoments) -> (mean: Double, sd: Double, error: Double) {
        let lr = laplace.nodes.logR
        let r = laplace.expectations(logAbsU: lr, signU: lr.map { _ in 1 }, logV: lr.map { 2 * $0 },
                                     orders: [(2, 1), (4, 2)])
        let N = Double(laplace.n)
        let mean = r[0].value / N, meanSquare = r[1].value / (N * N)
        return (mean, sqrt(Swift.max(meanSquare - mean * mean, 0)), r[0].error / N)
    }
}
