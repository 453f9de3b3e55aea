import ArgumentParser

/// `iscert bench`: samples per second of the engine beside a hand-written C loop.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the engine's throughput against a C loop over GSL.")
    func run() throws {
        print("not yet available")
    }
}
