import Foundation

/// Escaping for the HTML report: text and attribute values, JSON inside a
/// `<script>` element, and identifiers made from scenario names.
enum HTMLText {
    /// `s` safe as element text or as a double-quoted attribute value.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// An id built from `name` that is unique per name and valid in a URL
    /// fragment and a CSS selector: letters, digits, `-` and `_` stay; any other
    /// character becomes `_` and its code point in hex, then `_`.
    static func id(_ prefix: String, _ name: String) -> String {
        var out = prefix + "-"
        for c in name.unicodeScalars {
            if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" {
                out.unicodeScalars.append(c)
            } else {
                out += "_" + String(c.value, radix: 16) + "_"
            }
        }
        return out
    }

    /// A JSON string literal that may stand inside `<script>`: `<`, `>` and `&`
    /// are written as \u escapes, so no text can close the element.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += String(format: "\\u%04x", c.value)
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    /// A JSON number with `digits` significant digits; null for nil, NaN and infinities.
    static func jsonNumber(_ x: Double?, _ digits: Int = 6) -> String {
        guard let x, x.isFinite else { return "null" }
        return String(format: "%.\(digits)g", x)
    }

    /// An SVG coordinate: one decimal, so that output is compact and the same
    /// on every platform.
    static func coordinate(_ x: Double) -> String {
        let s = String(format: "%.1f", x)
        return s == "-0.0" ? "0.0" : s
    }
}
