import Foundation
import ISProbability
@testable import ISScenario


/// The diagnostics parsing `text` produces; empty if it parses.
func diagnostics(_ text: String, file: String = "t.iscert") -> [Diagnostic] {
    do {
        _ = try ScenarioParser.parse(text, file: file)
        return []
    } catch {
        return error.diagnostics
    }
}

/// The diagnostics parsing `bytes` produces; empty if it parses.
func diagnostics(bytes: [UInt8], file: String = "t.iscert") -> [Diagnostic] {
    do {
        _ = try ScenarioParser.parse(bytes: bytes, file: file)
        return []
    } catch {
        return error.diagnostics
    }
}

/// A minimal valid scenario, one key per line (lines 1...6):
///
///     1 name = "t"
///     2 description = "d"
///     3 target = normal(mean: 0, sd: 1)
///     4 behavior = normal(mean: 0, sd: 1)
///     5 f(x) = x^2
///     6 samples = 100
let baseLines = [
    "name = \"t\"",
    "description = \"d\"",
    "target = normal(mean: 0, sd: 1)",
    "behavior = normal(mean: 0, sd: 1)",
    "f(x) = x^2",
    "samples = 100",
]

/// The base scenario with line `number` (1-based) replaced and `extra` lines appended.
func baseText(replacing number: Int? = nil, with line: String = "", appending extra: [String] = []) -> String {
    var lines = baseLines
    if let number { lines[number - 1] = line }
    return (lines + extra).joined(separator: "\n") + "\n"
}

/// SplitMix64: a small seeded generator so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random expression trees over every node kind, with finite numbers.
struct ExpressionGenerator {
    var random: SeededGenerator

    static let numbers: [Double] = [0, 1, 2, 3, 0.5, 1.5, 10, 1e-3, 2.5e4, 1e20, 1e-7, 0.1, 1.0 / 3, Double.pi,
                                    -1, -2, -0.5, -1e-300, 123456.789, Double.leastNonzeroMagnitude, -0.0]

    mutating func expression(depth: Int) -> Formula {
        let leafOnly = depth <= 0
        let choice = Int.random(in: 0..<(leafOnly ? 2 : 7), using: &random)
        switch choice {
        case 0: return .number(Self.numbers.randomElement(using: &random) ?? 1)
        case 1: return .variable
        case 2: return .negate(expression(depth: depth - 1))
        case 3, 4:
            let op = BinaryOperator.allCases.randomElement(using: &random) ?? .add
            return .binary(op, expression(depth: depth - 1), expression(depth: depth - 1))
        case 5:
            let function = [Function.exp, .log, .sqrt, .abs, .sin, .cos, .tanh].randomElement(using: &random) ?? .exp
            return .call(function, [expression(depth: depth - 1)])
        default:
            let function: Function = Bool.random(using: &random) ? .min : .max
            let count = Int.random(in: 2...4, using: &random)
            return .call(function, (0..<count).map { _ in expression(depth: depth - 1) })
        }
    }
}

/// Bit patterns, so nan payloads and signed zeros count as differences.
func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

/// Many x values: ordinary, tiny, huge, signed zeros, infinities and nan.
let probeXs: [Double] = {
    var random = SeededGenerator(seed: 7)
    var xs: [Double] = [0, -0.0, 1, -1, 2, 3, 0.5, -0.5, Double.leastNormalMagnitude / 1024, -Double.leastNonzeroMagnitude, 1e300, -1e300, 700, 710, -745,
                        .infinity, -.infinity, .nan, .pi, 1e-8, 100]
    for _ in 0..<500 { xs.append(Double.random(in: -10...10, using: &random)) }
    for _ in 0..<100 { xs.append(Double(bitPattern: random.next())) }
    return xs
}()

/// The repository's Scenarios/ folder, found through this file's real path
/// (the test package may reach this folder through a symbolic link).
func shippedScenariosDirectory() -> String {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios").path
}
