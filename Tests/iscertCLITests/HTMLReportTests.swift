import Foundation
import Testing

/// `--format html`: one self-contained page, checked structurally (the drawing
/// itself is checked in a real browser by ci/html-check.sh).
@Suite("HTML report")
struct HTMLReportTests {
    /// A scenario whose description holds markup, an entity and a script end tag.
    static let awkward = scenarioText(
        name: "temp-awkward-text",
        description: "a <b>bold</b> & \\\"quoted\\\" claim </script><script>alert(1)</script>",
        target: "normal(mean: 0.5, sd: 1)", behavior: "normal(mean: 0, sd: 1)", f: "x", trials: 200)

    /// Occurrences of `needle` in `text`.
    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The JSON the slider of `sweep` reads.
    func sliderData(_ html: String, sweep: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let open = "<script type=\"application/json\" id=\"sweep-\(sweep)-explorer-data\">"
        let start = try #require(html.range(of: open), "no slider data for \(sweep)", sourceLocation: sourceLocation)
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex), sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        return try #require(object as? [String: Any], sourceLocation: sourceLocation)
    }

    /// The shipped `name` with its sweep line replaced: the page's structure does
    /// not need every point, and each point costs exact references.
    static func shippedSweep(_ name: String, _ sweep: String, _ fewer: String) throws -> String {
        let text = try shippedScenario(name)
        #expect(text.contains(sweep), "\(name) no longer sweeps \(sweep)")
        return text.replacingOccurrences(of: sweep, with: fewer)
    }

    @Test("self-contained, one section per scenario and sweep point, escaped text, the slider for gap-sweep")
    func structure() throws {
        try withTemporaryDirectory { dir in
            let path = try write(Self.awkward, to: "awkward.iscert", in: dir)
            // gap-sweep at gaps 0, 1.5 and 3.
            let sweep = try write(try Self.shippedSweep("gap-sweep", "gap from 0 to 3 step 0.25", "gap from 0 to 3 step 1.5"),
                                  to: "gap-sweep.iscert", in: dir)
            let run = runISCert(["check", sweep, CLI.scenario("gaussian-gap-1"), path,
                                 "--trials", "200", "--format", "html"])
            #expect(run.status == 0, "\(run.stderr)")
            let html = run.stdout
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
            #expect(html.hasSuffix("</html>\n"))
            #expect(html.contains("<title>iscert report: 3 of 3 scenarios met</title>"))
            #expect(html.contains("<strong>✓ 3 of 3 scenarios met</strong>"))

            // Nothing is fetched: no URL at all, no src attribute, only in-page links.
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(!html.contains("src="))
            #expect(!html.contains("url("))
            #expect(!html.contains("@import"))
            for href in html.components(separatedBy: "href=\"").dropFirst() { #expect(href.hasPrefix("#"), "href=\"\(href.prefix(40))") }

            // Two scenarios plus the 3 points of the sweep, each with a histogram of its log-weights.
            #expect(count("<section class=\"scenario ", in: html) == 2 + 3)
            #expect(count("<section class=\"sweep ", in: html) == 1)
            #expect(count("<figure class=\"histogram\"", in: html) == 5)
            #expect(count("<path class=\"bars\" d=\"M", in: html) == 5)
            for id in ["scenario-gaussian-gap-1", "scenario-temp-awkward-text", "scenario-gap-sweep_40_gap_3d_1_2e_5", "sweep-gap-sweep"] {
                #expect(html.contains("id=\"\(id)\""), "\(id)")
                #expect(html.contains("href=\"#\(id)\""), "\(id) is not linked")
            }
            // Every check of a scenario is a table row with its status in words.
            #expect(html.contains("<td class=\"status pass\">✓ pass</td>"))
            #expect(html.contains("<td class=\"status not-applicable\">– not applicable</td>"))
            #expect(count("<td class=\"num\" data-field=\"mean-khat\">", in: html) == 5)
            #expect(html.contains("reliability threshold min(1 − 1/log10 N, 0.7)"))

            // The description is text, not markup; only the page's own scripts exist.
            #expect(html.contains("a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; claim &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<b>bold"))
            #expect(!html.contains("alert(1)</script>"))
            #expect(count("<script", in: html) == 2)

            // gap-sweep: charts of ESS/N and of each estimator's variance, and the slider over its 3 gaps.
            #expect(html.contains("id=\"sweep-gap-sweep-ess\""))
            #expect(html.contains("id=\"sweep-gap-sweep-variance-0\"") && html.contains("id=\"sweep-gap-sweep-variance-1\""))
            #expect(html.contains("<input type=\"range\" id=\"sweep-gap-sweep-explorer-input\" min=\"0\" max=\"2\" step=\"1\" value=\"0\" aria-valuetext=\"gap = 0\""))
            #expect(html.contains("<label for=\"sweep-gap-sweep-explorer-input\">"))
            let data = try sliderData(html, sweep: "gap-sweep")
            #expect(data["variable"] as? String == "gap")
            let fields = try #require(data["fields"] as? [String])
            let grid = try #require(data["grid"] as? [Double])
            let points = try #require(data["points"] as? [[String: Any]])
            #expect(points.count == 3)
            for (i, point) in points.enumerated() {
                let gap = try #require(point["value"] as? Double)
                #expect(gap == 1.5 * Double(i))
                #expect((point["text"] as? [String])?.count == fields.count)
                #expect((point["path_target"] as? String)?.hasPrefix("M") == true)
                let p = try #require(point["target"] as? [Double])
                #expect(p.count == grid.count)
                // The target N(gap, 1) peaks at gap (within half a grid step).
                let peak = grid[p.indices.max { p[$0] < p[$1] }!]
                #expect(abs(peak - gap) <= (grid[1] - grid[0]) / 2 + 1e-4, "gap \(gap): peak at \(peak)")
            }
            // Without JavaScript the page shows the first point.
            #expect(html.contains("<dd data-field=\"ess-observed\">\((points[0]["text"] as! [String])[fields.firstIndex(of: "ess-observed")!])</dd>"))
            // A single scenario gets no slider.
            #expect(count("<input type=\"range\"", in: html) == 1)
        }
    }

    @Test("a scenario not met: NOT MET in words beside its colour, the replay command, exit status 1")
    func notMet() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "miss.iscert", in: dir)
            let run = runISCert(["check", path, CLI.scenario("beta-uniform"), "--trials", "200", "--format", "html"])
            #expect(run.status == 1)
            #expect(run.stdout.contains("<title>iscert report: 1 of 2 scenarios met</title>"))
            #expect(run.stdout.contains("<span class=\"badge not-met\">✗ NOT MET</span>"))
            #expect(run.stdout.contains("<section class=\"scenario not-met\" id=\"scenario-temp-support-miss\""))
            #expect(run.stdout.contains("<dt>replay</dt><dd><code>iscert check "))
            #expect(run.stdout.contains("<th scope=\"row\">support violation</th>"))
            // A constant ratio draws one bar.
            #expect(run.stdout.contains("in 1 bins"))
        }
    }

    @Test("bad input: --format html or --output with --trial, and an --output that cannot be written, exit 2")
    func badInput() throws {
        for extra in [["--format", "html"], ["--output", "trial.html"]] {
            let run = runISCert(["check", CLI.scenario("gaussian-gap-1"), "--trial", "0"] + extra)
            #expect(run.status == 2, "\(extra)")
            #expect(run.stderr.contains("--trial prints one trial"), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("no-such-folder/report.html").path
            let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "100", "--format", "html", "--output", file])
            #expect(run.status == 2)
            #expect(run.stderr.contains("cannot write the report to \(file)"), "\(run.stderr)")
        }
    }

    @Test("same run, same bytes: for any --jobs, and in a file written with --output")
    func deterministic() throws {
        try withTemporaryDirectory { dir in
            // snis-sample-size at N = 25 and 50.
            let sweep = try write(try Self.shippedSweep("snis-sample-size", "samples in [25, 50, 100, 200, 400]", "samples in [25, 50]"),
                                  to: "snis-sample-size.iscert", in: dir)
            let args = ["check", sweep, CLI.scenario("laplace-behind-normal"), "--trials", "100", "--format", "html"]
            let one = runISCert(args + ["--jobs", "1"])
            let two = runISCert(args + ["--jobs", "2"])
            #expect(one.status == two.status)
            #expect(!one.stdout.isEmpty)
            #expect(one.stdout == two.stdout)
            let file = dir.appendingPathComponent("report.html").path
            let written = runISCert(args + ["--output", file])
            #expect(written.status == one.status)
            #expect(written.stdout.isEmpty)
            #expect(bytes(of: file) == Array(one.stdout.utf8))
            // The slider works over N as over any other variable.
            let slider = try sliderData(one.stdout, sweep: "snis-sample-size")
            #expect(slider["variable"] as? String == "samples")
        }
    }
}
