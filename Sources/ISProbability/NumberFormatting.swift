/// The canonical text of a number in the scenario language.
///
/// Integral values print without a fraction (`2`, not `2.0`); everything else
/// prints in Swift's shortest form that reads back to the same Double, so
/// canonical text round-trips bit for bit.
public func canonicalNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e16 {
        return value == 0 ? "0" : String(Int64(value))
    }
    return "\(value)"
}
