/// An expression as parsed, with what the grammar needs to know about it.
struct ParsedExpression {
    var expression: Formula
    /// Height of the tree, checked against ``Parser/maxNesting``.
    var height: Int
    /// A number literal (or `pi`, `e`) written bare: not in parentheses, no
    /// operator applied. A leading `-` folds into it: `-2` is the literal -2.
    var isBareLiteral = false
    /// Where it starts, to point at a bad parameter value.
    var start: Token
}

extension Parser {
    static let functionNames = Function.allCases.map(\.rawValue)

    /// expression := additive (comparison additive)?  — comparisons do not chain.
    mutating func parseExpression() throws(ParseFailure) -> ParsedExpression {
        try parseBinary(minimumPrecedence: 1)
    }

    /// An expression that must not mention `x`, evaluated now.
    mutating func parseConstant(_ what: String) throws(ParseFailure) -> (value: Double, start: Token) {
        firstX = nil
        let parsed = try parseExpression()
        if let x = firstX {
            throw failure(at: x, "\(what) must be a constant; 'x' can only appear in f(x)")
        }
        return (parsed.expression.evaluate(at: 0), parsed.start)
    }

    // Precedence climbing: one frame per operator level instead of one per
    // grammar rule keeps deep nesting cheap on the stack.
    private mutating func parseBinary(minimumPrecedence: Int) throws(ParseFailure) -> ParsedExpression {
        var lhs = try parseUnary()
        var sawComparison = false
        while let op = current.binaryOperator, op != .power, op.precedence >= minimumPrecedence {
            let operatorToken = try advance()
            if op.isComparison {
                if sawComparison {
                    throw failure(at: operatorToken, "comparisons do not chain; "
                        + "expected parentheses, e.g. (a < b) * (b < c)")
                }
                sawComparison = true
            }
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            lhs = try combine(.binary(op, lhs.expression, rhs.expression), lhs, rhs, at: operatorToken)
        }
        return lhs
    }

    private func combine(_ expression: Formula, _ lhs: ParsedExpression, _ rhs: ParsedExpression,
                         at token: Token) throws(ParseFailure) -> ParsedExpression {
        let height = max(lhs.height, rhs.height) + 1
        guard height <= Self.maxNesting else { throw tooDeep(at: token) }
        return ParsedExpression(expression: expression, height: height, start: lhs.start)
    }

    private func tooDeep(at token: Token) -> ParseFailure {
        failure(at: token, "expression is nested too deeply; expected at most \(Self.maxNesting) "
            + "levels of parentheses, calls and operators")
    }

    /// unary := ('-' | '+') unary | power
    private mutating func parseUnary() throws(ParseFailure) -> ParsedExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxNesting else { throw tooDeep(at: current) }
        let sign = current
        guard sign.kind == .minus || sign.kind == .plus else { return try parsePower() }
        try advance()
        var operand = try parseUnary()
        operand.start = sign
        if sign.kind == .plus {
            operand.isBareLiteral = false
            return operand
        }
        if operand.isBareLiteral, case let .number(value) = operand.expression {
            operand.expression = .number(-value)
            operand.isBareLiteral = false
            return operand
        }
        operand.height += 1
        guard operand.height <= Self.maxNesting else { throw tooDeep(at: sign) }
        operand.expression = .negate(operand.expression)
        return operand
    }

    /// power := primary ('^' unary)?  — right-associative through `unary`, and
    /// binds tighter than a leading minus: `-x^2` is `-(x^2)`, `2^-1` is fine.
    private mutating func parsePower() throws(ParseFailure) -> ParsedExpression {
        let base = try parsePrimary()
        guard current.kind == .caret else { return base }
        let caret = try advance()
        let exponent = try parseUnary()
        return try combine(.binary(.power, base.expression, exponent.expression), base, exponent, at: caret)
    }

    private mutating func parsePrimary() throws(ParseFailure) -> ParsedExpression {
        let token = current
        switch token.kind {
        case let .number(text, value, _):
            guard value.isFinite else {
                throw failure(at: token, "number '\(text)' is too large; expected a magnitude below 1.8e308")
            }
            try advance()
            return ParsedExpression(expression: .number(value), height: 1, isBareLiteral: true, start: token)
        case .leftParen:
            try advance()
            if current.kind == .rightParen {
                throw failure(at: current, "expected an expression inside '()', found ')'")
            }
            var inner = try parseExpression()
            try expect(.rightParen, "')' to close the '(' at column \(token.column)")
            inner.isBareLiteral = false
            inner.start = token
            return inner
        case let .identifier(name):
            try advance()
            if current.kind == .leftParen {
                return try parseCall(name, at: token)
            }
            if name == "x" {
                if firstX == nil { firstX = token }
                return ParsedExpression(expression: .variable, height: 1, start: token)
            }
            if let constant = Formula.constants.first(where: { $0.name == name }) {
                // A literal like any other, so `-pi` is the number -pi.
                return ParsedExpression(expression: .number(constant.value), height: 1, isBareLiteral: true, start: token)
            }
            if Function(rawValue: name) != nil {
                throw failure(at: current, "expected '(' after function '\(name)', found \(current.quoted)")
            }
            throw failure(at: token, "unknown name '\(name)'; expected x, pi, e, a number or a function call"
                + Spelling.suggestion(for: name, among: ["x", "pi", "e"] + Self.functionNames))
        default:
            throw failure(at: token, "expected a number, x, a function call or '(', found \(token.quoted)")
        }
    }

    private mutating func parseCall(_ name: String, at nameToken: Token) throws(ParseFailure) -> ParsedExpression {
        guard let function = Function(rawValue: name) else {
            let names = Self.functionNames.joined(separator: ", ")
            if name == "x" || Formula.constants.contains(where: { $0.name == name }) {
                throw failure(at: nameToken, "'\(name)' is not a function; expected an operator such as '*' before '('")
            }
            throw failure(at: nameToken, "unknown function '\(name)'; expected one of \(names)"
                + Spelling.suggestion(for: name, among: Self.functionNames))
        }
        try advance()
        var arguments: [Formula] = []
        var height = 1
        if current.kind != .rightParen {
            while true {
                let argument = try parseExpression()
                arguments.append(argument.expression)
                height = max(height, argument.height + 1)
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        try expectClosing(after: "an argument of \(name)")
        guard height <= Self.maxNesting else { throw tooDeep(at: nameToken) }
        if function.isVariadic, arguments.count < 2 {
            throw failure(at: nameToken, "\(name) takes at least 2 arguments, got \(arguments.count)")
        }
        if !function.isVariadic, arguments.count != 1 {
            throw failure(at: nameToken, "\(name) takes exactly 1 argument, got \(arguments.count)")
        }
        return ParsedExpression(expression: .call(function, arguments), height: height, start: nameToken)
    }
}
