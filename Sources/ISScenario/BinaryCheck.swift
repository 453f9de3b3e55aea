/// Tells text files from everything else before lexing: size, UTF-8
/// validity and NUL bytes.
enum BinaryCheck {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A diagnostic for the first reason `bytes` is not a scenario text
    /// file, pointing at the offending byte's line and column; nil if it is one.
    static func problem(in bytes: [UInt8], file: String) -> Diagnostic? {
        if bytes.count > ScenarioParser.maxFileSize {
            return Diagnostic(file: file, line: 1, column: 1,
                              message: "file is too large (\(bytes.count) bytes); expected a scenario file of at most "
                                  + "\(ScenarioParser.maxFileSize) bytes")
        }
        if let offset = bytes.firstIndex(of: 0), firstInvalidUTF8(bytes).map({ offset < $0 }) ?? true {
            return diagnostic(bytes, at: offset, file: file,
                              "file contains a NUL byte (byte offset \(offset)), so it looks binary; expected UTF-8 text")
        }
        if let offset = firstInvalidUTF8(bytes) {
            let byte = "0x" + String(bytes[offset], radix: 16, uppercase: true).leftPadded(to: 2)
            return diagnostic(bytes, at: offset, file: file,
                              "file is not valid UTF-8 (byte \(byte) at byte offset \(offset)); expected UTF-8 text")
        }
        return nil
    }

    // Everything before `offset` is valid UTF-8 without NUL, so the prefix of
    // the line can be decoded to count its characters.
    private static func diagnostic(_ bytes: [UInt8], at offset: Int, file: String, _ message: String) -> Diagnostic {
        let lineStart = bytes[..<offset].lastIndex { $0 == 0x0A || $0 == 0x0D }.map { $0 + 1 } ?? 0
        var line = 1
        var index = 0
        while index < lineStart {
            // \r\n counts once, as the lexer counts it.
            if bytes[index] == 0x0A || (bytes[index] == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
                line += 1
            }
            index += 1
        }
        var prefix = Array(bytes[lineStart..<offset])
        if line == 1, prefix.starts(with: byteOrderMark) { prefix.removeFirst(3) }
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return Diagnostic(file: file, line: line, column: column, message: message, sourceLine: nil)
    }

    /// The offset of the first byte that does not belong to a well-formed
    /// UTF-8 sequence (no overlongs, surrogates or values past U+10FFFF).
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            for k in 1..<length {
                guard i + k < n else { return i }
                let byte = bytes[i + k]
                let (lo, hi) = k == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= lo, byte <= hi else { return i }
            }
            i += length
        }
        return nil
    }
}
