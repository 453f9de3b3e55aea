import ISProbability

extension Parser {
    static var familyNames: [String] { Distribution.signatures.map(\.name) + [Distribution.mixtureName] }

    /// distribution := family '(' label ':' constant (',' label ':' constant)* ')'
    ///               | 'mixture' '(' weight '*' family(...) (',' ...)* ')'
    mutating func parseDistribution() throws(ParseFailure) -> Distribution {
        let nameToken = current
        guard let name = nameToken.identifier else {
            throw failure(at: nameToken, "expected a distribution such as normal(mean: 0, sd: 1), found \(nameToken.quoted)")
        }
        if name == Distribution.mixtureName {
            return try parseMixture()
        }
        return try parseFamily()
    }

    private func unknownFamily(_ token: Token, _ name: String) -> ParseFailure {
        failure(at: token, "unknown family '\(name)'; expected one of \(Self.familyNames.joined(separator: ", "))"
            + Spelling.suggestion(for: name, among: Self.familyNames))
    }

    private mutating func parseFamily() throws(ParseFailure) -> Distribution {
        let nameToken = current
        guard let name = nameToken.identifier else {
            throw failure(at: nameToken, "expected a family such as normal(mean: 0, sd: 1), found \(nameToken.quoted)")
        }
        if name == Distribution.mixtureName {
            throw failure(at: nameToken, "a mixture component cannot itself be a mixture; "
                + "expected a family such as normal(...); write the inner components out")
        }
        guard let signature = Distribution.signature(named: name) else { throw unknownFamily(nameToken, name) }
        try advance()
        try expect(.leftParen, "'(' after '\(name)', as in \(signature.template)")
        let labels = signature.parameters.map(\.label)
        var arguments: [(label: String, value: Double)] = []
        var places: [String: (label: Token, value: Token)] = [:]
        if current.kind != .rightParen {
            while true {
                let labelToken = current
                guard let label = labelToken.identifier else {
                    throw failure(at: labelToken, "expected a parameter label such as '\(labels[0]):', "
                        + "found \(labelToken.quoted); \(name) takes \(signature.template)")
                }
                guard labels.contains(label) else {
                    throw failure(at: labelToken, "unknown parameter '\(label)' for \(name); expected \(signature.template)"
                        + Spelling.suggestion(for: label, among: labels))
                }
                if let first = places[label] {
                    throw failure(at: labelToken, "parameter '\(label)' given twice; "
                        + "first given at line \(first.label.line), column \(first.label.column)")
                }
                try advance()
                try expect(.colon, "':' after parameter label '\(label)'")
                let (value, start) = try parseConstant("parameter '\(label)'")
                arguments.append((label, value))
                places[label] = (labelToken, start)
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "an argument of \(name)")
        do {
            return try Distribution.make(family: name, arguments: arguments)
        } catch {
            // Range errors name a given parameter: point at its value. A
            // missing parameter has no place of its own: point at the ')'.
            let place = places[error.parameter]?.value ?? close
            throw failure(at: place, error.message)
        }
    }

    private mutating func parseMixture() throws(ParseFailure) -> Distribution {
        let mixtureToken = try advance()
        try expect(.leftParen, "'(' after 'mixture', as in mixture(0.5 * normal(mean: 0, sd: 1), ...)")
        var components: [(weight: Double, distribution: Distribution)] = []
        if current.kind != .rightParen {
            while true {
                components.append(try parseComponent(number: components.count + 1))
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        try expectClosing(after: "a mixture component")
        if components.isEmpty {
            throw failure(at: mixtureToken, "a mixture needs at least one component; "
                + "expected mixture(w1 * family(...), w2 * family(...), ...)")
        }
        do {
            return try Distribution.mixture(components)
        } catch {
            throw failure(at: mixtureToken, error.message)
        }
    }

    /// weight '*' family(...): the weight is everything before the first `*`
    /// at this nesting level that is followed by a name other than a
    /// function's and a `(`, so the weight may be any constant expression
    /// (`2 * exp(-1) * normal(...)` splits before `normal`).
    private mutating func parseComponent(number: Int) throws(ParseFailure) -> (weight: Double, distribution: Distribution) {
        let start = current
        var level = 0
        var star: Int?
        var i = index
        scan: while i < limit, star == nil {
            switch tokens[i].kind {
            case .leftParen: level += 1
            case .rightParen:
                if level == 0 { break scan }
                level -= 1
            case .comma where level == 0: break scan
            case .star where level == 0:
                if i + 2 < limit, let name = tokens[i + 1].identifier, Function(rawValue: name) == nil,
                   tokens[i + 2].kind == .leftParen {
                    star = i
                }
            default: break
            }
            i += 1
        }
        guard let star, star > index else {
            throw failure(at: start, "expected a weighted component such as 0.5 * normal(mean: 0, sd: 1), "
                + "found \(start.quoted)")
        }
        let savedLimit = limit
        limit = star
        let (weight, weightStart) = try parseConstant("a mixture weight")
        try expectEnd(after: "mixture weight \(number)", expected: "'*' and a family such as normal(...)")
        limit = savedLimit
        try advance()
        guard weight.isFinite, weight > 0 else {
            throw failure(at: weightStart, "mixture weight \(number) must be a finite number > 0, "
                + "got \(canonicalNumber(weight))")
        }
        return (weight, try parseFamily())
    }
}
