import Foundation
import Testing

/// The GitHub Actions workflow lives in ci/; GitHub reads a copy of it.
@Suite("CI workflow")
struct WorkflowTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test(".github/workflows/iscert.yml is a byte-identical copy of ci/github-workflow.yml")
    func copyIsInSync() throws {
        #expect(try Self.text(".github/workflows/iscert.yml") == Self.text("ci/github-workflow.yml"),
                "run: cp ci/github-workflow.yml .github/workflows/iscert.yml")
    }

    @Test("every script the workflow runs exists and is executable, and the shard matrix matches SHARDS")
    func scriptsExist() throws {
        let workflow = try Self.text("ci/github-workflow.yml")
        let scripts = Set(workflow.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "bash ci/") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " })
        })
        #expect(scripts == ["install-deps.sh", "test.sh", "dependent-package.sh", "certify-shard.sh", "merge-shards.sh"])
        for script in scripts {
            let path = CLI.packageRoot.appendingPathComponent("ci/\(script)").path
            #expect(FileManager.default.isExecutableFile(atPath: path), "ci/\(script)")
        }
        #expect(workflow.contains("  SHARDS: 4\n"))
        #expect(workflow.contains("index: [0, 1, 2, 3]"))
        #expect(workflow.contains("needs: [test, shard]"))
        #expect(workflow.contains("needs: certify"))
    }
}
