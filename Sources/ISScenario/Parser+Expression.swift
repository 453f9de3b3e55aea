/// An expression as parsed, with what the grammar needs to know about it.
struct ParsedExpression {
    /// The tree; it names the sweep variable only where the statement's
    /// parser knows one (``Parser/sweepVariable``).
    var expression: ExpressionTemplate
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

    /// An expression that must not mention `x`, evaluated now (it cannot
    /// name a sweep variable where the parser knows none).
    mutating func parseConstant(_ what: String) throws(ParseFailure) -> (value: Double, start: Token) {
        let (template, start) = try parseConstantTemplate(what)
        return (template.value(at: .nan), start)
    }

    /// An expression that must not mention `x` but may name the sweep
    /// variable: a parameter value, weight or estimator parameter.
    mutating func parseConstantTemplate(_ what: String) throws(ParseFailure) -> (template: ExpressionTemplate, start: Token) {
        firstX = nil
        let parsed = try parseExpression()
        if let x = firstX {
            throw failure(at: x, "\(what) must be a constant; 'x' can only appear in f(x)")
        }
        return (parsed.expression, parsed.start)
    }

    // Precedence climbing: one frame per operator level instead of one per
    // grammar rule keeps deep nesting cheap on the stack. The recursive
    // functions build no messages themselves (see Parser+ExpressionErrors):
    // an -Onone build gives every string temporary a stack slot in every frame.
    private mutating func parseBinary(minimumPrecedence: Int) throws(ParseFailure) -> ParsedExpression {
        var lhs = try parseUnary()
        var sawComparison = false
        while let op = current.binaryOperator, op != .power, op.precedence >= minimumPrecedence {
            let operatorToken = try advance()
            if op.isComparison {
                if sawComparison { throw chainedComparison(at: operatorToken) }
                sawComparison = true
            }
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            lhs = try combine(.binary(op, lhs.expression, rhs.expression), lhs, rhs, at: operatorToken)
        }
        return lhs
    }

    private func combine(_ expression: ExpressionTemplate, _ lhs: ParsedExpression, _ rhs: ParsedExpression,
                         at token: Token) throws(ParseFailure) -> ParsedExpression {
        let height = max(lhs.height, rhs.height) + 1
        guard height <= Self.maxNesting else { throw tooDeep(at: token) }
        return ParsedExpression(expression: expression, height: height, start: lhs.start)
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
            guard value.isFinite else { throw tooLarge(token, text) }
            try advance()
            return ParsedExpression(expression: .number(value), height: 1, isBareLiteral: true, start: token)
        case .leftParen:
            try advance()
            if current.kind == .rightParen { throw emptyParentheses() }
            var inner = try parseExpression()
            try expectRightParen(closing: token)
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
            if name == sweepVariable {
                if sweepUse == nil { sweepUse = token }
                return ParsedExpression(expression: .parameter(name), height: 1, start: token)
            }
            if let constant = Formula.constants.first(where: { $0.name == name }) {
                // A literal like any other, so `-pi` is the number -pi.
                return ParsedExpression(expression: .number(constant.value), height: 1, isBareLiteral: true, start: token)
            }
            throw unknownName(token, name)
        default:
            throw notAnOperand(token)
        }
    }

    private mutating func parseCall(_ name: String, at nameToken: Token) throws(ParseFailure) -> ParsedExpression {
        guard let function = Function(rawValue: name) else { throw unknownFunction(nameToken, name) }
        try advance()
        var arguments: [ExpressionTemplate] = []
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
        try expectClosing(ofCall: function)
        guard height <= Self.maxNesting else { throw tooDeep(at: nameToken) }
        if function.isVariadic ? arguments.count < 2 : arguments.count != 1 {
            throw argumentCount(nameToken, function, arguments.count)
        }
        return ParsedExpression(expression: .call(function, arguments), height: height, start: nameToken)
    }
}
