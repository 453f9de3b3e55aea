extension Scenario {
    /// The scenario as a file in canonical form: every key, in the order
    /// name, description, target, behavior, f(x), samples, trials, seed,
    /// expect, with `=` aligned and a final line break. Parsing it gives back
    /// an equal scenario (apart from `file`, which the parser sets).
    public var canonicalText: String {
        let rows: [(String, String)] = [
            ("name", Self.quoted(name)),
            ("description", Self.quoted(summary)),
            ("target", target.description),
            ("behavior", behavior.description),
            ("f(x)", f.canonicalText),
            ("samples", String(samples)),
            ("trials", String(trials)),
            ("seed", String(seed)),
            ("expect", expectation.canonicalText),
        ]
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
