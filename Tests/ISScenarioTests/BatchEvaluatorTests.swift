@testable import ISScenario
import Testing

@Suite("BatchEvaluator")
struct BatchEvaluatorTests {
    static func batch(_ expression: Formula, _ xs: [Double], capacity: Int) -> [Double] {
        var evaluator = BatchEvaluator(expression, capacity: capacity)
        var out = [Double](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                evaluator.evaluate(input, into: output)
            }
        }
        return out
    }

    static func scalar(_ expression: Formula, _ xs: [Double]) -> [Double] {
        xs.map { expression.evaluate(at: $0) }
    }

    @Test(arguments: [
        "x", "3", "-x", "x^2", "exp(-x^2 / 2)", "log(x)", "sqrt(x)", "abs(x)", "sin(x) + cos(x)", "tanh(x)",
        "(x > 3) * x", "x < 0", "x <= 0", "x >= 0", "x == 0", "x != 0", "min(x, 1, -x)", "max(x, 0)",
        "1 / x", "x / 0", "0 / x", "2^x", "x^x", "x^0.5", "-(x + 1) * (x - 1)", "x - x", "pi * e * x",
        "exp(x) * exp(-x)", "min(1, 2) + x", "max(sqrt(2), x^3, -x, x / 7)", "x * (1 + 2 * 3)",
    ])
    func matchesEvaluateBitForBit(_ text: String) throws {
        let expression = try Formula(parsing: text)
        let expected = bits(Self.scalar(expression, probeXs))
        for capacity in [1, 7, 64, probeXs.count, 4096] {
            #expect(bits(Self.batch(expression, probeXs, capacity: capacity)) == expected, "\(text), capacity \(capacity)")
        }
    }

    @Test func randomTreesMatchEvaluateBitForBit() {
        var generator = ExpressionGenerator(random: SeededGenerator(seed: 99))
        for _ in 0..<400 {
            let tree = generator.expression(depth: 5)
            #expect(bits(Self.batch(tree, probeXs, capacity: 100)) == bits(Self.scalar(tree, probeXs)), "\(tree)")
        }
    }

    @Test func treesBuiltInSwiftWithOddArgumentCounts() {
        for tree: Formula in [.call(.exp, []), .call(.exp, [.x, .x]), .call(.min, []), .call(.max, [.x]),
                                 .call(.sin, [.call(.min, [.x])])] {
            #expect(bits(Self.batch(tree, probeXs, capacity: 16)) == bits(Self.scalar(tree, probeXs)), "\(tree)")
        }
    }

    @Test func evaluatesInPlace() throws {
        let expression = try Formula(parsing: "x * x - max(x, 2) / 3")
        var values = probeXs
        var evaluator = BatchEvaluator(expression, capacity: 50)
        values.withUnsafeMutableBufferPointer { buffer in
            evaluator.evaluate(UnsafeBufferPointer(buffer), into: buffer)
        }
        #expect(bits(values) == bits(Self.scalar(expression, probeXs)))
    }

    @Test func emptyInputAndRegisterReuse() throws {
        var evaluator = BatchEvaluator(try Formula(parsing: "x + x + x + x + x"), capacity: 8)
        #expect(evaluator.registerCount == 1)
        let empty: [Double] = []
        var out: [Double] = []
        empty.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { evaluator.evaluate(input, into: $0) }
        }
        #expect(out.isEmpty)
        let constant = BatchEvaluator(try Formula(parsing: "sqrt(2) * 3"), capacity: 8)
        #expect(constant.registerCount == 0)
    }
}
