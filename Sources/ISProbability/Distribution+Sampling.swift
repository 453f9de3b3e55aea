import CGSL

extension Distribution {
    /// One draw, with GSL's sampler for the family.
    public func sample(using source: RandomSource) -> Double {
        let r = source.handle
        switch family {
        case let .normal(m, s): return m + gsl_ran_gaussian_ziggurat(r, s)
        case let .studentT(nu, loc, scale): return loc + scale * gsl_ran_tdist(r, nu)
        case let .laplace(loc, b): return loc + gsl_ran_laplace(r, b)
        case let .exponential(rate): return gsl_ran_exponential(r, 1 / rate)
        case let .gamma(k, theta): return gsl_ran_gamma(r, k, theta)
        case let .beta(a, b): return gsl_ran_beta(r, a, b)
        case let .lognormal(mu, sigma): return gsl_ran_lognormal(r, mu, sigma)
        case let .uniform(low, high): return gsl_ran_flat(r, low, high)
        case let .cauchy(loc, scale): return loc + gsl_ran_cauchy(r, scale)
        case let .logistic(loc, scale): return loc + gsl_ran_logistic(r, scale)
        case let .weibull(k, lambda): return gsl_ran_weibull(r, lambda, k)
        case let .chiSquared(nu): return gsl_ran_chisq(r, nu)
        case let .mixture(components):
            return Self.component(components, u: gsl_rng_uniform(r)).sample(using: source)
        }
    }

    /// The mixture component a uniform draw u selects, by inversion of the
    /// cumulative weights (the last one takes whatever rounding leaves over).
    @inline(__always)
    static func component(_ components: [Component], u: Double) -> Distribution {
        var cumulative = 0.0
        for j in 0..<(components.count - 1) {
            cumulative += components[j].weight
            if u < cumulative { return components[j].distribution }
        }
        return components[components.count - 1].distribution
    }

    /// Fills `out` with independent draws, in order, from one stream.
    ///
    /// Equal, draw for draw, to calling ``sample(using:)`` `out.count` times.
    public func sample(into out: UnsafeMutableBufferPointer<Double>, using source: RandomSource) {
        let r = source.handle
        // Raw pointers and while loops with wrapping counters: buffer subscripts
        // and range iterators are calls per element in -Onone builds.
        guard let o = out.baseAddress else { return }
        let n = out.count
        var i = 0
        switch family {
        case let .normal(m, s):
            while i < n { o[i] = m + gsl_ran_gaussian_ziggurat(r, s); i &+= 1 }
        case let .uniform(low, high):
            while i < n { o[i] = gsl_ran_flat(r, low, high); i &+= 1 }
        case let .exponential(rate):
            let mu = 1 / rate
            while i < n { o[i] = gsl_ran_exponential(r, mu); i &+= 1 }
        case let .mixture(components):
            while i < n { o[i] = Self.component(components, u: gsl_rng_uniform(r)).sample(using: source); i &+= 1 }
        default:
            while i < n { o[i] = sample(using: source); i &+= 1 }
        }
    }
}
