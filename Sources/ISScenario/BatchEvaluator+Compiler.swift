extension BatchEvaluator {
    /// Flattens a tree into instructions in postfix order, reusing a register
    /// as soon as the value in it has been consumed.
    struct Compiler {
        private(set) var program: [Instruction] = []
        private(set) var registerCount = 0
        private var free: [Int] = []

        mutating func compile(_ expression: Formula) -> Operand {
            // A subtree without x has the same value for every sample;
            // evaluate(at:) computes it so the bits match the scalar path.
            guard expression.mentionsX else { return .constant(expression.evaluate(at: 0)) }
            switch expression {
            case .number, .variable:
                return .input
            case let .negate(operand):
                let a = compile(operand)
                return emit(releasing: [a]) { .negate(a, into: $0) }
            case let .binary(op, lhs, rhs):
                let a = compile(lhs)
                let b = compile(rhs)
                return emit(releasing: [a, b]) { .binary(op, a, b, into: $0) }
            case let .call(function, arguments) where function.isVariadic:
                guard let first = arguments.first else { return .constant(.nan) }
                var accumulator = compile(first)
                for argument in arguments.dropFirst() {
                    let a = accumulator
                    let b = compile(argument)
                    accumulator = emit(releasing: [a, b]) { .variadic(function, a, b, into: $0) }
                }
                return accumulator
            case let .call(function, arguments):
                guard arguments.count == 1, let argument = arguments.first else { return .constant(.nan) }
                let a = compile(argument)
                return emit(releasing: [a]) { .unary(function, a, into: $0) }
            }
        }

        // Operands are released before the destination is chosen, so an
        // instruction may overwrite its own input: every loop reads element i
        // before writing element i.
        private mutating func emit(releasing operands: [Operand], _ make: (Int) -> Instruction) -> Operand {
            for case let .register(r) in operands { free.append(r) }
            let destination: Int
            if let reused = free.popLast() {
                destination = reused
            } else {
                destination = registerCount
                registerCount += 1
            }
            program.append(make(destination))
            return .register(destination)
        }
    }
}

/// The whole-array loops, one per operation so the operation is chosen once
/// per batch and each loop body is a single kernel call the optimizer can
/// inline.
enum Loops {
    enum Source {
        case array(UnsafePointer<Double>)
        case constant(Double)
    }

    @inline(__always)
    static func map(_ a: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int, _ f: (Double) -> Double) {
        switch a {
        case let .array(p): for i in 0..<n { dst[i] = f(p[i]) }
        case let .constant(c): dst.update(repeating: f(c), count: n)
        }
    }

    @inline(__always)
    static func zip(_ a: Source, _ b: Source, _ dst: UnsafeMutablePointer<Double>, _ n: Int,
                    _ f: (Double, Double) -> Double) {
        switch (a, b) {
        case let (.array(p), .array(q)): for i in 0..<n { dst[i] = f(p[i], q[i]) }
        case let (.array(p), .constant(c)): for i in 0..<n { dst[i] = f(p[i], c) }
        case let (.constant(c), .array(q)): for i in 0..<n { dst[i] = f(c, q[i]) }
        case let (.constant(c), .constant(d)): dst.update(repeating: f(c, d), count: n)
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
