/// A real function of one variable `x`, as written after `f(x) =` or as a
/// constant parameter value, e.g. `exp(-x^2 / 2)` or `sqrt(2) / 2`.
///
/// Parse one with ``init(parsing:)``, build one in Swift with the cases and the
/// operators (`.x * .x + 1`), evaluate it with ``evaluate(at:)`` or, over whole
/// arrays, with ``BatchEvaluator``, and print it with ``canonicalText``.
/// The constants `pi` and `e` parse to plain numbers.
public indirect enum Formula: Sendable, Hashable {
    /// A number literal (or `pi`, `e`). Negative literals come from writing
    /// `-` directly before a number: `-2` is `.number(-2)`, `-(2)` is a negation.
    case number(Double)
    /// The variable `x`.
    case variable
    /// Unary minus.
    case negate(Formula)
    case binary(BinaryOperator, Formula, Formula)
    /// A call of a built-in function. `exp` ... `tanh` take one argument,
    /// `min` and `max` two or more (the parser enforces this; see
    /// ``evaluate(at:)`` for what other counts do).
    case call(Function, [Formula])
}

/// A binary operator, spelled as in the scenario language.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// Binding strength: comparisons 1, `+ -` 2, `* /` 3, `^` 5. (Unary minus
    /// sits at 4, between `*` and `^`.)
    public var precedence: Int {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: 1
        case .add, .subtract: 2
        case .multiply, .divide: 3
        case .power: 5
        }
    }

    /// True for `< <= > >= == !=`, whose value is 1 (true) or 0 (false).
    public var isComparison: Bool { precedence == 1 }
}

/// A built-in function of the expression language.
public enum Function: String, Sendable, Hashable, CaseIterable {
    case exp, log, sqrt, abs, sin, cos, tanh, min, max

    /// True for `min` and `max`, which take two or more arguments; the others
    /// take exactly one.
    public var isVariadic: Bool { self == .min || self == .max }
}

extension Formula {
    /// The variable `x`, for building expressions in Swift: `.x * .x + 1`.
    public static let x: Formula = .variable

    /// The named constants the language knows, by name.
    static let constants: [(name: String, value: Double)] = [
        ("pi", Double.pi),
        // The Double nearest Euler's number (the same value as M_E and exp(1)).
        ("e", 2.718281828459045),
    ]

    /// True if `x` occurs anywhere in the expression.
    public var mentionsX: Bool {
        switch self {
        case .number: false
        case .variable: true
        case let .negate(operand): operand.mentionsX
        case let .binary(_, lhs, rhs): lhs.mentionsX || rhs.mentionsX
        case let .call(_, arguments): arguments.contains { $0.mentionsX }
        }
    }

    /// `base ^ exponent`, since Swift's `^` is exclusive-or.
    public static func power(_ base: Formula, _ exponent: Formula) -> Formula {
        .binary(.power, base, exponent)
    }
}

extension Formula: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `.number(Double(value))`, so `2 * .x` reads naturally in Swift.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `.number(value)`.
    public init(floatLiteral value: Double) { self = .number(value) }
}

// MARK: - Operators for building expressions in Swift

/// Each operator builds the tree node the scenario language would parse from
/// the same text, e.g. `.x * .x + 1` is `x * x + 1`; literals become
/// `.number`. There are deliberately no (Formula, Double) overloads: with the
/// literal conformances they would make `doubles.reduce(0, +)` ambiguous in every
/// file that imports ISScenario.
extension Formula {
    /// The tree for `lhs + rhs`.
    public static func + (lhs: Formula, rhs: Formula) -> Formula { .binary(.add, lhs, rhs) }
    /// The tree for `lhs - rhs`.
    public static func - (lhs: Formula, rhs: Formula) -> Formula { .binary(.subtract, lhs, rhs) }
    /// The tree for `lhs * rhs`.
    public static func * (lhs: Formula, rhs: Formula) -> Formula { .binary(.multiply, lhs, rhs) }
    /// The tree for `lhs / rhs`.
    public static func / (lhs: Formula, rhs: Formula) -> Formula { .binary(.divide, lhs, rhs) }
    /// `.negate(operand)`.
    public static prefix func - (operand: Formula) -> Formula { .negate(operand) }
}
