import ISProbability

extension Scenario {
    /// The scenario as a file in canonical form, with `=` aligned and a final
    /// line break: name, description, then `sweep` for a swept scenario,
    /// target, behavior, f(x), samples (unless swept), trials, seed, expect,
    /// and `estimators`, `mse_below_is` and `detect_bias` when they are not
    /// the defaults, then each `reference` on one line.
    /// Parsing it gives back an equal scenario, points included (apart from
    /// `file`, which the parser sets).
    ///
    /// A swept scenario prints each value that names the sweep variable as
    /// written (`mean: gap`, `f(x) = x^2 + gap`), the others as its first
    /// point's. A point of a sweep prints as a single scenario; its name (with
    /// `@` and `=`) does not read back.
    public var canonicalText: String {
        let swept = sweep != nil
        let t = swept ? templates : TemplateTexts()
        var rows: [(String, String)] = [
            ("name", Self.quoted(name)),
            ("description", Self.quoted(summary)),
        ]
        if let sweep { rows.append(("sweep", sweep.canonicalText)) }
        rows += [
            ("target", t.target ?? targetDescription),
            ("behavior", t.behavior ?? behaviorDescription),
            ("f(x)", t.f ?? f.canonicalText),
        ]
        if let policy, policy.scored != .all { rows.append(("scored", policy.scored.rawValue)) }
        if sweep?.sweepsSamples != true { rows.append(("samples", String(samples))) }
        rows += [
            ("trials", String(trials)),
            ("seed", String(seed)),
            ("expect", expectation.canonicalText),
        ]
        if t.estimators != nil || estimators != [.importanceSampling] {
            rows.append(("estimators", t.estimators ?? estimators.map(\.canonicalText).joined(separator: ", ")))
        }
        if t.mseBelowIS != nil || !mseBelowIS.isEmpty {
            rows.append(("mse_below_is", t.mseBelowIS ?? mseBelowIS.map(\.canonicalText).joined(separator: ", ")))
        }
        if let detectBias { rows.append(("detect_bias", canonicalNumber(detectBias))) }
        for r in references { rows.append(("reference \(r.estimator.canonicalText)", r.canonicalText)) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in
            key + String(repeating: " ", count: width - key.count) + " = " + value
        }.joined(separator: "\n") + "\n"
    }

    /// A string literal with `"`, `\`, line feed and tab escaped.
    static func quoted(_ text: String) -> String {
        var literal = "\""
        for character in text {
            switch character {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\t": literal += "\\t"
            default: literal.append(character)
            }
        }
        return literal + "\""
    }
}
