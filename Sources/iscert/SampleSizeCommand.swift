import ArgumentParser
import Foundation
import ISCertification
import ISProbability
import ISScenario

/// `iscert sample-size FILE --bias DELTA`: the trials each check needs to detect a
/// given shift, from the exact moments; nothing is simulated.
struct SampleSizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-size",
        abstract: "The trials each estimator's mean check needs to detect a bias of E[Z] (and its variance check a relative change of Var Z), from the exact moments.",
        discussion: """
        K >= ((z* + z_beta) sd(Z) / bias)^2 with sd(Z) the exact standard deviation of one trial's \
        estimate and z* the run's Bonferroni threshold, raised where needed to the K from which the \
        check's skewness lets it apply. Exit status 0, or 2 on bad input.
        """)

    @Argument(help: "One scenario file (.iscert).")
    var file: String

    @Option(help: "The bias of E[Z] the mean checks must detect: a finite number > 0, in the units of f.")
    var bias: Double

    @Option(help: "The probability of detecting it, in (0, 1).")
    var power: Double = 0.8

    @OptionGroup var family: FamilyOptions

    @Option(help: "A relative change of Var Z the variance checks must detect (0.1 is 10%); omitted: mean checks only.")
    var varianceShift: Double?

    func validate() throws {
        if !(bias.isFinite && bias > 0) { throw ValidationError("--bias must be a finite number > 0, got \(bias)") }
        if !(power > 0 && power < 1) { throw ValidationError("--power must be in (0, 1), got \(power)") }
        if let v = varianceShift, !(v.isFinite && v > 0) {
            throw ValidationError("--variance-shift must be a finite number > 0, got \(v)")
        }
    }

    func run() throws {
        let scenario: Scenario
        do { scenario = try ScenarioParser.load(path: file) } catch {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        }
        var certifier = Certifier(alpha: family.alpha, power: power)
        certifier.familyChecks = family.familyChecks
        let thresholds = certifier.thresholds(for: [scenario])
        let g = { (x: Double) in TextReport.g(x, 4) }
        print("# detect a bias of \(canonicalNumber(bias)) in E[Z] with probability \(canonicalNumber(power))"
              + (varianceShift.map { ", and a relative change of \(canonicalNumber($0)) in Var Z" } ?? "")
              + "; alpha = \(canonicalNumber(family.alpha)) shared by \(thresholds.checks) checks: |z| <= \(g(thresholds.zStar)), "
              + "z* + z_beta = \(g(thresholds.zStar + thresholds.zPower))")
        for point in scenario.points {
            let (_, sizes) = certifier.sampleSizes(point, bias: bias, varianceShift: varianceShift, thresholds: thresholds)
            print("\n# \(point.name): N = \(point.samples), K = \(point.trials) in the file")
            for size in sizes { print("  " + Self.line(size, fileTrials: point.trials, zSum: thresholds.zStar + thresholds.zPower)) }
        }
        if varianceShift == nil { print("\n(variance checks: pass --variance-shift R for a relative change R of Var Z)") }
    }

    static func line(_ size: SampleSize, fileTrials: Int, zSum: Double) -> String {
        let name = "\(size.name.rawValue)[\(size.estimator ?? "-")]"
        guard let k = size.trials, let power = size.powerTrials, let floor = size.applicableFrom else {
            return "\(name): no K detects it: \(size.reason)"
        }
        let g = { (x: Double?) in TextReport.g(x, 4) }
        let how = size.name == .mean
            ? "sd(Z) = \(g(size.moment)), ((z* + z_beta) sd(Z) / \(canonicalNumber(size.shift)))^2 = \(SampleSize.formatted(trials: power))"
            : "a relative change of \(canonicalNumber(size.shift)) in Var Z, excess kurtosis g2 = \(g(size.moment)): 2/(K-1) + g2/K <= (\(canonicalNumber(size.shift)) / \(g(zSum)))^2 from K = \(SampleSize.formatted(trials: power))"
        let skew = floor > power ? "; its skewness lets it apply only from K = \(SampleSize.formatted(trials: floor))" : ""
        let file = k <= Double(fileTrials) ? "K = \(fileTrials) in the file is enough" : "K = \(fileTrials) in the file is not enough"
        let limit = k > Double(Scenario.trialsRange.upperBound) ? " (more trials than a scenario file allows)" : ""
        return "\(name): K >= \(SampleSize.formatted(trials: k))\(limit) (\(how)\(skew)); \(file)"
    }
}

extension SampleSize {
    var name: CheckName { label.check }
    var estimator: String? { label.estimator }
}
