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
