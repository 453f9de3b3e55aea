import CGSL

/// A status other than GSL_SUCCESS from a GSL routine, as a Swift error.
public struct GSLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// GSL's status code (`GSL_EROUND`, `GSL_EMAXITER`, ...).
    public let status: Int32
    /// GSL's own text for the status (`gsl_strerror`).
    public let reason: String
    /// What iscert was doing when GSL reported it.
    public let context: String

    public init(status: Int32, context: String) {
        self.status = status
        self.reason = String(cString: gsl_strerror(status))
        self.context = context
    }

    public var description: String { "\(context): GSL error \(status): \(reason)" }
}

enum GSL {
    /// GSL's default handler calls abort(); one bad argument would kill the whole
    /// process (and every test in it). It is switched off once, before the first
    /// call into GSL, and every status is checked and thrown instead.
    static let errorHandlerOff: Void = {
        _ = gsl_set_error_handler_off()
    }()

    static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
        if status != Int32(GSL_SUCCESS) { throw GSLError(status: status, context: context()) }
    }
}
