@testable import ISScenario
import Testing

@Suite("Parser: errors at exact positions")
struct ParserErrorTests {
    @Test(arguments: ErrorCase.all)
    func reportsOneErrorAtItsPlace(_ errorCase: ErrorCase) throws {
        let found = diagnostics(errorCase.text)
        try #require(found.count == 1, "\(found)")
        let diagnostic = found[0]
        #expect(diagnostic.line == errorCase.line)
        #expect(diagnostic.column == errorCase.column)
        for fragment in errorCase.fragments {
            #expect(diagnostic.message.contains(fragment), "\(diagnostic.message)")
        }
        #expect(diagnostic.file == "t.iscert")
        let lines = errorCase.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(diagnostic.sourceLine == String(lines[errorCase.line - 1]))
    }

    @Test func misspelledRequiredKeyIsUnknownAndMissing() {
        let found = diagnostics(baseText(replacing: 6, with: "sampels = 100"))
        #expect(found.count == 2)
        #expect(found.first?.message.contains("unknown key 'sampels'") == true)
        #expect(found.first?.message.contains("did you mean 'samples'?") == true)
        #expect((found.first?.line, found.first?.column) == (6, 1))
        #expect(found.last?.message.contains("missing required key 'samples'") == true)
    }

    @Test func collectsEveryErrorSortedByPosition() {
        let text = """
        name = "bad name"
        description = "d"
        target = norml(mean: 0, sd: 1)
        behavior = normal(mean: 0, sd: -1)
        samples = 1 @
        seed = -1
        """
        let found = diagnostics(text)
        #expect(found.map(\.line) == [1, 3, 4, 5, 6, 6])
        #expect(found.last?.message.contains("missing required key 'f(x)'") == true)
        #expect(found.map { "\($0.line):\($0.column)" } == ["1:8", "3:10", "4:32", "5:13", "6:8", "6:10"])
    }

    @Test func anUnclosedParenthesisDoesNotSwallowTheNextStatement() {
        let text = baseText(replacing: 3, with: "target = normal(mean: 0,")
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect((found.first?.line, found.first?.column) == (3, 16))
    }

    @Test func emptyFilesAreOneDiagnostic() {
        for text in ["", "\n\n  \n", "# just a comment\n# and another"] {
            let found = diagnostics(text)
            #expect(found.count == 1)
            #expect(found.first?.message.contains("empty file") == true)
            #expect((found.first?.line, found.first?.column) == (1, 1))
        }
    }

    @Test func descriptionShowsTheLineAndACaret() {
        let diagnostic = diagnostics(baseText(replacing: 3, with: "target =\tnorml(mean: 0, sd: 1)")).first
        #expect(diagnostic?.description == """
        t.iscert:3:10: error: unknown family 'norml'; expected one of normal, student_t, laplace, exponential, \
        gamma, beta, lognormal, uniform, cauchy, logistic, weibull, chi_squared, mixture, bernoulli, binomial, poisson, \
        geometric, categorical, softmax, tokens, markov, perturbed; did you mean 'normal'?
        target =\tnorml(mean: 0, sd: 1)
                \t^
        """)
        let error = ScenarioFileError(diagnostics: [
            Diagnostic(file: "f", line: 2, column: 1, message: "b"),
            Diagnostic(file: "f", line: 1, column: 5, message: "a"),
        ])
        #expect(error.description == "f:1:5: error: a\nf:2:1: error: b")
    }
}
