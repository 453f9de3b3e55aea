import Foundation
@testable import ISScenario
import Testing

@Suite("Files: load and scenarioFiles")
struct FileTests {
    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "iscert-scenario-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func loadsAFileAndFindsScenarioFiles() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/nested/deeper", withIntermediateDirectories: true)
        for path in ["/b.iscert", "/a.iscert", "/nested/deeper/c.iscert", "/notes.txt", "/nested/d.iscert.bak"] {
            try baseText().write(toFile: root + path, atomically: true, encoding: .utf8)
        }
        let files = try ScenarioParser.scenarioFiles(in: root)
        #expect(files == [root + "/a.iscert", root + "/b.iscert", root + "/nested/deeper/c.iscert"])
        #expect(try ScenarioParser.scenarioFiles(in: root + "/") == files)
        #expect(try ScenarioParser.scenarioFiles(in: root + "/notes.txt") == [root + "/notes.txt"])
        let scenario = try ScenarioParser.load(path: root + "/a.iscert")
        #expect(scenario.name == "t")
        #expect(scenario.file == root + "/a.iscert")
    }

    @Test func diagnosticsNameTheLoadedPath() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/bad.iscert"
        try baseText(replacing: 3, with: "target = norml(mean: 0, sd: 1)").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioParser.load(path: path)
            Issue.record("loaded a bad file")
        } catch {
            #expect(error.diagnostics.first?.file == path)
            #expect(error.description.hasPrefix(path + ":3:10: error: unknown family 'norml'"))
        }
    }

    @Test func unreadablePathsAreDiagnosticsAtLineOne() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (path, reason) in [(root + "/missing.iscert", "no such file"), (root, "is a directory")] {
            do {
                _ = try ScenarioParser.load(path: path)
                Issue.record("loaded \(path)")
            } catch {
                #expect(error.diagnostics.count == 1)
                #expect((error.diagnostics.first?.line, error.diagnostics.first?.column) == (1, 1))
                #expect(error.diagnostics.first?.message.contains(reason) == true)
            }
        }
        #expect(throws: ScenarioFileError.self) { try ScenarioParser.scenarioFiles(in: root + "/missing") }
        #expect(try ScenarioParser.scenarioFiles(in: root) == [])
    }
}
