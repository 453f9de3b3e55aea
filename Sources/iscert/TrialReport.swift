import Foundation
import ISCertification
import ISScenario

/// The printout of one replayed trial.
enum TrialReport {
    static func render(_ t: TrialSummary, scenario s: Scenario, seed: UInt64, json: Bool) -> String {
        if json {
            let e = JSONEncoder()
            e.keyEncodingStrategy = .convertToSnakeCase
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            struct Out: Encodable {
                let scenario: String, seed: UInt64, trial: Int, samples: Int
                let estimate: JSONNumber, sumR: JSONNumber, sumR2: JSONNumber, essFraction: JSONNumber
                let nonFinite: Int
            }
            let o = Out(scenario: s.name, seed: seed, trial: t.trial, samples: s.samples,
                        estimate: JSONNumber(t.estimate), sumR: JSONNumber(t.sumR), sumR2: JSONNumber(t.sumR2),
                        essFraction: JSONNumber(t.essFraction(samples: s.samples)), nonFinite: t.nonFinite)
            return (try? String(decoding: e.encode(o), as: UTF8.self)) ?? "{}"
        }
        return """
        \(s.name) trial \(t.trial) (seed \(seed), N = \(s.samples))
          estimate (1/N) sum r f = \(t.estimate)
          sum r                  = \(t.sumR)
          sum r^2                = \(t.sumR2)
          ESS/N                  = \(t.essFraction(samples: s.samples))
          non-finite samples     = \(t.nonFinite)
        """
    }
}
