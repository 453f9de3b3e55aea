import Foundation

/// The scalar operations, shared by ``Formula/evaluate(at:)`` and
/// ``BatchEvaluator`` so both give the same bits.
///
/// Transparent, and in one file with ``Loops``: -Onone builds (ISCERT_ONONE=1)
/// inline a transparent function only where its body is visible, and a call per
/// sample and operation there costs more than the operation.
enum Kernels {
    @_transparent
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
    @_transparent
    static func canonical(_ value: Double) -> Double {
        value.isNaN ? .nan : value
    }

    /// `pow`, except that a square is `a * a`: the commonest integrand gets
    /// one exactly rounded multiply instead of a libm call (same value for
    /// nan, inf and signed zeros).
    @_transparent
    static func power(_ a: Double, _ b: Double) -> Double { b == 2 ? a * a : Foundation.pow(a, b) }

    /// `min`/`max` of two values; nan if either is nan (unlike IEEE minNum).
    @_transparent
    static func variadic(_ function: Function, _ a: Double, _ b: Double) -> Double {
        function == .min ? minimum(a, b) : maximum(a, b)
    }

    @_transparent
    static func minimum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : (b < a ? b : a)
    }

    @_transparent
    static func maximum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : (b > a ? b : a)
    }

    /// A one-argument function; `min`/`max` of one argument is that argument.
    @_transparent
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

/// The whole-array loops, one per operation so the operation is chosen once
/// per batch and each loop body is a single kernel call the optimizer can
/// inline (and, being transparent, so can an -Onone build). While loops with
/// wrapping counters: a range's iterator is a call per element in -Onone builds.
enum Loops {
    enum Source {
        case array(UnsafePointer<Double>)
        case constant(Double)
    }

    @_transparent
    static func map(_ a: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int, _ f: (Double) -> Double) {
        switch a {
        case let .array(p):
            var i = 0
            while i < n { dst[i] = f(p[i]); i &+= 1 }
        case let .constant(c): dst.update(repeating: f(c), count: n)
        }
    }

    @_transparent
    static func zip(_ a: Source, _ b: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int,
                    _ f: (Double, Double) -> Double) {
        var i = 0
        switch (a, b) {
        case let (.array(p), .array(q)): while i < n { dst[i] = f(p[i], q[i]); i &+= 1 }
        case let (.array(p), .constant(c)): while i < n { dst[i] = f(p[i], c); i &+= 1 }
        case let (.constant(c), .array(q)): while i < n { dst[i] = f(c, q[i]); i &+= 1 }
        case let (.constant(c), .constant(d)): dst.update(repeating: f(c, d), count: n)
        }
    }

    /// Every nan as `Double.nan` (``Kernels/canonical(_:)``). The loop calls the
    /// kernel itself rather than through `map`'s closure: this pass runs on every
    /// batch, and a closure is a call per element in -Onone builds.
    static func canonical(_ a: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
        switch a {
        case let .array(p):
            var i = 0
            while i < n { dst[i] = Kernels.canonical(p[i]); i &+= 1 }
        case let .constant(c): dst.update(repeating: Kernels.canonical(c), count: n)
        }
    }

    /// `min` or `max` of two operands.
    static func variadic(_ function: Function, _ a: Source, _ b: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
        if function == .min {
            zip(a, b, dst, n) { Kernels.minimum($0, $1) }
        } else {
            zip(a, b, dst, n) { Kernels.maximum($0, $1) }
        }
    }

    static func unary(_ function: Function, _ a: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
        switch function {
        case .exp: map(a, dst, n) { Kernels.unary(.exp, $0) }
        case .log: map(a, dst, n) { Kernels.unary(.log, $0) }
        case .sqrt: map(a, dst, n) { Kernels.unary(.sqrt, $0) }
        case .abs: map(a, dst, n) { Kernels.unary(.abs, $0) }
        case .sin: map(a, dst, n) { Kernels.unary(.sin, $0) }
        case .cos: map(a, dst, n) { Kernels.unary(.cos, $0) }
        case .tanh: map(a, dst, n) { Kernels.unary(.tanh, $0) }
        case .min, .max: map(a, dst, n) { $0 }
        }
    }

    static func binary(_ op: BinaryOperator, _ a: Source, _ b: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .add: zip(a, b, dst, n) { Kernels.binary(.add, $0, $1) }
        case .subtract: zip(a, b, dst, n) { Kernels.binary(.subtract, $0, $1) }
        case .multiply: zip(a, b, dst, n) { Kernels.binary(.multiply, $0, $1) }
        case .divide: zip(a, b, dst, n) { Kernels.binary(.divide, $0, $1) }
        case .power: zip(a, b, dst, n) { Kernels.binary(.power, $0, $1) }
        case .less: zip(a, b, dst, n) { Kernels.binary(.less, $0, $1) }
        case .lessEqual: zip(a, b, dst, n) { Kernels.binary(.lessEqual, $0, $1) }
        case .greater: zip(a, b, dst, n) { Kernels.binary(.greater, $0, $1) }
        case .greaterEqual: zip(a, b, dst, n) { Kernels.binary(.greaterEqual, $0, $1) }
        case .equal: zip(a, b, dst, n) { Kernels.binary(.equal, $0, $1) }
        case .notEqual: zip(a, b, dst, n) { Kernels.binary(.notEqual, $0, $1) }
        }
    }
}
