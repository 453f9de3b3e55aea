import CGSL

/// The standard normal distribution's cdf and quantile (GSL's gsl_cdf_ugaussian_*),
/// for test thresholds and power calculations.
public enum StandardNormal {
    /// P(Z <= z).
    public static func cdf(_ z: Double) -> Double { gsl_cdf_ugaussian_P(z) }
    /// P(Z > z), accurate far in the upper tail.
    public static func survival(_ z: Double) -> Double { gsl_cdf_ugaussian_Q(z) }
    /// The z with P(Z <= z) = p, for p in (0, 1).
    public static func quantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    /// The z with P(Z > z) = p, for p in (0, 1); exact for tiny p.
    public static func upperQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Qinv(p) }
}
