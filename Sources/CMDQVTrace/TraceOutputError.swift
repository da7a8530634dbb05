#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A trace output that could not be opened or written.
public struct TraceOutputError: Error, Hashable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  /// The `errno` of the failed system call, when there was one.
  public var errno: Int32?

  public init(path: String, message: String) {
    self.path = path
    self.message = message
    self.errno = nil
  }

  /// `operation: strerror(code) (errno code)`, e.g.
  /// `write failed: No space left on device (errno 28)`.
  public init(path: String, operation: String, errno code: Int32) {
    self.path = path
    self.message = "\(operation): \(String(cString: strerror(code))) (errno \(code))"
    self.errno = code
  }

  public var description: String { "\(path): error: \(message)" }
}
