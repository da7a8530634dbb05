import CMDQVRegisters

/// A bump allocator over a physically contiguous DMA region the harness gives
/// the host driver (the model's stand-in for `dma_alloc_coherent`). Memory is
/// never freed: host queues live as long as the driver.
public final class DMAAllocator {
  public let base: UInt64
  public let size: UInt64
  private var next: UInt64
  /// Called with each allocation (address, length): a harness backs the
  /// memory there, as the allocator would hand out real pages.
  public var onAllocate: ((UInt64, UInt64) -> Void)?

  public init(base: UInt64, size: UInt64, onAllocate: ((UInt64, UInt64) -> Void)? = nil) {
    self.base = base
    self.size = size
    self.next = base
    self.onAllocate = onAllocate
  }

  /// `size` bytes aligned to `alignment` (a power of two), or `ENOMEM`.
  public func allocate(size: UInt64, alignment: UInt64) throws(Errno) -> UInt64 {
    precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment \(alignment) is not a power of two")
    let start = (next + alignment - 1) & ~(alignment - 1)
    guard start >= next, size <= base + self.size - start else {
      throw Errno.enomem("dma_alloc_coherent: \(size) bytes do not fit in the DMA region at 0x\(String(base, radix: 16))")
    }
    next = start + size
    onAllocate?(start, size)
    return start
  }

  /// Bytes handed out so far.
  public var used: UInt64 { next - base }
}
