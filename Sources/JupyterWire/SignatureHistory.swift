public import Foundation

/// A bounded memory of recently accepted signatures, so an exact replay of a signed message is
/// dropped (jupyter_client keeps 2^16 digests; so do we). Oldest entries are forgotten first.
public struct SignatureHistory: Sendable {
    public let capacity: Int
    private var seen: Set<Data> = []
    private var order: [Data] = []
    private var oldest = 0

    public init(capacity: Int = 1 << 16) {
        precondition(capacity > 0, "a signature history needs room for at least one entry")
        self.capacity = capacity
    }

    public var count: Int { seen.count }

    /// Records `signature`; false when it was already seen (a replay).
    public mutating func insert(_ signature: Data) -> Bool {
        guard !seen.contains(signature) else { return false }
        if order.count < capacity {
            order.append(signature)
        } else {
            seen.remove(order[oldest])
            order[oldest] = signature
            oldest = (oldest + 1) % capacity
        }
        seen.insert(signature)
        return true
    }
}
