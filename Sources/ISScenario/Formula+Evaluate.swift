extension Formula {
    /// The value at `x`, with IEEE semantics throughout.
    ///
    /// Nothing traps: `log(-1)` is nan, `1 / 0` is inf, `0 / 0` is nan.
    /// Comparisons give 1 (true) or 0 (false); any comparison with nan is 0
    /// except `!=`, which is 1. `min` and `max` are nan if any argument is.
    /// For trees built in Swift with other argument counts than the parser
    /// allows: a one-argument function called with none or several gives nan,
    /// `min`/`max` of no arguments give nan and of one give that argument.
    ///
    /// A nan result is always `Double.nan` (positive, quiet, no payload): the
    /// sign and payload of a nan depend on how the compiler orders operands,
    /// so they are normalised to keep ``BatchEvaluator`` bit-identical.
    public func evaluate(at x: Double) -> Double {
        Kernels.canonical(value(at: x))
    }

    private func value(at x: Double) -> Double {
        switch self {
        case let .number(value):
            return value
        case .variable:
            return x
        case let .negate(operand):
            return -operand.value(at: x)
        case let .binary(op, lhs, rhs):
            return Kernels.binary(op, lhs.value(at: x), rhs.value(at: x))
        case let .call(function, arguments):
            if function.isVariadic {
                guard let first = arguments.first else { return .nan }
                var result = first.value(at: x)
                for argument in arguments.dropFirst() {
                    result = Kernels.variadic(function, result, argument.value(at: x))
                }
                return result
            }
            guard arguments.count == 1 else { return .nan }
            return Kernels.unary(function, arguments[0].value(at: x))
        }
    }
}
