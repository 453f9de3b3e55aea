import ArgumentParser
import Foundation
import ISCertification

/// `iscert merge SHARD...`: the report of a run from its shard files.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shard files of a run into its report, the same as the unsharded run's.",
        discussion: """
        Each shard file is written by `iscert check PATHS --shard i/n --output FILE`. The merge needs \
        every shard 0/n ... (n-1)/n of one run, in any order, and refuses (exit status 2) a missing, \
        duplicate or foreign shard: one whose scenarios, seed, trials, samples, alpha, family checks, rng \
        or n differ. Statistics are folded in block order, so the report is bit for bit the one \
        `iscert check PATHS` prints with the same options. Exit status: 0 when every scenario meets its \
        expectation, 1 when one does not, 2 on bad input.
        """)

    @Argument(help: ArgumentHelp("The shard files of one run, in any order.", valueName: "shard-file"))
    var shards: [String]

    @Option(help: "Output format: text, json, junit (for CI systems), markdown (for pull-request comments) or html (one self-contained page with charts).")
    var format: Check.Format = .text

    func run() throws {
        let report: CertificationReport
        let merged: MergedShards
        do {
            var files: [(path: String, file: ShardFile)] = []
            for path in shards { files.append((path, try ShardMerge.read(path: path))) }
            merged = try ShardMerge.merge(files)
            report = try merged.certify()
        } catch let error as ShardError {
            FileHandle.writeError("error: \(error)")
            throw ExitCode(ISCert.Exit.badInput)
        }
        print(try format.render(report, simulator: merged.certifier.simulator))
        if !report.passed { throw ExitCode(ISCert.Exit.notMet) }
    }
}
