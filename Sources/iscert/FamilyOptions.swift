import ArgumentParser
import ISCertification

/// `--alpha` and `--family-checks`: the false-alarm rate a run shares among its
/// checks, as every command that certifies or plans checks takes them.
struct FamilyOptions: ParsableArguments {
    @Option(help: "Family-wise false-alarm rate of the run, shared by its checks (Bonferroni).")
    var alpha: Double = Thresholds.defaultAlpha

    @Option(help: "Number of checks sharing --alpha (default: every check the scenarios plan, applicable or not).")
    var familyChecks: Int?

    func validate() throws {
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be in (0, 1), got \(alpha)") }
        if let m = familyChecks, m < 1 { throw ValidationError("--family-checks must be at least 1, got \(m)") }
    }
}
