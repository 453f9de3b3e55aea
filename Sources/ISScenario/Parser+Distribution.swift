import ISProbability

extension Parser {
    /// Reads the label of a `label: value` parameter of a distribution or an
    /// estimator: it must be one of `known` and not given before.
    mutating func parameterLabel(of owner: String, known: [String], template: String,
                                 given: [String: Token]) throws(ParseFailure) -> (String, Token) {
        let labelToken = current
        guard let label = labelToken.identifier else {
            throw failure(at: labelToken, "expected a parameter label such as '\(known[0]):', "
                + "found \(labelToken.quoted); \(owner) takes \(template)")
        }
        guard known.contains(label) else {
            throw failure(at: labelToken, "unknown parameter '\(label)' for \(owner); expected \(template)"
                + Spelling.suggestion(for: label, among: known))
        }
        if let first = given[label] {
            throw failure(at: labelToken, "parameter '\(label)' given twice; "
                + "first given at line \(first.line), column \(first.column)")
        }
        return (label, labelToken)
    }

    static var familyNames: [String] { Distribution.signatures.map(\.name) + [Distribution.mixtureName] + Policy.familyNames + [Policy.perturbedName] }

    /// distribution := family '(' label ':' constant (',' label ':' constant)* ')'
    ///               | 'mixture' '(' weight '*' family(...) (',' ...)* ')'
    ///
    /// A distribution that does not name the sweep variable is checked here;
    /// one that does is checked per sweep point by the reader.
    mutating func parseDistribution() throws(ParseFailure) -> DistributionTemplate {
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

    /// Makes a template that names no sweep variable now, so its errors are
    /// reported as soon as it is read.
    private func validated(_ template: DistributionTemplate) throws(ParseFailure) -> DistributionTemplate {
        guard !template.mentionsParameter else { return template }
        do {
            _ = try template.instantiate(at: .nan)
        } catch {
            throw failure(at: error.token, error.message)
        }
        return template
    }

    private mutating func parseFamily() throws(ParseFailure) -> DistributionTemplate {
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
        var arguments: [DistributionTemplate.Argument] = []
        var places: [String: Token] = [:]
        if current.kind != .rightParen {
            while true {
                let (label, labelToken) = try parameterLabel(of: name, known: labels, template: signature.template,
                                                             given: places)
                try advance()
                try expect(.colon, "':' after parameter label '\(label)'")
                let (value, start) = try parseConstantTemplate("parameter '\(label)'")
                arguments.append(.init(label: label, value: value, place: start))
                places[label] = labelToken
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "an argument of \(name)")
        for parameter in signature.parameters where places[parameter.label] == nil {
            throw failure(at: close, "\(name) needs '\(parameter.label):'; expected \(signature.template)")
        }
        return try validated(.family(name: name, arguments: arguments, close: close))
    }

    private mutating func parseMixture() throws(ParseFailure) -> DistributionTemplate {
        let mixtureToken = try advance()
        try expect(.leftParen, "'(' after 'mixture', as in mixture(0.5 * normal(mean: 0, sd: 1), ...)")
        var components: [DistributionTemplate.Component] = []
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
        return try validated(.mixture(components: components, token: mixtureToken))
    }

    /// weight '*' family(...): the weight is everything before the first `*`
    /// at this nesting level that is followed by a name other than a
    /// function's and a `(`, so the weight may be any constant expression
    /// (`2 * exp(-1) * normal(...)` splits before `normal`).
    private mutating func parseComponent(number: Int) throws(ParseFailure) -> DistributionTemplate.Component {
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
        let (weight, weightStart) = try parseConstantTemplate("a mixture weight")
        try expectEnd(after: "mixture weight \(number)", expected: "'*' and a family such as normal(...)")
        limit = savedLimit
        try advance()
        if !weight.mentionsParameter {
            let value = weight.value(at: .nan)
            guard value.isFinite, value > 0 else {
                throw failure(at: weightStart, DistributionTemplate.weightMessage(number: number, value))
            }
        }
        return .init(weight: weight, place: weightStart, family: try parseFamily())
    }
}
