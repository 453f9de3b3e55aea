import ISProbability

/// A discrete policy as written in a file: `family(label: value, ...)` with
/// numbers, lists or matrices whose entries may name the sweep variable.
struct PolicyTemplate {
    let name: String
    /// The family's name token (where a perturbed behaviour without a target is reported).
    let token: Token
    let arguments: [Argument]
    /// The `)` (where a missing parameter is reported).
    let close: Token

    enum Value {
        case number(ExpressionTemplate)
        case list([ExpressionTemplate])
        case matrix([[ExpressionTemplate]])

        var mentionsParameter: Bool {
            switch self {
            case let .number(e): e.mentionsParameter
            case let .list(l): l.contains { $0.mentionsParameter }
            case let .matrix(m): m.contains { $0.contains { $0.mentionsParameter } }
            }
        }

        func value(at parameter: Double) -> Policy.Value {
            switch self {
            case let .number(e): .number(e.value(at: parameter))
            case let .list(l): .list(l.map { $0.value(at: parameter) })
            case let .matrix(m): .matrix(m.map { $0.map { $0.value(at: parameter) } })
            }
        }

        var canonicalText: String {
            func list(_ l: [ExpressionTemplate]) -> String { "[" + l.map(\.valueText).joined(separator: ", ") + "]" }
            switch self {
            case let .number(e): return e.valueText
            case let .list(l): return list(l)
            case let .matrix(m): return "[" + m.map(list).joined(separator: ", ") + "]"
            }
        }
    }

    struct Argument {
        let label: String
        let value: Value
        /// The first token of the value.
        let place: Token
    }

    var isPerturbation: Bool { name == Policy.perturbedName }

    var mentionsParameter: Bool { arguments.contains { $0.value.mentionsParameter } }

    /// The policy at one sweep point; a perturbed behaviour needs its target.
    func instantiate(at value: Double, target: Policy? = nil) throws(PlacedError) -> Policy {
        let values = arguments.map { ($0.label, $0.value.value(at: value)) }
        do throws(ParameterError) {
            if isPerturbation {
                guard let target else {
                    throw ParameterError(family: name, parameter: "", message: "perturbed describes a behaviour as its target perturbed; "
                        + "expected it only in 'behavior', with a token policy (categorical, softmax, tokens or markov) as target")
                }
                return try Policy.perturbed(target, arguments: values)
            }
            return try Policy.make(family: name, arguments: values)
        } catch {
            let place = arguments.first { $0.label == error.parameter }?.place ?? (error.parameter.isEmpty && isPerturbation ? token : close)
            throw PlacedError(token: place, message: error.message)
        }
    }

    /// `name(label: value, ...)` in signature order.
    var canonicalText: String {
        let order = (Policy.signatures[name] ?? []).map(\.label)
        let sorted = arguments.sorted { (order.firstIndex(of: $0.label) ?? 0) < (order.firstIndex(of: $1.label) ?? 0) }
        return name + "(" + sorted.map { "\($0.label): \($0.value.canonicalText)" }.joined(separator: ", ") + ")"
    }
}

extension Parser {
    /// True if `name` is a discrete policy family (or `perturbed`).
    static func isPolicyFamily(_ name: String) -> Bool {
        Policy.familyNames.contains(name) || name == Policy.perturbedName
    }

    /// policy := family '(' label ':' value (',' label ':' value)* ')'
    /// value  := constant | '[' constant (',' constant)* ']' | '[' list (',' list)* ']'
    mutating func parsePolicy() throws(ParseFailure) -> PolicyTemplate {
        let nameToken = try advance()
        let name = nameToken.identifier ?? ""
        let signature = Policy.signatures[name] ?? []
        let template = Policy.template(name)
        try expect(.leftParen, "'(' after '\(name)', as in \(template)")
        var arguments: [PolicyTemplate.Argument] = []
        var places: [String: Token] = [:]
        if current.kind != .rightParen {
            while true {
                let (label, labelToken) = try parameterLabel(of: name, known: signature.map(\.label), template: template, given: places)
                try advance()
                try expect(.colon, "':' after parameter label '\(label)'")
                let start = current
                let value = try parsePolicyValue("parameter '\(label)'")
                arguments.append(.init(label: label, value: value, place: start))
                places[label] = labelToken
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "an argument of \(name)")
        let policy = PolicyTemplate(name: name, token: nameToken, arguments: arguments, close: close)
        // Constant policies are checked now; a perturbed one needs its target, and
        // templated ones are checked per sweep point.
        if !policy.mentionsParameter, !policy.isPerturbation {
            do {
                _ = try policy.instantiate(at: .nan)
            } catch {
                throw failure(at: error.token, error.message)
            }
        }
        return policy
    }

    private mutating func parsePolicyValue(_ what: String) throws(ParseFailure) -> PolicyTemplate.Value {
        guard current.kind == .leftBracket else { return .number(try parseConstantTemplate(what).template) }
        try advance()
        if current.kind == .leftBracket {
            var rows: [[ExpressionTemplate]] = []
            while true {
                guard current.kind == .leftBracket else {
                    throw failure(at: current, "expected '[' to start row \(rows.count + 1) of \(what), found \(current.quoted)")
                }
                try advance()
                rows.append(try parseListEntries(what))
                guard current.kind == .comma else { break }
                try advance()
            }
            _ = try expect(.rightBracket, "']' to close the rows of \(what)")
            return .matrix(rows)
        }
        return .list(try parseListEntries(what))
    }

    /// Entries up to and including the closing `]`.
    private mutating func parseListEntries(_ what: String) throws(ParseFailure) -> [ExpressionTemplate] {
        var entries: [ExpressionTemplate] = []
        if current.kind == .rightBracket {
            throw failure(at: current, "empty list in \(what); expected numbers such as [0, 0.5, 1]")
        }
        while true {
            entries.append(try parseConstantTemplate("an entry of \(what)").template)
            guard current.kind == .comma else { break }
            try advance()
        }
        _ = try expect(.rightBracket, "',' and another entry, or ']' to close the list of \(what)")
        return entries
    }
}
