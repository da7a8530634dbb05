import Foundation

/// Standard output (for `cmdqv trace show` and pipes). Closing it does not
/// close the process's stdout.
public final class StandardOutputTraceOutput: TraceOutput {
  public init() {}

  public func write(_ bytes: [UInt8]) throws {
    try FileHandle.standardOutput.write(contentsOf: bytes)
  }

  public func flush() throws {}

  public func close() throws {}
}
