import ISProbability

/// A problem found while making a value from a template, and the token it
/// belongs at.
struct PlacedError: Error {
    let token: Token
    let message: String
}

/// A distribution as written in a file, its parameter values and weights
/// kept as templates (with the tokens to point at) so a swept scenario can
/// make one distribution per sweep point.
indirect enum DistributionTemplate {
    /// `family(label: value, ...)`; `close` is the `)` (where a missing
    /// parameter is reported).
    case family(name: String, arguments: [Argument], close: Token)
    /// `mixture(w * family(...), ...)`; `token` is the word `mixture`.
    case mixture(components: [Component], token: Token)

    struct Argument {
        let label: String
        let value: ExpressionTemplate
        /// The first token of the value.
        let place: Token
    }

    struct Component {
        let weight: ExpressionTemplate
        /// The first token of the weight.
        let place: Token
        let family: DistributionTemplate
    }

    /// True if any value or weight names the sweep variable.
    var mentionsParameter: Bool {
        switch self {
        case let .family(_, arguments, _): arguments.contains { $0.value.mentionsParameter }
        case let .mixture(components, _):
            components.contains { $0.weight.mentionsParameter || $0.family.mentionsParameter }
        }
    }

    /// The distribution at one sweep point (any value when nothing is
    /// templated), checked as the parser checks constant ones: each weight,
    /// then its family, then the weights' sum.
    func instantiate(at value: Double) throws(PlacedError) -> Distribution {
        switch self {
        case let .family(name, arguments, close):
            do {
                return try Distribution.make(family: name, arguments: arguments.map { ($0.label, $0.value.value(at: value)) })
            } catch {
                // Range errors name a given parameter: point at its value. A
                // missing parameter has no place of its own: point at the ')'.
                let place = arguments.first { $0.label == error.parameter }?.place ?? close
                throw PlacedError(token: place, message: error.message)
            }
        case let .mixture(components, token):
            var parts: [(weight: Double, distribution: Distribution)] = []
            for (i, component) in components.enumerated() {
                let weight = component.weight.value(at: value)
                guard weight.isFinite, weight > 0 else {
                    throw PlacedError(token: component.place, message: Self.weightMessage(number: i + 1, weight))
                }
                parts.append((weight, try component.family.instantiate(at: value)))
            }
            do {
                return try Distribution.mixture(parts)
            } catch {
                throw PlacedError(token: token, message: error.message)
            }
        }
    }

    static func weightMessage(number: Int, _ weight: Double) -> String {
        "mixture weight \(number) must be a finite number > 0, got \(canonicalNumber(weight))"
    }

    /// As ``Distribution/description`` prints, with templated values printed
    /// as templates: `normal(mean: gap, sd: 1)`.
    var canonicalText: String {
        switch self {
        case let .family(name, arguments, _):
            Self.familyText(name, arguments.map { ($0.label, $0.value) })
        case let .mixture(components, _):
            Self.mixtureText(components.map { ($0.weight, $0.family.canonicalText) })
        }
    }

    /// `name(label: value, ...)` in signature order; constant values print as
    /// their canonical number.
    static func familyText(_ name: String, _ arguments: [(label: String, value: ExpressionTemplate)]) -> String {
        let order = Distribution.signature(named: name)?.parameters.map(\.label) ?? []
        let sorted = arguments.sorted { (order.firstIndex(of: $0.label) ?? 0) < (order.firstIndex(of: $1.label) ?? 0) }
        return name + "(" + sorted.map { "\($0.label): \($0.value.valueText)" }.joined(separator: ", ") + ")"
    }

    /// `mixture(w * family(...), ...)`. The parser takes everything before the
    /// `*` as the weight, so `1 - gap` would read back; it still prints as
    /// `(1 - gap)` so people read it the same way.
    static func mixtureText(_ components: [(weight: ExpressionTemplate, family: String)]) -> String {
        Distribution.mixtureName + "(" + components.map { component in
            let weight = component.weight
            let text = weight.mentionsParameter && weight.printLevel < BinaryOperator.multiply.precedence
                ? "(\(weight.canonicalText))" : weight.valueText
            return "\(text) * \(component.family)"
        }.joined(separator: ", ") + ")"
    }
}
