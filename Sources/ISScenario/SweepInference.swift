import ISProbability

/// Finds, for a sweep built in Swift, expressions of the sweep variable that
/// reproduce each varying number of the points exactly, so the swept
/// scenario's canonical text reads back as the same points.
enum SweepInference {
    /// The templated fields of `points`; nil for a field that is the same at
    /// every point or whose differences no template can express.
    static func templates(of points: [Scenario], _ sweep: Sweep) -> TemplateTexts {
        guard !sweep.sweepsSamples else { return TemplateTexts() }
        let slots = Slots(variable: sweep.variable, values: sweep.values)
        return TemplateTexts(target: slots.distribution(points.map(\.target)),
                             behavior: slots.distribution(points.map(\.behavior)),
                             f: slots.formula(points.map(\.f)),
                             estimators: slots.estimators(points.map(\.estimators)),
                             mseBelowIS: slots.estimators(points.map(\.mseBelowIS)))
    }

    private struct Slots {
        let variable: String
        let values: [Double]

        func distribution(_ all: [Distribution]) -> String? {
            guard all.contains(where: { $0 != all[0] }), let template = distributionText(all) else { return nil }
            return template
        }

        private func distributionText(_ all: [Distribution]) -> String? {
            if case let .mixture(first) = all[0].family {
                var parts: [(weight: ExpressionTemplate, family: String)] = []
                for i in first.indices {
                    var components: [Distribution.Component] = []
                    for d in all {
                        guard case let .mixture(c) = d.family, c.count == first.count else { return nil }
                        components.append(c[i])
                    }
                    guard let weight = slot(components.map(\.weight)),
                          let family = distributionText(components.map(\.distribution)) else { return nil }
                    parts.append((weight, family))
                }
                return DistributionTemplate.mixtureText(parts)
            }
            let labels = all[0].parameters.map(\.label)
            guard all.allSatisfy({ $0.familyName == all[0].familyName }) else { return nil }
            var arguments: [(label: String, value: ExpressionTemplate)] = []
            for (k, label) in labels.enumerated() {
                guard let value = slot(all.map { $0.parameters[k].value }) else { return nil }
                arguments.append((label, value))
            }
            return DistributionTemplate.familyText(all[0].familyName, arguments)
        }

        func formula(_ all: [Formula]) -> String? {
            guard all.contains(where: { $0 != all[0] }), let template = merge(all),
                  zip(all, values).allSatisfy({ template.formula(at: $1) == $0 }) else { return nil }
            return template.canonicalText
        }

        /// One tree for trees of the same shape, each number a slot.
        private func merge(_ all: [Formula]) -> ExpressionTemplate? {
            switch all[0] {
            case .number:
                let numbers = all.compactMap { if case let .number(y) = $0 { y } else { nil } }
                return numbers.count == all.count ? slot(numbers) : nil
            case .variable:
                return all.allSatisfy { $0 == .variable } ? .variable : nil
            case .negate:
                let operands = all.compactMap { if case let .negate(a) = $0 { a } else { nil } }
                return operands.count == all.count ? merge(operands).map { .negate($0) } : nil
            case let .binary(op, _, _):
                let pairs = all.compactMap { if case let .binary(o, a, b) = $0, o == op { (a, b) } else { nil } }
                guard pairs.count == all.count, let lhs = merge(pairs.map(\.0)), let rhs = merge(pairs.map(\.1)) else { return nil }
                return .binary(op, lhs, rhs)
            case let .call(function, arguments):
                let lists = all.compactMap { formula -> [Formula]? in
                    if case let .call(g, a) = formula, g == function, a.count == arguments.count { a } else { nil }
                }
                guard lists.count == all.count else { return nil }
                var merged: [ExpressionTemplate] = []
                for k in arguments.indices {
                    guard let argument = merge(lists.map { $0[k] }) else { return nil }
                    merged.append(argument)
                }
                return .call(function, merged)
            }
        }

        func estimators(_ all: [[EstimatorSpec]]) -> String? {
            guard all.contains(where: { $0 != all[0] }), all.allSatisfy({ $0.count == all[0].count }) else { return nil }
            var texts: [String] = []
            for k in all[0].indices {
                let specs = all.map { $0[k] }
                let labels = specs[0].parameters.map(\.label)
                guard specs.allSatisfy({ $0.keyword == specs[0].keyword && $0.parameters.map(\.label) == labels }) else {
                    return nil
                }
                var arguments: [(label: String, value: ExpressionTemplate)] = []
                for (j, label) in labels.enumerated() {
                    guard let value = slot(specs.map { $0.parameters[j].value }) else { return nil }
                    arguments.append((label, value))
                }
                texts.append(EstimatorTemplate.text(specs[0].keyword, arguments))
            }
            return texts.joined(separator: ", ")
        }

        /// A template whose value at `values[i]` is exactly `ys[i]` for every
        /// i: a number, the variable, an affine function of it, or a sum that
        /// picks each value out, `(gap == 0) * 1 + (gap == 0.5) * 3 + ...`.
        func slot(_ ys: [Double]) -> ExpressionTemplate? {
            guard ys.allSatisfy(\.isFinite) else { return nil }
            if ys.allSatisfy({ $0 == ys[0] }) { return .number(ys[0]) }
            let p = ExpressionTemplate.parameter(variable)
            var candidates: [ExpressionTemplate] = [p, .negate(p), plus(p, ys[0] - values[0])]
            if let i = values.firstIndex(where: { $0 != 0 }) {
                candidates.append(.binary(.multiply, .number(ys[i] / values[i]), p))
                if ys[i] != 0 { candidates.append(.binary(.divide, p, .number(values[i] / ys[i]))) }
            }
            if let j = values.indices.dropFirst().first {
                let slope = (ys[j] - ys[0]) / (values[j] - values[0])
                candidates.append(plus(.binary(.multiply, .number(slope), p), ys[0] - slope * values[0]))
            }
            candidates.append(selection(ys))
            return candidates.first { candidate in
                candidate.numbersAreFinite && zip(values, ys).allSatisfy { candidate.value(at: $0) == $1 }
            }
        }

        private func plus(_ term: ExpressionTemplate, _ c: Double) -> ExpressionTemplate {
            c < 0 ? .binary(.subtract, term, .number(-c)) : .binary(.add, term, .number(c))
        }

        /// A balanced sum (so it stays shallow for 10_000 points) of
        /// `(variable == value) * y`.
        private func selection(_ ys: [Double]) -> ExpressionTemplate {
            let terms = zip(values, ys).map { value, y -> ExpressionTemplate in
                .binary(.multiply, .binary(.equal, .parameter(variable), .number(value)), .number(y))
            }
            func sum(_ range: Range<Int>) -> ExpressionTemplate {
                if range.count == 1 { return terms[range.lowerBound] }
                let middle = range.lowerBound + range.count / 2
                return .binary(.add, sum(range.lowerBound..<middle), sum(middle..<range.upperBound))
            }
            return sum(terms.indices)
        }
    }
}

extension ExpressionTemplate {
    /// True if every number in the tree is finite (so its text reads back).
    var numbersAreFinite: Bool {
        switch self {
        case let .number(value): value.isFinite
        case .variable, .parameter: true
        case let .negate(operand): operand.numbersAreFinite
        case let .binary(_, lhs, rhs): lhs.numbersAreFinite && rhs.numbersAreFinite
        case let .call(_, arguments): arguments.allSatisfy(\.numbersAreFinite)
        }
    }
}
