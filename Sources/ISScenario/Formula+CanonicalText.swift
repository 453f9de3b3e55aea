import ISProbability

extension Formula {
    /// The expression in the scenario language with as few parentheses as the
    /// grammar allows: spaces around binary operators except `^`, numbers in
    /// ``canonicalNumber(_:)`` form, e.g. `x^2`, `exp(-x^2 / 2)`,
    /// `(x > 3) * x`, `-(x + 1)`.
    ///
    /// Parsing the text gives back an equal expression whenever every number
    /// in the tree is finite (parsed expressions always are). A negative
    /// `.number` prints as `-2`; a negation of a non-negative number prints as
    /// `-(2)`, because `-2` reads back as the literal.
    public var canonicalText: String {
        ExpressionTemplate(self).canonicalText
    }
}

extension Formula: CustomStringConvertible {
    /// The ``canonicalText``.
    public var description: String { canonicalText }
}

extension ExpressionTemplate {
    /// The template as ``Formula/canonicalText`` prints formulas; the sweep
    /// variable prints as its name, like `x`.
    var canonicalText: String {
        switch self {
        case let .number(value):
            if value.isNaN { return "nan" }
            return value.sign == .minus ? "-" + canonicalNumber(-value) : canonicalNumber(value)
        case .variable:
            return "x"
        case let .parameter(name):
            return name
        case let .negate(operand):
            if case let .number(value) = operand, value.isNaN || value.sign == .plus {
                return "-(\(operand.canonicalText))"
            }
            return "-" + operand.text(parenthesizedBelow: Self.unaryLevel)
        case let .binary(.power, base, exponent):
            return base.text(parenthesizedBelow: Self.primaryLevel) + "^"
                + exponent.text(parenthesizedBelow: Self.unaryLevel)
        case let .binary(op, lhs, rhs):
            // Left-associative (and comparisons do not chain), so a right
            // operand at the same level needs parentheses; a left one only
            // for comparisons.
            let leftBound = op.isComparison ? op.precedence + 1 : op.precedence
            return lhs.text(parenthesizedBelow: leftBound) + " \(op.rawValue) "
                + rhs.text(parenthesizedBelow: op.precedence + 1)
        case let .call(function, arguments):
            return function.rawValue + "(" + arguments.map(\.canonicalText).joined(separator: ", ") + ")"
        }
    }

    static let unaryLevel = 4
    static let primaryLevel = 6

    /// How tightly the printed form binds: the operator's precedence, 4 for a
    /// leading minus (negations and negative numbers), 6 for atoms.
    var printLevel: Int {
        switch self {
        case let .number(value): !value.isNaN && value.sign == .minus ? Self.unaryLevel : Self.primaryLevel
        case .variable, .parameter, .call: Self.primaryLevel
        case .negate: Self.unaryLevel
        case let .binary(op, _, _): op.precedence
        }
    }

    private func text(parenthesizedBelow level: Int) -> String {
        printLevel < level ? "(\(canonicalText))" : canonicalText
    }
}
