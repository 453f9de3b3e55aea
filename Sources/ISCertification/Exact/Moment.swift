/// The value of an exact moment: a finite number with its quadrature error, or
/// infinite (decided analytically, never inferred from a large number), or
/// undetermined with the reason.
public enum Moment: Sendable, Hashable, CustomStringConvertible {
    case finite(Double, error: Double)
    case infinite(reason: String)
    case undetermined(reason: String)

    public var value: Double? {
        if case let .finite(v, _) = self { return v }
        return nil
    }

    /// The numerical error of a finite value (0 otherwise).
    public var error: Double {
        if case let .finite(_, e) = self { return e }
        return 0
    }

    public var isInfinite: Bool {
        if case .infinite = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .finite(v, _): return "\(v)"
        case .infinite: return "inf"
        case .undetermined: return "undetermined"
        }
    }
}
