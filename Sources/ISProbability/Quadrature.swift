import CGSL

/// The value of an integral and GSL's estimate of its absolute error.
public struct QuadratureResult: Sendable, Hashable {
    public var value: Double
    public var absoluteError: Double
}

/// Adaptive quadrature over an interval of the real line, with GSL's QUADPACK
/// routines: qags on each panel between finite points, qagil and qagiu for infinite ends.
public enum Quadrature {
    /// Subintervals GSL may create per piece.
    public static let workspaceLimit = 2000

    private final class Box {
        let g: (Double) -> Double
        init(_ g: @escaping (Double) -> Double) { self.g = g }
    }

    private static let trampoline: @convention(c) (Double, UnsafeMutableRawPointer?) -> Double = { x, params in
        Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().g(x)
    }

    /// The integral of `g` from `lower` to `upper` (either may be infinite).
    ///
    /// - Parameters:
    ///   - breakpoints: points inside (lower, upper) where g changes character or
    ///     around which its mass lies; the range is split there, so a narrow peak
    ///     far from the origin is not skipped by the infinite-range transform.
    ///   - relativeTolerance: requested relative error, >= 1e-14.
    /// - Throws: ``GSLError`` when GSL cannot reach the tolerance (roundoff,
    ///   too many subdivisions, a singularity or divergence it detects).
    public static func integrate(
        _ g: @escaping (Double) -> Double,
        from lower: Double, to upper: Double,
        breakpoints: [Double] = [],
        relativeTolerance: Double = 1e-11,
        absoluteTolerance: Double = 0
    ) throws(GSLError) -> QuadratureResult {
        GSL.errorHandlerOff
        guard lower < upper else {
            throw GSLError(status: Int32(GSL_EINVAL), context: "integrating over [\(canonicalNumber(lower)), \(canonicalNumber(upper))]: the interval is empty")
        }
        let inner = Array(Set(breakpoints.filter { $0 > lower && $0 < upper && $0.isFinite })).sorted()
        // The finite stretch [a, b]: breakpoints plus any finite ends.
        var points = inner
        if lower.isFinite { points.insert(lower, at: 0) }
        if upper.isFinite { points.append(upper) }
        if points.isEmpty { points = [0] }

        let box = Box(g)
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        var function = gsl_function(function: trampoline, params: unmanaged.toOpaque())
        guard let workspace = gsl_integration_workspace_alloc(workspaceLimit) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a quadrature workspace")
        }
        defer { gsl_integration_workspace_free(workspace) }

        // Each piece is held to a share of the whole integral, not to its own size:
        // a far tail worth 1e-200 cannot reach 1e-11 of itself, and need not. A
        // first, loose pass finds the integral's magnitude.
        func pass(_ epsabs: Double, _ epsrel: Double) throws(GSLError) -> QuadratureResult {
            var total = QuadratureResult(value: 0, absoluteError: 0)
            var value = 0.0, error = 0.0
            func add(_ status: Int32, _ what: @autoclosure () -> String) throws(GSLError) {
                // Roundoff or subdivision limits are acceptable when the error GSL
                // still reports is within this piece's budget.
                let budget = Swift.max(epsabs, epsrel * abs(value))
                if status != 0 && (!(error <= budget) || !value.isFinite) {
                    try GSL.check(status, "integrating over \(what())")
                }
                total.value += value
                total.absoluteError += error
            }
            if !lower.isFinite {
                let s = gsl_integration_qagil(&function, points[0], epsabs, epsrel, workspaceLimit, workspace, &value, &error)
                try add(s, "(-inf, \(canonicalNumber(points[0]))]")
            }
            // Panel by panel with qags rather than one qagp: GSL's qagp trips its
            // roundoff heuristic across many breakpoints on integrands that qags
            // handles panel by panel, each panel holding its share of the budget.
            let panels = Swift.max(points.count - 1, 1)
            for (a, b) in zip(points, points.dropFirst()) {
                let s = gsl_integration_qags(&function, a, b, epsabs / Double(panels), epsrel,
                                             workspaceLimit, workspace, &value, &error)
                try add(s, "[\(canonicalNumber(a)), \(canonicalNumber(b))]")
            }
            if !upper.isFinite {
                let s = gsl_integration_qagiu(&function, points[points.count - 1], epsabs, epsrel, workspaceLimit, workspace, &value, &error)
                try add(s, "[\(canonicalNumber(points.last!)), inf)")
            }
            return total
        }
        // The yardstick is ∫|g|, not |∫g|: an integral that cancels to 0 (E_p[log x]
        // for a lognormal with meanlog 0) has no relative accuracy to reach.
        let box2 = Box { abs(g($0)) }
        let unmanagedAbs = Unmanaged.passRetained(box2)
        defer { unmanagedAbs.release() }
        let signed = function
        function = gsl_function(function: trampoline, params: unmanagedAbs.toOpaque())
        // A failed first pass must not stand in as magnitude 0: a zero budget
        // makes every piece of the second pass return GSL_EBADTOL with value 0 and
        // error 0, which `add` accepts, so a divergent integral came back as 0.
        let l1 = try pass(absoluteTolerance, 1e-4).value
        function = signed
        let budget = Swift.max(absoluteTolerance, relativeTolerance * l1)
        // Three pieces at most (two infinite tails and the finite middle) share the budget.
        let total = try pass(budget / 3, 0)
        guard total.absoluteError <= budget * 10 else {
            throw GSLError(status: Int32(GSL_ETOL), context: "integrating over [\(canonicalNumber(lower)), \(canonicalNumber(upper))]: error estimate \(total.absoluteError) for \(total.value)")
        }
        return total
    }

    /// Nodes and weights of the n-point Gauss-Legendre rule on [a, b] (GSL's glfixed).
    public static func gaussLegendre(from a: Double, to b: Double, points n: Int) -> [(x: Double, w: Double)] {
        GSL.errorHandlerOff
        guard let table = gsl_integration_glfixed_table_alloc(n) else { return [] }
        defer { gsl_integration_glfixed_table_free(table) }
        var out: [(x: Double, w: Double)] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            var x = 0.0, w = 0.0
            gsl_integration_glfixed_point(a, b, i, &x, &w, table)
            out.append((x, w))
        }
        return out
    }
}
