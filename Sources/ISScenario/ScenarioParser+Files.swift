import Foundation

extension ScenarioParser {
    /// Reads and parses the file at `path`.
    ///
    /// A file that cannot be read (missing, a directory, no permission, too
    /// large) gives one diagnostic at line 1, column 1 naming the reason.
    public static func load(path: String) throws(ScenarioFileError) -> Scenario {
        let bytes: [UInt8]
        do {
            bytes = try readBytes(path)
        } catch {
            throw ScenarioFileError(Diagnostic(file: path, line: 1, column: 1, message: error.message))
        }
        return try parse(bytes: bytes, file: path)
    }

    /// The scenario files `path` names: a file is returned as is (whatever its
    /// extension); a directory gives every `*.iscert` file under it, at any
    /// depth, sorted by path. An empty directory gives an empty list.
    public static func scenarioFiles(in path: String) throws(ScenarioFileError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioFileError(Diagnostic(file: path, line: 1, column: 1,
                                               message: "cannot read '\(path)': no such file or directory"))
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = manager.enumerator(atPath: path) else {
            throw ScenarioFileError(Diagnostic(file: path, line: 1, column: 1,
                                               message: "cannot list directory '\(path)'"))
        }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".iscert") else { continue }
            let full = prefix + relative
            var isDir: ObjCBool = false
            if manager.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }

    private struct ReadError: Error {
        let message: String
    }

    private static func readBytes(_ path: String) throws(ReadError) -> [UInt8] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(message: "cannot read file: no such file or directory")
        }
        guard !isDirectory.boolValue else {
            throw ReadError(message: "cannot read file: it is a directory; expected a .iscert file")
        }
        guard manager.isReadableFile(atPath: path) else {
            throw ReadError(message: "cannot read file: permission denied")
        }
        // Checked before reading so a huge file is not loaded just to be refused.
        if let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.intValue > maxFileSize {
            throw ReadError(message: "file is too large (\(size.intValue) bytes); "
                + "expected a scenario file of at most \(maxFileSize) bytes")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ReadError(message: "cannot read file: \(error.localizedDescription)")
        }
    }
}
