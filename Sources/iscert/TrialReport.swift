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
        return """
        \(s.name) trial \(t.trial) (seed \(seed), N = \(s.samples))
        \(zip(estimators, t.estimates).map { "  estimate \($0)".padding(toLength: 27, withPad: " ", startingAt: 0) + "= \($1)" }.joined(separator: "\n"))
          sum r                  = \(t.sumR)
          sum r^2                = \(t.sumR2)
          ESS/N                  = \(t.essFraction(samples: s.samples))
          non-finite samples     = \(t.nonFinite)
        """
    }
}
