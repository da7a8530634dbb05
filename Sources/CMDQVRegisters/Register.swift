/// A typed handle on one register instance: an MMIO bus, an absolute offset
/// and the value type that decodes it (swift-mmio's verbs over a bus instead of
/// a pointer).
///
/// - `read()` and `write(_:)` perform one bus access each (`readl`/`writel`,
///   or `readq`/`writeq` for a 64-bit register that accepts 64-bit accesses).
/// - A 64-bit register that only accepts 32-bit halves (`VI_ERR_MAP` at 0x14)
///   is read high half first, then low, like the kernel's ISR, and written low
///   half first.
/// - `write { }` **starts from the register's reset value**, not from zero and
///   not from the current value; use `modify { }` for read-modify-write.
public struct Register<Value: RegisterValue> {
  public let bus: any MMIOBus
  /// Absolute offset of the register in the bus's aperture.
  public let offset: Int
  /// Who performs the accesses.
  public let initiator: Initiator

  public init(bus: any MMIOBus, offset: Int, initiator: Initiator = .host) {
    self.bus = bus
    self.offset = offset
    self.initiator = initiator
  }

  private var is64: Bool { Value.info.width == 64 }
  private var allows64: Bool { Value.info.accessWidths.contains(64) }

  /// One read of the register.
  public func read() -> Value {
    if !is64 {
      return Value(rawValue: Value.Raw(truncatingIfNeeded: bus.read32(at: offset, from: initiator)))
    }
    if allows64 {
      return Value(rawValue: Value.Raw(truncatingIfNeeded: bus.read64(at: offset, from: initiator)))
    }
    let hi = UInt64(bus.read32(at: offset + 4, from: initiator))
    let lo = UInt64(bus.read32(at: offset, from: initiator))
    return Value(rawValue: Value.Raw(truncatingIfNeeded: hi << 32 | lo))
  }

  /// One write of `value`.
  public func write(_ value: Value) {
    let raw = UInt64(value.rawValue)
    if !is64 {
      bus.write32(UInt32(truncatingIfNeeded: raw), at: offset, from: initiator)
    } else if allows64 {
      bus.write64(raw, at: offset, from: initiator)
    } else {
      bus.write32(UInt32(truncatingIfNeeded: raw), at: offset, from: initiator)
      bus.write32(UInt32(truncatingIfNeeded: raw >> 32), at: offset + 4, from: initiator)
    }
  }

  /// Builds a value starting from the **reset value**, then writes it once.
  public func write(_ body: (inout Value) -> Void) {
    var value = Value.resetValue
    body(&value)
    write(value)
  }

  /// Read-modify-write: one read, then one write of the changed value.
  public func modify(_ body: (inout Value) -> Void) {
    var value = read()
    body(&value)
    write(value)
  }
}
