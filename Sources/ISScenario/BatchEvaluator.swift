/// A compiled batch evaluator: the expression tree flattened to a postfix
/// program of whole-array operations over registers, so the tree is walked
/// once per batch, not once per sample.
///
/// Results equal ``Formula/evaluate(at:)`` bit for bit: both use the same
/// scalar kernels, subtrees without `x` are folded to constants with
/// `evaluate(at:)` itself, and both return every nan as `Double.nan`.
///
/// The evaluator owns its scratch registers (`registerCount` arrays of
/// `capacity` doubles), so it is not for sharing between threads: each worker
/// makes its own. It is noncopyable so the scratch memory has one owner.
public struct BatchEvaluator: ~Copyable {
    /// Where an instruction reads a value from.
    enum Operand {
        case input
        case constant(Double)
        case register(Int)
    }

    enum Instruction {
        case negate(Operand, into: Int)
        case unary(Function, Operand, into: Int)
        case binary(BinaryOperator, Operand, Operand, into: Int)
        case variadic(Function, Operand, Operand, into: Int)
    }

    /// Longest batch evaluated in one pass; longer inputs go in chunks.
    public let capacity: Int
    private let program: [Instruction]
    private let result: Operand
    /// The number of scratch registers the program uses, each `capacity` long.
    public let registerCount: Int
    private let scratch: UnsafeMutablePointer<Double>?

    /// Compiles `expression` for batches of up to `capacity` values (at least 1).
    public init(_ expression: Formula, capacity: Int) {
        var compiler = Compiler()
        let result = compiler.compile(expression)
        self.capacity = Swift.max(1, capacity)
        self.program = compiler.program
        self.result = result
        self.registerCount = compiler.registerCount
        let (count, overflow) = self.capacity.multipliedReportingOverflow(by: compiler.registerCount)
        precondition(!overflow, "BatchEvaluator: capacity \(capacity) is too large")
        scratch = count > 0 ? UnsafeMutablePointer<Double>.allocate(capacity: count) : nil
    }

    deinit {
        scratch?.deallocate()
    }

    /// Writes f(xs[i]) to out[i] for every i.
    ///
    /// `out` must hold at least `xs.count` values (a programming error
    /// otherwise). It may be exactly the same memory as `xs`: only the last
    /// pass writes to `out`, reading each element before writing it. Inputs
    /// longer than ``capacity`` are evaluated in chunks.
    public mutating func evaluate(_ xs: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count >= xs.count, "BatchEvaluator: output shorter than input")
        guard let input = xs.baseAddress, let output = out.baseAddress else { return }
        var start = 0
        while start < xs.count {
            let n = Swift.min(capacity, xs.count - start)
            run(input + start, output + start, n)
            start += n
        }
    }

    private func run(_ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>, _ n: Int) {
        guard case let .register(resultRegister) = result else {
            switch result {
            case let .constant(value): output.update(repeating: value, count: n)
            default: Loops.canonical(.array(input), output, n)
            }
            return
        }
        for (k, instruction) in program.enumerated() {
            let target = Self.destination(of: instruction)
            // The last instruction computes the result: it writes straight to
            // `out`, and is the only one that does, which keeps `out == xs` safe.
            let dst = k == program.count - 1 && target == resultRegister ? output : register(target)
            switch instruction {
            case let .negate(a, _):
                Loops.map(operand(a, input), dst, n) { -$0 }
            case let .unary(function, a, _):
                Loops.unary(function, operand(a, input), dst, n)
            case let .binary(op, a, b, _):
                Loops.binary(op, operand(a, input), operand(b, input), dst, n)
            case let .variadic(function, a, b, _):
                Loops.variadic(function, operand(a, input), operand(b, input), dst, n)
            }
        }
        Loops.canonical(.array(UnsafePointer(output)), output, n)
    }

    private func register(_ index: Int) -> UnsafeMutablePointer<Double> {
        // Registers exist whenever an instruction does (the compiler counts them).
        scratch.unsafelyUnwrapped + index * capacity
    }

    private func operand(_ operand: Operand, _ input: UnsafePointer<Double>) -> Loops.Source {
        switch operand {
        case .input: .array(input)
        case let .constant(value): .constant(value)
        case let .register(index): .array(UnsafePointer(register(index)))
        }
    }

    private static func destination(of instruction: Instruction) -> Int {
        switch instruction {
        case let .negate(_, into: r), let .unary(_, _, into: r), let .binary(_, _, _, into: r),
             let .variadic(_, _, _, into: r):
            r
        }
    }
}
