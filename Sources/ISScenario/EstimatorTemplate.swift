import ISProbability

/// An estimator as written in a file, its parameter values kept as templates
/// (with the tokens to point at) so a swept scenario can make one
/// ``EstimatorSpec`` per sweep point.
struct EstimatorTemplate {
    struct Argument {
        let label: String
        let value: ExpressionTemplate
        /// The first token of the value.
        let place: Token
    }

    /// The estimator word: `is`, `truncated`, ...
    let keyword: String
    /// The word's token, where list-level errors point.
    let token: Token
    let arguments: [Argument]
    /// The `)` of the parameter list; nil for estimators without parameters.
    let close: Token?

    /// The default list: `is`. Its token is never pointed at.
    static let importanceSampling = EstimatorTemplate(
        keyword: "is", token: Token(kind: .identifier("is"), text: "is", line: 1, column: 1), arguments: [], close: nil)

    /// True if any parameter value names the sweep variable.
    var mentionsParameter: Bool { arguments.contains { $0.value.mentionsParameter } }

    /// The estimator at one sweep point (any value when nothing is templated).
    func instantiate(at value: Double) throws(PlacedError) -> EstimatorSpec {
        do {
            return try EstimatorSpec.make(keyword, arguments: arguments.map { ($0.label, $0.value.value(at: value)) })
        } catch {
            let place = arguments.first { $0.label == error.parameter }?.place ?? close ?? token
            throw PlacedError(token: place, message: error.message)
        }
    }

    /// As ``EstimatorSpec/canonicalText`` prints, with templated values printed
    /// as templates: `truncated(cap: 2 * gap)`.
    var canonicalText: String {
        Self.text(keyword, arguments.map { ($0.label, $0.value) })
    }

    /// `keyword(label: value, ...)` in canonical label order, or the bare word.
    static func text(_ keyword: String, _ arguments: [(label: String, value: ExpressionTemplate)]) -> String {
        guard !arguments.isEmpty else { return keyword }
        let order = EstimatorSpec.labelOrder
        let sorted = arguments.sorted { (order.firstIndex(of: $0.label) ?? 0) < (order.firstIndex(of: $1.label) ?? 0) }
        return keyword + "(" + sorted.map { "\($0.label): \($0.value.valueText)" }.joined(separator: ", ") + ")"
    }
}

extension Parser {
    /// estimators := estimator (',' estimator)*
    mutating func parseEstimatorList() throws(ParseFailure) -> [EstimatorTemplate] {
        var list: [EstimatorTemplate] = []
        while true {
            list.append(try parseEstimator())
            guard current.kind == .comma else { return list }
            try advance()
        }
    }

    /// estimator := word | word '(' label ':' constant (',' label ':' constant)* ')'
    ///
    /// Names, labels and their combination are checked here, and the values
    /// too unless they name the sweep variable (then per sweep point).
    mutating func parseEstimator() throws(ParseFailure) -> EstimatorTemplate {
        let token = current
        let keywords = EstimatorSpec.keywords
        guard let word = token.identifier else {
            throw failure(at: token, "expected an estimator such as is, snis or truncated(cap: 2), found \(token.quoted)")
        }
        guard let forms = EstimatorSpec.forms[word] else {
            throw failure(at: token, "unknown estimator '\(word)'; expected one of \(keywords.joined(separator: ", "))"
                + Spelling.suggestion(for: word, among: keywords))
        }
        try advance()
        let expected = EstimatorSpec.templates(word)
        let known = Array(forms.joined())
        guard !known.isEmpty else {
            if current.kind == .leftParen {
                throw failure(at: current, "estimator '\(word)' takes no parameters; expected '\(word)' alone")
            }
            return EstimatorTemplate(keyword: word, token: token, arguments: [], close: nil)
        }
        // A word with a bare form (`reinforce`) takes parameters only when '(' follows.
        if forms.contains([]), current.kind != .leftParen {
            return EstimatorTemplate(keyword: word, token: token, arguments: [], close: nil)
        }
        try expect(.leftParen, "'(' after '\(word)', as in \(expected)")
        var arguments: [EstimatorTemplate.Argument] = []
        var labels: [String: Token] = [:]
        if current.kind != .rightParen {
            while true {
                arguments.append(try parseEstimatorArgument(word, forms: forms, given: &labels))
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "an argument of \(word)")
        let given = Set(labels.keys)
        if !forms.contains(where: { Set($0) == given }) {
            let candidates = forms.filter { Set($0).isSuperset(of: given) }
            let missing = candidates.map { form in
                form.filter { !given.contains($0) }.map { "'\($0):'" }.joined(separator: " and ")
            }.joined(separator: ", or ")
            throw failure(at: close, "\(word) needs \(missing); expected \(expected)")
        }
        let template = EstimatorTemplate(keyword: word, token: token, arguments: arguments, close: close)
        if !template.mentionsParameter {
            do {
                _ = try template.instantiate(at: .nan)
            } catch {
                throw failure(at: error.token, error.message)
            }
        }
        return template
    }

    private mutating func parseEstimatorArgument(_ word: String, forms: [[String]], given labels: inout [String: Token])
        throws(ParseFailure) -> EstimatorTemplate.Argument {
        let known = Array(forms.joined())
        let expected = EstimatorSpec.templates(word)
        let (label, labelToken) = try parameterLabel(of: word, known: known, template: expected, given: labels)
        let together = Set(labels.keys).union([label])
        if !forms.contains(where: { Set($0).isSuperset(of: together) }) {
            let other = labels.min { ($0.value.line, $0.value.column) < ($1.value.line, $1.value.column) }?.key ?? ""
            throw failure(at: labelToken, "'\(label):' cannot go with '\(other):'; \(word) takes \(expected)")
        }
        labels[label] = labelToken
        try advance()
        try expect(.colon, "':' after parameter label '\(label)'")
        let (value, start) = try parseConstantTemplate("parameter '\(label)'")
        return .init(label: label, value: value, place: start)
    }
}
