import Foundation

/// A trace file, created (or truncated) on open and written through a
/// FileHandle. Each `write` goes straight to the file descriptor, so a flushed
/// writer's bytes are in the file even if the process dies afterwards.
public final class FileTraceOutput: TraceOutput {
  public let path: String
  private var handle: FileHandle?

  public init(path: String) throws {
    self.path = path
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw TraceOutputError(path: path, message: "cannot create trace file")
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw TraceOutputError(path: path, message: "cannot open trace file for writing")
    }
    self.handle = handle
  }

  public func write(_ bytes: [UInt8]) throws {
    guard let handle else { throw TraceOutputError(path: path, message: "write after close") }
    try handle.write(contentsOf: bytes)
  }

  public func flush() throws {}

  public func close() throws {
    guard let handle else { return }
    self.handle = nil
    try handle.close()
  }

  deinit { try? handle?.close() }
}
