/// Storage whose elements lie next to each other in memory, which a loss reads where they are:
/// a call borrows the elements for its duration and never copies them.
///
/// `Array`, `ArraySlice`, `ContiguousArray`, `UnsafeBufferPointer` and
/// `UnsafeMutableBufferPointer` conform. Conform a type of your own (a tensor's storage, say) by
/// giving its element count and a buffer over its elements:
///
/// ```swift
/// extension Tensor: ContiguousStorage {
///     var count: Int { scalars.count }
///     func withUnsafeBufferPointer<R, E: Error>(
///         _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
///     ) throws(E) -> R {
///         try scalars.withUnsafeBufferPointer(body)
///     }
/// }
/// ```
///
/// A collection that is not contiguous (a lazy map, a `Set`) does not conform on purpose: making
/// it contiguous is a copy, which the caller should see.
public protocol ContiguousStorage<Element> {
    associatedtype Element
    /// The number of elements: the count of the buffer `withUnsafeBufferPointer` passes.
    var count: Int { get }
    /// Calls `body` with a buffer over the elements, valid for the duration of the call only.
    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R
}

/// Contiguous storage a loss writes into: the per-sample values or a gradient of the in-place
/// forms, which allocate no output.
///
/// `Array`, `ArraySlice`, `ContiguousArray` and `UnsafeMutableBufferPointer` conform. The
/// storage must already have the count the call writes (checked: a wrong count throws, and
/// nothing is written); a call overwrites every element.
public protocol MutableContiguousStorage<Element>: ContiguousStorage {
    /// Calls `body` with a mutable buffer over the elements, valid for the duration of the call
    /// only. `body` must not replace the buffer it is given.
    mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R
}

// The standard library's contiguous collections already have both methods, with these exact
// signatures.
extension Array: MutableContiguousStorage {}
extension ArraySlice: MutableContiguousStorage {}
extension ContiguousArray: MutableContiguousStorage {}

extension UnsafeBufferPointer: ContiguousStorage {
    /// Calls `body` with the buffer itself.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(self)
    }
}

extension UnsafeMutableBufferPointer: MutableContiguousStorage {
    /// Calls `body` with the buffer, read-only.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(self))
    }

    /// Calls `body` with a copy of the buffer (the same memory): the buffer pointer itself is a
    /// value that `body` has no reason to replace.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        var buffer = self
        return try body(&buffer)
    }
}

extension Optional {
    /// Calls `body` with a buffer over the storage, or with `nil` when there is none.
    @inlinable
    func withBuffer<T, R, E: Error>(
        _ body: (UnsafeBufferPointer<T>?) throws(E) -> R
    ) throws(E) -> R where Wrapped == any ContiguousStorage<T> {
        switch self {
        case .some(let storage): try storage.withUnsafeBufferPointer { (b) throws(E) -> R in try body(b) }
        case .none: try body(nil)
        }
    }
}

extension Optional {
    /// Calls `body` with a buffer over the array, or with `nil` when there is none.
    @inlinable
    func withBuffer<T, R, E: Error>(_ body: (UnsafeBufferPointer<T>?) throws(E) -> R) throws(E) -> R where Wrapped == [T] {
        switch self {
        case .some(let array): try array.withUnsafeBufferPointer { (b) throws(E) -> R in try body(b) }
        case .none: try body(nil)
        }
    }
}
