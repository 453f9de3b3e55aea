import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Distribution {
    /// GSL's own density at `x` (gsl_ran_*_pdf): an independent implementation
    /// that ``LogDensity`` is tested against.
    public func gslDensity(_ x: Double) -> Double {
        GSL.errorHandlerOff
        switch family {
        case let .normal(m, s): return gsl_ran_gaussian_pdf(x - m, s)
        case let .studentT(nu, loc, scale): return gsl_ran_tdist_pdf((x - loc) / scale, nu) / scale
        case let .laplace(loc, b): return gsl_ran_laplace_pdf(x - loc, b)
        case let .exponential(rate): return gsl_ran_exponential_pdf(x, 1 / rate)
        case let .gamma(k, theta): return gsl_ran_gamma_pdf(x, k, theta)
        case let .beta(a, b): return gsl_ran_beta_pdf(x, a, b)
        case let .lognormal(mu, sigma): return gsl_ran_lognormal_pdf(x, mu, sigma)
        case let .uniform(low, high): return gsl_ran_flat_pdf(x, low, high)
        case let .cauchy(loc, scale): return gsl_ran_cauchy_pdf(x - loc, scale)
        case let .logistic(loc, scale): return gsl_ran_logistic_pdf(x - loc, scale)
        case let .weibull(k, lambda): return gsl_ran_weibull_pdf(x, lambda, k)
        case let .chiSquared(nu): return gsl_ran_chisq_pdf(x, nu)
        case let .mixture(cs): return cs.reduce(0) { $0 + $1.weight * $1.distribution.gslDensity(x) }
        }
    }

    /// The cumulative distribution function P(X <= x), from GSL's gsl_cdf_*_P.
    public func cdf(_ x: Double) -> Double {
        GSL.errorHandlerOff
        switch family {
        case let .normal(m, s): return gsl_cdf_gaussian_P(x - m, s)
        case let .studentT(nu, loc, scale): return gsl_cdf_tdist_P((x - loc) / scale, nu)
        case let .laplace(loc, b): return gsl_cdf_laplace_P(x - loc, b)
        case let .exponential(rate): return x <= 0 ? 0 : gsl_cdf_exponential_P(x, 1 / rate)
        case let .gamma(k, theta): return x <= 0 ? 0 : gsl_cdf_gamma_P(x, k, theta)
        case let .beta(a, b): return x <= 0 ? 0 : (x >= 1 ? 1 : gsl_cdf_beta_P(x, a, b))
        case let .lognormal(mu, sigma): return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, mu, sigma)
        case let .uniform(low, high): return x <= low ? 0 : (x >= high ? 1 : gsl_cdf_flat_P(x, low, high))
        case let .cauchy(loc, scale): return gsl_cdf_cauchy_P(x - loc, scale)
        case let .logistic(loc, scale): return gsl_cdf_logistic_P(x - loc, scale)
        case let .weibull(k, lambda): return x <= 0 ? 0 : gsl_cdf_weibull_P(x, lambda, k)
        case let .chiSquared(nu): return x <= 0 ? 0 : gsl_cdf_chisq_P(x, nu)
        case let .mixture(cs): return cs.reduce(0) { $0 + $1.weight * $1.distribution.cdf(x) }
        }
    }

    /// The exact mean and variance, where finite (nil otherwise: Cauchy, Student-t
    /// with df <= 2 for the variance, and so on).
    public var exactMoments: (mean: Double?, variance: Double?) {
        func lg(_ x: Double) -> Double { gsl_sf_lngamma(x) }
        switch family {
        case let .normal(m, s): return (m, s * s)
        case let .studentT(nu, loc, scale):
            return (nu > 1 ? loc : nil, nu > 2 ? scale * scale * nu / (nu - 2) : nil)
        case let .laplace(loc, b): return (loc, 2 * b * b)
        case let .exponential(rate): return (1 / rate, 1 / (rate * rate))
        case let .gamma(k, theta): return (k * theta, k * theta * theta)
        case let .chiSquared(nu): return (nu, 2 * nu)
        case let .beta(a, b): return (a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)))
        case let .lognormal(mu, sigma):
            let s2 = sigma * sigma
            return (exp(mu + s2 / 2), expm1(s2) * exp(2 * mu + s2))
        case let .uniform(low, high): return ((low + high) / 2, (high - low) * (high - low) / 12)
        case .cauchy: return (nil, nil)
        case let .logistic(loc, s): return (loc, s * s * Double.pi * Double.pi / 3)
        case let .weibull(k, lambda):
            let m1 = lambda * exp(lg(1 + 1 / k))
            return (m1, lambda * lambda * exp(lg(1 + 2 / k)) - m1 * m1)
        case let .mixture(cs):
            // The mean is finite when every component's is, the variance when every
            // component's is. The variance is summed around the mixture mean: E[X^2]
            // - mean^2 cancels catastrophically for narrow components far from 0.
            let parts = cs.map { (w: $0.weight, m: $0.distribution.exactMoments) }
            guard parts.allSatisfy({ $0.m.mean != nil }) else { return (nil, nil) }
            let mean = parts.reduce(0) { $0 + $1.w * $1.m.mean! }
            guard parts.allSatisfy({ $0.m.variance != nil }) else { return (mean, nil) }
            let variance = parts.reduce(0) { acc, p in
                let d = p.m.mean! - mean
                return acc + p.w * (p.m.variance! + d * d)
            }
            return (mean, variance)
        }
    }
}
