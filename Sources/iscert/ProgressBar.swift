import ArgumentParser
import Foundation
import ISCertification
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--progress`: when to draw the progress bar.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    /// Only when standard error is a terminal and the environment has no CI.
    case auto
    case always
    case never

    /// Whether to draw, given the environment and whether standard error is a terminal.
    func enabled(environment: [String: String] = ProcessInfo.processInfo.environment,
                 stderrIsTerminal: Bool = isatty(STDERR_FILENO) != 0) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return stderrIsTerminal && environment["CI"] == nil
        }
    }
}

/// A one-line progress bar on standard error: the scenario point, trials done of
/// its total and the rate of its simulation, redrawn at most ten times a second and cleared
/// at the end. It is fed from the simulation's worker threads.
final class ProgressBar: Sendable {
    /// Seconds between redraws.
    static let interval: Duration = .milliseconds(100)

    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
        /// Trials done per point, and when its simulation started.
        var done: [String: Int] = [:]
        var started: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    /// Each point's position (1-based) in the run.
    private let positions: [String: Int]
    private let width: Int

    /// - Parameter points: the names of the run's scenario points, in run order.
    init(points: [String]) {
        var positions: [String: Int] = [:]
        for (i, name) in points.enumerated() { positions[name] = positions[name] ?? i + 1 }
        self.positions = positions
        width = Self.terminalWidth()
    }

    /// Records a block's progress and redraws if the last redraw is old enough.
    func update(_ p: SimulationProgress) {
        state.withLock { s in
            let now = ContinuousClock.now
            let started = s.started[p.scenario] ?? now
            s.started[p.scenario] = started
            // Reports of one scenario may arrive out of order; keep the largest.
            let done = Swift.max(s.done[p.scenario] ?? 0, p.trialsDone)
            s.done[p.scenario] = done
            if let last = s.lastDraw, now - last < Self.interval { return }
            s.lastDraw = now
            s.drawn = true
            Self.write("\r" + line(p, done: done, elapsed: now - started) + "\u{1B}[K")
        }
    }

    /// Clears the line, if anything was drawn.
    func finish() {
        state.withLock { s in
            if s.drawn { Self.write("\r\u{1B}[K") }
            s.drawn = false
        }
    }

    private func line(_ p: SimulationProgress, done: Int, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        let slots = 20
        let filled = p.trials > 0 ? Swift.min(slots, done * slots / p.trials) : slots
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: slots - filled) + "]"
        let position = positions[p.scenario].map { "[\($0)/\(positions.count)] " } ?? ""
        let tail = " \(bar) \(done)/\(p.trials) trials  \(rate) trials/s"
        // The name gives way first when the terminal is narrow.
        let room = Swift.max(8, width - 1 - position.count - tail.count)
        let name = p.scenario.count > room ? String(p.scenario.prefix(room - 3)) + "..." : p.scenario
        return position + name + tail
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Standard error's width in columns; 80 when it is not a terminal.
    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
