import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing `--output`: never over a file the user has, unless `--force`; never
/// over a scenario file; never a half-written file.
enum ShardOutput {
    /// Refuses, before any simulation, an output that could not or should not be written.
    static func check(_ path: String, force: Bool, scenarioFiles: [String], report: Bool = false) throws {
        let what = report ? "the report to \(path)" : "shard file \(path)"
        let manager = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        if scenarioFiles.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL == target }) {
            try fail("--output \(path) is one of the scenario files being certified; iscert does not overwrite it")
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { try fail("cannot write \(what): it is a directory") }
            if !force { try fail("\(path) already exists; iscert does not overwrite it (pass --force to replace it)") }
        }
        let folder = target.deletingLastPathComponent().path
        var folderIsDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &folderIsDirectory), folderIsDirectory.boolValue else {
            try fail("cannot write \(what): no such directory \(folder)")
        }
        if !manager.isWritableFile(atPath: folder) {
            try fail("cannot write \(what): the directory \(folder) is not writable")
        }
    }

    /// Writes `data` to a temporary file beside `path`, then links it into place:
    /// `link` fails rather than replace a file that appeared meanwhile, and with
    /// `force` the rename replaces it atomically.
    static func write(_ data: Data, to path: String, force: Bool, report: Bool = false) throws {
        let what = report ? "the report to \(path)" : "shard file \(path)"
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try fail("cannot write \(what): \(error.localizedDescription)")
        }
        defer { unlink(temporary.path) }
        if force {
            if rename(temporary.path, target.path) != 0 {
                try fail("cannot write \(what): \(String(cString: strerror(errno)))")
            }
        } else if link(temporary.path, target.path) != 0 {
            let reason = errno == EEXIST ? "it appeared while the run went on; iscert does not overwrite it (pass --force to replace it)"
                : String(cString: strerror(errno))
            try fail("cannot write \(what): \(reason)")
        }
    }

    private static func fail(_ message: String) throws -> Never {
        FileHandle.writeError("error: \(message)")
        throw ExitCode(ISCert.Exit.badInput)
    }
}
