import Foundation

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

/// The scalar operations, shared by ``Formula/evaluate(at:)`` and
/// ``BatchEvaluator`` so both give the same bits.
enum Kernels {
    @inline(__always)
    static func binary(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: power(a, b)
        case .less: a < b ? 1 : 0
        case .lessEqual: a <= b ? 1 : 0
        case .greater: a > b ? 1 : 0
        case .greaterEqual: a >= b ? 1 : 0
        case .equal: a == b ? 1 : 0
        case .notEqual: a != b ? 1 : 0
        }
    }

    /// Any nan as `Double.nan`. Whether a result is nan is fixed by IEEE 754;
    /// which nan is not (LLVM may swap the operands of `*`, or turn
    /// `(-a) * b` into `-(a * b)`), so only the final result is normalised.
    @inline(__always)
    static func canonical(_ value: Double) -> Double {
        value.isNaN ? .nan : value
    }

    /// `pow`, except that a square is `a * a`: the commonest integrand gets
    /// one exactly rounded multiply instead of a libm call (same value for
    /// nan, inf and signed zeros).
    @inline(__always)
    static func power(_ a: Double, _ b: Double) -> Double { b == 2 ? a * a : Foundation.pow(a, b) }

    /// `min`/`max` of two values; nan if either is nan (unlike IEEE minNum).
    @inline(__always)
    static func variadic(_ function: Function, _ a: Double, _ b: Double) -> Double {
        function == .min ? minimum(a, b) : maximum(a, b)
    }

    @inline(__always)
    static func minimum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : (b < a ? b : a)
    }

    @inline(__always)
    static func maximum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : (b > a ? b : a)
    }

    /// A one-argument function; `min`/`max` of one argument is that argument.
    @inline(__always)
    static func unary(_ function: Function, _ a: Double) -> Double {
        switch function {
        case .exp: Foundation.exp(a)
        case .log: Foundation.log(a)
        case .sqrt: a.squareRoot()
        case .abs: Swift.abs(a)
        case .sin: Foundation.sin(a)
        case .cos: Foundation.cos(a)
        case .tanh: Foundation.tanh(a)
        case .min, .max: a
        }
    }
}
