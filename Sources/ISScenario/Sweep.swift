import ISProbability

/// One parameter of a scenario varied over a list of values: `sweep = gap in
/// [0, 0.5, 1]` or `sweep = gap from 0 to 3 step 0.25`.
///
/// The variable `samples` is special: it sweeps N, the draws per trial. Any
/// other variable is a name the scenario's constant expressions and `f(x)`
/// may use; each value gives one concrete scenario (``Scenario/points``).
public struct Sweep: Sendable, Hashable {
    /// The swept name: `gap`, or `samples` for N.
    public var variable: String
    /// The values, in order; a file's are distinct and finite.
    public var values: [Double]

    /// A sweep; nothing is checked.
    public init(variable: String, values: [Double]) {
        self.variable = variable
        self.values = values
    }

    /// The list form, `gap in [0, 0.25, 0.5]`, numbers in ``canonicalNumber(_:)``
    /// form (a range prints as the list of its values).
    public var canonicalText: String {
        variable + " in [" + values.map(canonicalNumber).joined(separator: ", ") + "]"
    }

    /// True when the variable is ``samplesVariable``, which sweeps N.
    public var sweepsSamples: Bool { variable == Self.samplesVariable }

    /// The variable that sweeps N instead of naming a constant.
    public static let samplesVariable = "samples"

    /// Most values a sweep may have.
    public static let maxPoints = 10_000

    /// How close `to` must be to a grid point to count as hit, relative to
    /// the largest of |from|, |to| and step.
    public static let endTolerance = 1e-9

    /// How many points `from ... to ... step` has, and whether its last point is
    /// `to` itself (hit within ``endTolerance``). Needs finite numbers,
    /// `from <= to` and `step > 0`; the count may be huge or infinite.
    static func gridSize(from: Double, to: Double, step: Double) -> (count: Double, hitsEnd: Bool) {
        let steps = (to - from) / step
        let nearest = steps.rounded()
        let scale = Swift.max(Swift.abs(from), Swift.abs(to), step)
        let hitsEnd = Swift.abs(nearest - steps) * step <= endTolerance * scale
        return (hitsEnd ? nearest + 1 : steps.rounded(.down) + 1, hitsEnd)
    }

    /// The values of `from ... to ... step`, or nil if there are more than
    /// ``maxPoints``.
    ///
    /// When the end is hit after k steps the values are `from + (to - from) *
    /// i / k` and the last is exactly `to` (so `from 0 to 1 step 0.1` gives
    /// 0.3, not 0.30000000000000004); otherwise they are `from + i * step`.
    public static func grid(from: Double, to: Double, step: Double) -> [Double]? {
        guard from.isFinite, to.isFinite, step.isFinite, step > 0, from <= to else { return nil }
        let (count, hitsEnd) = gridSize(from: from, to: to, step: step)
        guard count.isFinite, count <= Double(maxPoints) else { return nil }
        let n = Int(count)
        guard hitsEnd, n > 1 else { return (0..<n).map { from + Double($0) * step } }
        let steps = Double(n - 1)
        return (0..<(n - 1)).map { from + (to - from) * Double($0) / steps } + [to]
    }
}

/// Where one concrete scenario of a sweep sits: the variable and its value.
public struct SweepPoint: Sendable, Hashable {
    /// The swept name.
    public var variable: String
    /// Its value at this point.
    public var value: Double

    /// A point; nothing is checked.
    public init(variable: String, value: Double) {
        self.variable = variable
        self.value = value
    }
}
