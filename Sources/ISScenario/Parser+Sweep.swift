import ISProbability

extension Parser {
    /// The variable of `sweep = name ...`: any identifier except `x`, `pi`, `e`,
    /// a function name or a key (`samples`, which sweeps N, excepted).
    mutating func parseSweepVariable() throws(ParseFailure) -> Token {
        let token = current
        guard let name = token.identifier else {
            throw failure(at: token, "expected the name of the swept variable, such as gap or samples, found \(token.quoted)")
        }
        let keys = ScenarioKey.allCases.map(\.rawValue) + ["behaviour"]
        let reason: String? =
            if name == "x" { "it is the variable of f(x)" }
            else if Formula.constants.contains(where: { $0.name == name }) { "it is a constant" }
            else if Function(rawValue: name) != nil { "it is a function" }
            else if name != Sweep.samplesVariable, keys.contains(name) { "it is a key; of the keys only samples can be swept" }
            else { nil }
        if let reason {
            throw failure(at: token, "cannot sweep '\(name)': \(reason); expected another name such as gap")
        }
        try advance()
        return token
    }

    /// The values after the variable: `in [v, ...]` or `from a to b step s`,
    /// each a constant expression; distinct, finite, at most ``Sweep/maxPoints``,
    /// and whole numbers in ``Scenario/samplesRange`` when sweeping `samples`.
    mutating func parseSweepValues(of name: String) throws(ParseFailure) -> [Double] {
        let word = current
        switch word.identifier {
        case "in":
            try advance()
            return try parseSweepList(of: name)
        case "from":
            try advance()
            return try parseSweepRange(of: name, from: word)
        default:
            throw failure(at: word, "expected 'in [...]' or 'from ... to ... step ...' after '\(name)', "
                + "as in \(name) in [0, 0.5, 1] or \(name) from 0 to 3 step 0.25; found \(word.quoted)")
        }
    }

    private mutating func parseSweepList(of name: String) throws(ParseFailure) -> [Double] {
        let open = try expect(.leftBracket, "'[' after 'in', as in \(name) in [0, 0.5, 1]")
        if current.kind == .rightBracket {
            throw failure(at: current, "a sweep needs at least one value; expected \(name) in [v1, v2, ...]")
        }
        var values: [Double] = []
        var places: [Double: Token] = [:]
        while true {
            let (value, start) = try sweepValue("a sweep value")
            try checkSweepValue(value, of: name, at: start)
            if let first = places[value] {
                throw failure(at: start, "sweep value \(canonicalNumber(value)) given twice; "
                    + "first given at line \(first.line), column \(first.column)")
            }
            places[value] = start
            values.append(value)
            guard current.kind == .comma else { break }
            try advance()
        }
        guard current.kind == .rightBracket else {
            throw failure(at: current, "expected ',' or ']' after a sweep value, found \(current.quoted)")
        }
        try advance()
        guard values.count <= Sweep.maxPoints else {
            throw failure(at: open, "the sweep has \(values.count) values; expected at most \(Self.grouped(UInt64(Sweep.maxPoints)))")
        }
        return values
    }

    private mutating func parseSweepRange(of name: String, from word: Token) throws(ParseFailure) -> [Double] {
        let example = "as in \(name) from 0 to 3 step 0.25"
        let (start, startPlace) = try sweepValue("the start of the range")
        try expectWord("to", "'to' after the start of the range, \(example)")
        let (end, endPlace) = try sweepValue("the end of the range")
        try expectWord("step", "'step' after the end of the range, \(example)")
        let (step, stepPlace) = try sweepValue("the step")
        guard step > 0 else {
            throw failure(at: stepPlace, "the step must be a finite number > 0, got \(canonicalNumber(step))")
        }
        guard start <= end else {
            throw failure(at: endPlace, "the range runs backwards: it ends at \(canonicalNumber(end)), below its start "
                + "\(canonicalNumber(start)); expected an end >= the start")
        }
        guard let values = Sweep.grid(from: start, to: end, step: step) else {
            let count = Sweep.gridSize(from: start, to: end, step: step).count
            let counted = count.isFinite && count < 1e15 ? "\(Int(count))" : "more than \(Sweep.maxPoints)"
            throw failure(at: word, "the sweep has \(counted) values; expected at most "
                + "\(Self.grouped(UInt64(Sweep.maxPoints))) (a larger step or a shorter range)")
        }
        for (previous, value) in zip(values, values.dropFirst()) where value <= previous {
            throw failure(at: stepPlace, "the step \(canonicalNumber(step)) is too small to tell the values apart "
                + "near \(canonicalNumber(value))")
        }
        for value in values {
            let place = value == start ? startPlace : Sweep.isWhole(step) ? endPlace : stepPlace
            try checkSweepValue(value, of: name, at: place)
        }
        return values
    }

    /// A finite constant.
    private mutating func sweepValue(_ what: String) throws(ParseFailure) -> (value: Double, start: Token) {
        let (value, start) = try parseConstant(what)
        guard value.isFinite else {
            throw failure(at: start, "\(what) must be a finite number, got \(canonicalNumber(value))")
        }
        return (value, start)
    }

    /// For `samples`: a whole number in ``Scenario/samplesRange``.
    private func checkSweepValue(_ value: Double, of name: String, at place: Token) throws(ParseFailure) {
        guard name == Sweep.samplesVariable else { return }
        let range = Scenario.samplesRange
        guard Sweep.isWhole(value), value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw failure(at: place, "swept values of 'samples' must be whole numbers between "
                + "\(Self.grouped(UInt64(range.lowerBound))) and \(Self.grouped(UInt64(range.upperBound))), "
                + "got \(canonicalNumber(value))")
        }
    }

    private mutating func expectWord(_ word: String, _ what: String) throws(ParseFailure) {
        guard current.identifier == word else {
            throw failure(at: current, "expected \(what); found \(current.quoted)")
        }
        try advance()
    }
}

extension Sweep {
    static func isWhole(_ value: Double) -> Bool { value.isFinite && value == value.rounded() }
}
