import CMDQVCLI
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--trace PATH` opens PATH like a Unix tool (O_WRONLY|O_CREAT|O_TRUNC,
/// following symlinks, into FIFOs and devices), and every failed write is
/// exit 1 with the path and the errno; nothing that exists is removed or
/// replaced.
@Suite struct TraceFileOutputTests {
  func status(_ path: String) -> stat? {
    var st = stat()
    return lstat(path, &st) == 0 ? st : nil
  }

  func isSymlink(_ path: String) -> Bool { status(path).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false }

  @Test func symlinkTargetIsWrittenAndTheLinkStays() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.jsonl", withDestinationPath: dir + "/target.jsonl")
    let r = cmdqv("run", "--trace", dir + "/link.jsonl", "--quiet")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(isSymlink(dir + "/link.jsonl"))
    let target = try String(contentsOfFile: dir + "/target.jsonl", encoding: .utf8)
    #expect(target.hasPrefix("{"))
    #expect(cmdqv("trace", "show", dir + "/link.jsonl").status == 0)
  }

  @Test func existingFileIsTruncatedInPlaceNotReplaced() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/t.txt"
    try String(repeating: "old content\n", count: 100_000).write(toFile: path, atomically: false, encoding: .utf8)
    let before = try #require(status(path))
    #expect(cmdqv("run", "--trace", path, "--quiet").status == 0)
    let after = try #require(status(path))
    #expect(after.st_ino == before.st_ino, "the file was replaced, not truncated")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("old content"))
    #expect(text.contains("VINTF"))
  }

  @Test func fifoIsStreamedInto() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fifo = dir + "/trace.fifo"
    try #require(mkfifo(fifo, 0o600) == 0)
    final class Collected: @unchecked Sendable { var bytes: [UInt8] = [] }
    let collected = Collected()
    let done = DispatchSemaphore(value: 0)
    let reader = Thread {
      let fd = open(fifo, O_RDONLY)
      if fd >= 0 {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
          let n = read(fd, &chunk, chunk.count)
          if n <= 0 { break }
          collected.bytes += chunk[0..<n]
        }
        close(fd)
      }
      done.signal()
    }
    reader.start()
    let r = cmdqv("run", "--trace", fifo, "--format", "jsonl", "--quiet")
    done.wait()
    #expect(r.status == 0, "\(r.stderr)")
    let fifoStatus = try #require(status(fifo))
    #expect(fifoStatus.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    let text = String(decoding: collected.bytes, as: UTF8.self)
    #expect(text.split(separator: "\n").count > 100)
    #expect(text.hasSuffix("\n"))
  }

  @Test func fullDeviceIsExitOneWithTheErrno() throws {
    try #require(FileManager.default.fileExists(atPath: "/dev/full"))
    let r = cmdqv("run", "--trace", "/dev/full", "--quiet")
    #expect(r.status == 1)
    #expect(r.stderrLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.contains("cannot write trace '/dev/full'"))
    #expect(r.stderr.contains(String(cString: strerror(ENOSPC))))
    let device = try #require(status("/dev/full"))
    #expect(device.st_mode & S_IFMT == S_IFCHR, "/dev/full is no longer a device")
  }

  @Test func symlinkToFullDeviceFailsAndTheLinkStays() throws {
    try #require(FileManager.default.fileExists(atPath: "/dev/full"))
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createSymbolicLink(atPath: dir + "/t.vcd", withDestinationPath: "/dev/full")
    let r = cmdqv("run", "--trace", dir + "/t.vcd")
    #expect(r.status == 1)
    #expect(r.stderr.contains("(errno \(ENOSPC))"))
    #expect(isSymlink(dir + "/t.vcd"))
  }

  @Test func failuresNeverRemoveWhatExists() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let keep = dir + "/keep.txt"
    try "precious\n".write(toFile: keep, atomically: false, encoding: .utf8)
    // A directory as the trace path: open fails with EISDIR, exit 1.
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
    try "inside\n".write(toFile: dir + "/sub/file", atomically: false, encoding: .utf8)
    let r = cmdqv("run", "--trace", dir + "/sub")
    #expect(r.status == 1)
    #expect(r.stderr.contains("cannot write trace '\(dir)/sub': cannot open: \(String(cString: strerror(EISDIR)))"))
    #expect(try String(contentsOfFile: dir + "/sub/file", encoding: .utf8) == "inside\n")
    // A missing parent directory: ENOENT, nothing created.
    let missing = cmdqv("run", "--trace", dir + "/no/such/t.jsonl")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("(errno \(ENOENT))"))
    // A malformed scenario fails before the trace is opened: an existing
    // file at the trace path is not even truncated.
    try "name: x\nsteps:\n  - frobnicate:\n".write(toFile: dir + "/bad.yaml", atomically: false, encoding: .utf8)
    let bad = cmdqv("run", dir + "/bad.yaml", "--trace", keep)
    #expect(bad.status == 2)
    #expect(try String(contentsOfFile: keep, encoding: .utf8) == "precious\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bad.yaml", "keep.txt", "sub"])
  }
}
