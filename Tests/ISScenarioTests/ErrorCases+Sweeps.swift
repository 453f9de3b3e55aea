@testable import ISScenario

extension ErrorCase {
    /// The base file with target `normal(mean: gap, sd: 1)` (line 3) and `sweep` appended (line 7).
    static func swept(_ sweep: String, replacing number: Int? = nil, with line: String = "",
                      appending extra: [String] = []) -> String {
        var lines = baseLines
        lines[2] = "target = normal(mean: gap, sd: 1)"
        if let number { lines[number - 1] = line }
        return (lines + [sweep] + extra).joined(separator: "\n") + "\n"
    }

    /// The base file without its `samples` line (so lines 1...5), `sweep` appended (line 6).
    static func sampled(_ sweep: String, replacing number: Int? = nil, with line: String = "") -> String {
        var lines = Array(baseLines.dropLast())
        if let number { lines[number - 1] = line }
        return (lines + [sweep]).joined(separator: "\n") + "\n"
    }

    /// Errors in sweeps and in the scenarios a sweep makes.
    static let sweeps: [ErrorCase] = [
        ErrorCase("sweep variable not used", baseText(appending: ["sweep = gap in [0, 1]"]), 7, 9,
                  "sweep variable 'gap' is not used"),
        ErrorCase("detect_bias from the sweep variable", swept("sweep = gap in [0, 1]", appending: ["detect_bias = gap / 10"]),
                  8, 15, "detect_bias cannot depend on the sweep variable 'gap'"),
        ErrorCase("sweep variable without a sweep", baseText(replacing: 5, with: "f(x) = x + gap"), 5, 12,
                  "unknown name 'gap'; expected x, pi, e, a number or a function call"),
        ErrorCase("misspelled sweep variable", swept("sweep = gap in [0, 1]", replacing: 5, with: "f(x) = x + gpa"), 5, 12,
                  "unknown name 'gpa'; expected gap, x, pi, e", "did you mean 'gap'?"),
        ErrorCase("sweep variable called like a function", swept("sweep = gap in [0, 1]", replacing: 5, with: "f(x) = gap(x)"),
                  5, 8, "'gap' is not a function"),
        ErrorCase("sweeping x", baseText(appending: ["sweep = x in [0]"]), 7, 9, "cannot sweep 'x': it is the variable of f(x)"),
        ErrorCase("sweeping pi", baseText(appending: ["sweep = pi in [0]"]), 7, 9, "cannot sweep 'pi': it is a constant"),
        ErrorCase("sweeping a function", baseText(appending: ["sweep = exp in [0]"]), 7, 9, "cannot sweep 'exp': it is a function"),
        ErrorCase("sweeping a key", baseText(appending: ["sweep = seed in [1]"]), 7, 9,
                  "cannot sweep 'seed': it is a key", "only samples can be swept"),
        ErrorCase("sweep without a variable", baseText(appending: ["sweep = 5"]), 7, 9, "expected the name of the swept variable"),
        ErrorCase("sweep without a value", baseText(appending: ["sweep ="]), 7, 7, "missing value after '=' for 'sweep'"),
        ErrorCase("sweep without in or from", swept("sweep = gap [0, 1]"), 7, 13, "expected 'in [...]' or 'from ... to ... step ...'"),
        ErrorCase("sweep list without [", swept("sweep = gap in 0, 1"), 7, 16, "expected '[' after 'in'"),
        ErrorCase("empty sweep list", swept("sweep = gap in []"), 7, 17, "a sweep needs at least one value"),
        ErrorCase("sweep value given twice", swept("sweep = gap in [0, 0.5, 1/2]"), 7, 25,
                  "sweep value 0.5 given twice", "line 7, column 20"),
        ErrorCase("unclosed sweep list", swept("sweep = gap in [0, 1"), 7, 16, "unclosed '['", "matching ']'"),
        ErrorCase("missing comma in a sweep list", swept("sweep = gap in [0 1]"), 7, 19, "expected ',' or ']' after a sweep value"),
        ErrorCase("infinite sweep value", swept("sweep = gap in [0, 1/0]"), 7, 20, "a sweep value must be a finite number, got inf"),
        ErrorCase("x in a sweep value", swept("sweep = gap in [x]"), 7, 17, "a sweep value must be a constant"),
        ErrorCase("[ in an expression", baseText(replacing: 5, with: "f(x) = [x]"), 5, 8,
                  "expected a number, x, a function call or '('", "group with '(' and ')'"),
        ErrorCase("range running backwards", swept("sweep = gap from 1 to 0 step 0.5"), 7, 23, "the range runs backwards"),
        ErrorCase("zero step", swept("sweep = gap from 0 to 1 step 0"), 7, 30, "the step must be a finite number > 0, got 0"),
        ErrorCase("range without to", swept("sweep = gap from 0 1 step 1"), 7, 20, "expected 'to' after the start of the range"),
        ErrorCase("range without step", swept("sweep = gap from 0 to 1"), 7, 24, "expected 'step' after the end of the range",
                  "found end of line"),
        ErrorCase("range of 10_001 points", swept("sweep = gap from 0 to 10_000 step 1"), 7, 13,
                  "the sweep has 10001 values; expected at most 10_000"),
        ErrorCase("list of 10_001 points", swept("sweep = gap in [" + (0...10_000).map(String.init).joined(separator: ", ") + "]"),
                  7, 16, "the sweep has 10001 values; expected at most 10_000"),
        ErrorCase("absurd range", swept("sweep = gap from 0 to 1e300 step 1e-300"), 7, 13, "more than 10000 values"),
        ErrorCase("fractional samples", sampled("sweep = samples in [50, 100.5]"), 6, 25,
                  "swept values of 'samples' must be whole numbers between 2 and 100_000_000", "got 100.5"),
        ErrorCase("too few samples", sampled("sweep = samples in [1, 2]"), 6, 21, "got 1"),
        ErrorCase("fractional samples step", sampled("sweep = samples from 100 to 200 step 0.5"), 6, 38, "got 100.5"),
        ErrorCase("samples given while swept", baseText(appending: ["sweep = samples in [50, 100]"]), 6, 1,
                  "samples is swept", "line 7"),
        ErrorCase("samples in an expression", sampled("sweep = samples in [50, 100]", replacing: 5, with: "f(x) = x / samples"),
                  5, 12, "unknown name 'samples'"),
        ErrorCase("two sweeps", swept("sweep = gap in [0, 1]", appending: ["sweep = gap in [2]"]), 8, 1,
                  "duplicate key 'sweep'; it was first given on line 7"),
        ErrorCase("a point with an invalid parameter",
                  swept("sweep = gap in [0, 0.5, 1, 2]", replacing: 4, with: "behavior = normal(mean: 0, sd: 1 - gap)"), 4, 32,
                  "at gap = 1: normal parameter 'sd' must be > 0, got 0"),
        ErrorCase("a point with a bad weight",
                  swept("sweep = gap in [0, 1]", replacing: 3,
                        with: "target = mixture(gap * normal(mean: 0, sd: 1), (1 - gap) * normal(mean: 1, sd: 1))"), 3, 18,
                  "at gap = 0: mixture weight 1 must be a finite number > 0, got 0"),
        ErrorCase("a point whose weights do not sum to 1",
                  swept("sweep = gap in [0.5, 0.6]", replacing: 3,
                        with: "target = mixture(gap * normal(mean: 0, sd: 1), 0.5 * normal(mean: 1, sd: 1))"), 3, 10,
                  "at gap = 0.6: mixture weights must sum to 1"),
        ErrorCase("a point with a bad estimator parameter",
                  swept("sweep = gap in [1, 0]", appending: ["estimators = truncated(cap: gap)"]), 8, 29,
                  "at gap = 0: truncated parameter 'cap' must be a finite number > 0, got 0"),
        ErrorCase("a point with a repeated estimator",
                  swept("sweep = gap in [0.5, 1]", appending: ["estimators = truncated(cap: gap), truncated(cap: 1)"]), 8, 35,
                  "at gap = 1: estimator 'truncated(cap: 1)' given twice", "column 14"),
        ErrorCase("a point with an unlisted claim",
                  swept("sweep = gap in [2, 3]", appending: ["estimators = is, truncated(cap: 2)", "mse_below_is = truncated(cap: gap)"]),
                  9, 16, "at gap = 3: estimator 'truncated(cap: 3)' in mse_below_is is not in 'estimators'"),
    ]
}
