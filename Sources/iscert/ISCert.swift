import ArgumentParser
import Foundation
import ISCertification

/// The `iscert` command.
@main
struct ISCert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iscert",
        abstract: "Certify importance-sampling estimators by simulation.",
        discussion: """
        Exit status: 0 when every scenario meets its expectation, 1 when one does not, \
        2 on bad input (a scenario file with errors, a missing path, an invalid option, \
        a missing or mismatched shard).
        """,
        subcommands: [Check.self, Explain.self, Merge.self, SampleSizeCommand.self, CatalogueCommand.self],
        defaultSubcommand: Check.self
    )

    /// Exit codes, documented in the README.
    enum Exit {
        static let met: Int32 = 0
        static let notMet: Int32 = 1
        static let badInput: Int32 = 2
    }

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            // Help and version requests exit 0; every other parse error is bad input.
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(Exit.badInput)
        }
    }
}

extension FileHandle {
    static func writeError(_ text: String) {
        standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
