import ISProbability

/// An expression as the parser reads it: a ``Formula`` that may also name the
/// sweep variable, which stands for a number fixed per sweep point.
///
/// Templates never leave the module: a concrete scenario holds the
/// ``Formula`` that ``formula(at:)`` makes, which uses only `Formula`'s own
/// cases. Swept scenarios keep a template's ``canonicalText`` to print back.
indirect enum ExpressionTemplate: Sendable, Hashable {
    case number(Double)
    case variable
    /// The sweep variable, by name.
    case parameter(String)
    case negate(ExpressionTemplate)
    case binary(BinaryOperator, ExpressionTemplate, ExpressionTemplate)
    case call(Function, [ExpressionTemplate])

    /// The same tree, as a template without parameters.
    init(_ formula: Formula) {
        switch formula {
        case let .number(value): self = .number(value)
        case .variable: self = .variable
        case let .negate(operand): self = .negate(ExpressionTemplate(operand))
        case let .binary(op, lhs, rhs): self = .binary(op, ExpressionTemplate(lhs), ExpressionTemplate(rhs))
        case let .call(function, arguments): self = .call(function, arguments.map(ExpressionTemplate.init))
        }
    }

    /// True if the sweep variable occurs anywhere in the tree.
    var mentionsParameter: Bool {
        switch self {
        case .number, .variable: false
        case .parameter: true
        case let .negate(operand): operand.mentionsParameter
        case let .binary(_, lhs, rhs): lhs.mentionsParameter || rhs.mentionsParameter
        case let .call(_, arguments): arguments.contains { $0.mentionsParameter }
        }
    }

    /// The formula at one sweep point: every largest subtree that mentions the
    /// parameter but not `x` becomes the number it evaluates to (with
    /// ``Formula/evaluate(at:)``), so `x^2 + 2 * gap` at gap = 1 is `x^2 + 2`,
    /// unless that number is nan or infinite: then the subtree stays, with
    /// the parameter's value in place (`log(-1)`), so the formula still equals
    /// itself and prints as text that reads back. Subtrees without the
    /// parameter are kept as written. A template without parameters gives
    /// back exactly the tree it was parsed as.
    func formula(at value: Double) -> Formula {
        substituted(value).formula
    }

    /// The value of a constant template (no `x`) at one sweep point.
    func value(at parameter: Double) -> Double {
        formula(at: parameter).evaluate(at: 0)
    }

    private func substituted(_ value: Double) -> (formula: Formula, parameter: Bool, x: Bool) {
        let result: (formula: Formula, parameter: Bool, x: Bool)
        switch self {
        case let .number(number):
            return (.number(number), false, false)
        case .variable:
            return (.variable, false, true)
        case .parameter:
            return (.number(value), true, false)
        case let .negate(operand):
            let a = operand.substituted(value)
            result = (.negate(a.formula), a.parameter, a.x)
        case let .binary(op, lhs, rhs):
            let a = lhs.substituted(value), b = rhs.substituted(value)
            result = (.binary(op, a.formula, b.formula), a.parameter || b.parameter, a.x || b.x)
        case let .call(function, arguments):
            let parts = arguments.map { $0.substituted(value) }
            result = (.call(function, parts.map(\.formula)), parts.contains { $0.parameter }, parts.contains { $0.x })
        }
        // Bottom-up: the children are already numbers or keep x, so each
        // fold evaluates a small tree.
        guard result.parameter, !result.x else { return result }
        let folded = result.formula.evaluate(at: 0)
        return folded.isFinite ? (.number(folded), true, false) : result
    }

    /// How a parameter value prints: the template when it names the sweep
    /// variable, otherwise the number it evaluates to, as
    /// ``Distribution/description`` prints it.
    var valueText: String {
        mentionsParameter ? canonicalText : canonicalNumber(value(at: 0))
    }
}
