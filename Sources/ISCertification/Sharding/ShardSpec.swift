/// Shard `index` of `count`: a disjoint slice of every scenario's trials.
///
/// Each scenario (each sweep point) has B = ceil(K / 64) blocks of trials
/// (``Simulator/blockSize``). Shard i of n runs the contiguous blocks
/// [i B / n, (i + 1) B / n) (integer division), so the n shards cover every
/// block exactly once, and a shard may get no block of a small scenario.
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    /// 0 ..< count.
    public let index: Int
    /// 1 ... ``maxCount``.
    public let count: Int

    /// The largest number of shards; far more than any scenario has blocks.
    public static let maxCount = 100_000

    /// The whole run as one shard.
    public static let whole = ShardSpec(validIndex: 0, count: 1)

    private init(validIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// - Throws: ``Invalid`` unless 0 <= index < count <= ``maxCount``.
    public init(index: Int, count: Int) throws(Invalid) {
        guard count >= 1 else { throw Invalid("\(index)/\(count): the number of shards must be at least 1") }
        guard count <= Self.maxCount else {
            throw Invalid("\(index)/\(count): at most \(Self.maxCount) shards are supported")
        }
        guard (0..<count).contains(index) else {
            throw Invalid("\(index)/\(count): the shard index must be in 0 ..< \(count) (shards are numbered from 0 to \(count - 1))")
        }
        self.init(validIndex: index, count: count)
    }

    /// Parses `i/n`, as `--shard` takes it.
    public init(parsing text: String) throws(Invalid) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Self.whole(parts[0]), let n = Self.whole(parts[1]) else {
            throw Invalid("'\(text)' is not of the form i/n with whole numbers 0 <= i < n (shard i of n, for example 0/4)")
        }
        try self.init(index: i, count: n)
    }

    private static func whole(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    /// The blocks this shard runs out of `blocks` blocks.
    public func blocks(of blocks: Int) -> Range<Int> {
        // 128 bits: --trials may be large enough for index * blocks to overflow.
        let b = Int128(Swift.max(0, blocks)), n = Int128(count)
        return Int(Int128(index) * b / n)..<Int(Int128(index + 1) * b / n)
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }

    /// Why a shard specification was refused.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
