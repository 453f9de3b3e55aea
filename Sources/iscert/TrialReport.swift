import Foundation
import ISCertification
import ISScenario

/// The printout of one replayed trial.
enum TrialReport {
    static func render(_ t: TrialSummary, scenario s: Scenario, estimators: [String], seed: UInt64, json: Bool) -> String {
        if json {
            let e = JSONEncoder()
            e.keyEncodingStrategy = .convertToSnakeCase
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            struct Out: Encodable {
                let scenario: String, seed: UInt64, trial: Int, samples: Int
                let estimate: JSONNumber, estimates: [String: JSONNumber]
                let sumR: JSONNumber, sumR2: JSONNumber, essFraction: JSONNumber
                let nonFinite: Int
            }
            let o = Out(scenario: s.name, seed: seed, trial: t.trial, samples: s.samples,
                        estimate: JSONNumber(t.estimates[0]),
                        estimates: Dictionary(uniqueKeysWithValues: zip(estimators, t.estimates.map { JSONNumber($0) })),
                        sumR: JSONNumber(t.sumR), sumR2: JSONNumber(t.sumR2),
                        essFraction: JSONNumber(t.essFraction(samples: s.samples)), nonFinite: t.nonFinite)
            return (try? String(decoding: e.encode(o), as: UTF8.self)) ?? "{}"
        }
        // Labels padded to the longest, so that no estimator's name is cut.
        let labels = estimators.map { "estimate \($0)" } + ["sum r", "sum r^2", "ESS/N", "non-finite samples"]
        let width = max(23, labels.map(\.count).max() ?? 0)
        func line(_ label: String, _ value: String) -> String {
            "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + " = " + value
        }
        let values = t.estimates.map { "\($0)" }
            + ["\(t.sumR)", "\(t.sumR2)", "\(t.essFraction(samples: s.samples))", "\(t.nonFinite)"]
        return (["\(s.name) trial \(t.trial) (seed \(seed), N = \(s.samples))"] + zip(labels, values).map(line))
            .joined(separator: "\n")
    }
}
