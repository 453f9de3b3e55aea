/// The failures of the expression grammar, built outside the recursive
/// functions so their stack frames stay small (nesting goes 256 levels deep).
extension Parser {
    @inline(never)
    func tooDeep(at token: Token) -> ParseFailure {
        failure(at: token, "expression is nested too deeply; expected at most \(Self.maxNesting) "
            + "levels of parentheses, calls and operators")
    }

    @inline(never)
    func chainedComparison(at token: Token) -> ParseFailure {
        failure(at: token, "comparisons do not chain; expected parentheses, e.g. (a < b) * (b < c)")
    }

    @inline(never)
    func tooLarge(_ token: Token, _ text: String) -> ParseFailure {
        failure(at: token, "number '\(text)' is too large; expected a magnitude below 1.8e308")
    }

    @inline(never)
    func emptyParentheses() -> ParseFailure {
        failure(at: current, "expected an expression inside '()', found ')'")
    }

    /// Consumes the `)` matching the `(` at `open`.
    @inline(never)
    mutating func expectRightParen(closing open: Token) throws(ParseFailure) {
        try expect(.rightParen, "')' to close the '(' at column \(open.column)")
    }

    /// Consumes the `)` of a call of `function`.
    @inline(never)
    mutating func expectClosing(ofCall function: Function) throws(ParseFailure) {
        try expectClosing(after: "an argument of \(function.rawValue)")
    }

    /// A name that is neither `x`, the sweep variable, a constant, nor
    /// followed by `(`: a function missing its `(`, or an unknown name.
    @inline(never)
    func unknownName(_ token: Token, _ name: String) -> ParseFailure {
        if Function(rawValue: name) != nil {
            return failure(at: current, "expected '(' after function '\(name)', found \(current.quoted)")
        }
        let known = (sweepVariable.map { [$0] } ?? []) + ["x", "pi", "e"]
        return failure(at: token, "unknown name '\(name)'; expected \(known.joined(separator: ", ")), "
            + "a number or a function call" + Spelling.suggestion(for: name, among: known + Self.functionNames))
    }

    @inline(never)
    func notAnOperand(_ token: Token) -> ParseFailure {
        let hint = token.kind == .leftBracket ? "; group with '(' and ')' ('[...]' only lists sweep values)" : ""
        return failure(at: token, "expected a number, x, a function call or '(', found \(token.quoted)\(hint)")
    }

    @inline(never)
    func unknownFunction(_ token: Token, _ name: String) -> ParseFailure {
        if name == "x" || name == sweepVariable || Formula.constants.contains(where: { $0.name == name }) {
            return failure(at: token, "'\(name)' is not a function; expected an operator such as '*' before '('")
        }
        return failure(at: token, "unknown function '\(name)'; expected one of \(Self.functionNames.joined(separator: ", "))"
            + Spelling.suggestion(for: name, among: Self.functionNames))
    }

    @inline(never)
    func argumentCount(_ token: Token, _ function: Function, _ count: Int) -> ParseFailure {
        let name = function.rawValue
        return function.isVariadic
            ? failure(at: token, "\(name) takes at least 2 arguments, got \(count)")
            : failure(at: token, "\(name) takes exactly 1 argument, got \(count)")
    }
}
