#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
  private let systemClose = Glibc.close
#elseif canImport(Musl)
  import Musl
  private let systemWrite = Musl.write
  private let systemClose = Musl.close
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
  private let systemClose = Darwin.close
#endif

/// A trace file opened the way a Unix tool opens its output:
/// `open(2)` with `O_WRONLY|O_CREAT|O_TRUNC` and mode `0666` (less the umask).
/// Symlinks are followed (the target is written, the link stays a link),
/// FIFOs and devices are written into, an existing file is truncated in place.
/// Nothing is ever written to a temporary file, renamed or removed.
///
/// Every `write(2)` and the `close(2)` are checked; a failure (`ENOSPC`,
/// `/dev/full`, `EPIPE`, …) is thrown as a ``TraceOutputError`` naming the
/// path and the errno. Opening a FIFO blocks until a reader opens it, as it
/// does for `cat > fifo`.
public final class FileTraceOutput: TraceOutput {
  public let path: String
  private var fd: Int32

  public init(path: String) throws {
    self.path = path
    var fd: Int32
    repeat {
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw TraceOutputError(path: path, operation: "cannot open", errno: errno) }
    self.fd = fd
  }

  public func write(_ bytes: [UInt8]) throws {
    guard fd >= 0 else { throw TraceOutputError(path: path, message: "write after close") }
    try bytes.withUnsafeBytes { buffer in
      var done = 0
      while done < buffer.count {
        let n = systemWrite(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw TraceOutputError(path: path, operation: "write failed", errno: errno)
        }
        done += n
      }
    }
  }

  public func flush() throws {}

  public func close() throws {
    guard fd >= 0 else { return }
    let descriptor = fd
    fd = -1
    // Linux releases the descriptor even when close reports an error, so it
    // is never retried; the error (a deferred write failure, e.g. on NFS) is
    // still reported.
    if systemClose(descriptor) != 0 && errno != EINTR {
      throw TraceOutputError(path: path, operation: "close failed", errno: errno)
    }
  }

  deinit { if fd >= 0 { _ = systemClose(fd) } }
}
