import CMDQVRegisters
@testable import CMDQVTestSupport
import CMDQVTrace
import Foundation
import IOMMUFD
import Testing

/// The harness API details the docs promise.
@Suite struct APIMendTests {
  @Test func untranslatedIPANamesTheIOAS() {
    let memory = TranslatedMemory(memory: NoMemory(), translate: { _ in nil })
    let why = memory.diagnoseAccess(at: 0x8010_0000, count: 16)
    #expect(why?.contains("IPA 0x80100000 is not mapped in the IOAS") == true)
  }

  @Test func vEventDescriptionDecodesTheErrorMaps() {
    let data: [UInt8] = [0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]
    let event = VEvent(sequence: 3, kind: .event(data: data), type: VEvent.typeTegra241CMDQV)
    #expect(event.lvcmdqErrorMaps == [0x2, 0x8000_0000_0000_0000])
    #expect(event.description == "#3 TEGRA241_CMDQV lvcmdq_err_map[0]=0x0000000000000002 lvcmdq_err_map[1]=0x8000000000000000")
    let other = VEvent(sequence: 4, kind: .event(data: [1, 2]), type: 0xbeef_beef)
    #expect(other.lvcmdqErrorMaps == nil)
    #expect(other.description == "#4 event type 3203383023 2 bytes")
  }

  @Test func typedErrorCodeKeepsUnnamedValues() {
    #expect(GuestQueueError(rawCode: 4, consIndex: 1).code == .illAccess)
    let unnamed = GuestQueueError(rawCode: 0x7F, consIndex: 0)
    #expect(unnamed.code == nil)
    #expect(unnamed.description == "LVCMDQ error CERROR_0x7f at CONS 0x0")
  }

  @Test func exactWritesFailOnAnExtraWrite() throws {
    let system = try CMDQVSystem()
    let trace = TraceCapture(system)
    system.device.write32(1, at: 0x1C)
    system.device.write32(0, at: 0x1C)
    #expect(trace.expectExactWrites(["CMDQV_VI_INT_MASK", "CMDQV_VI_INT_MASK"]))
    withKnownIssue {
      trace.expectExactWrites(["CMDQV_VI_INT_MASK"])
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("expected 1 writes, recorded 2") }
    }
    withKnownIssue {
      trace.expectExactWrites([ExpectedWrite("CMDQV_VI_INT_MASK", value: 0), "CMDQV_VI_INT_MASK"])
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("✗ CMDQV_VI_INT_MASK = 0x0") }
    }
    #expect(trace.expectExactWrites([ExpectedWrite](), by: .guest(vintf: 1)))
    #expect(trace.expectNoWrites(by: .guest(vintf: 1)))
    withKnownIssue {
      trace.expectNoWrites(by: .host)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("expected 0 writes, recorded 2") }
    }
  }

  @Test func goldenWriterCreatesDirectoriesAndReportsErrno() throws {
    let system = try CMDQVSystem()
    let trace = TraceCapture(system)
    system.device.write32(1, at: 0x1C)
    let root = NSTemporaryDirectory() + "cmdqv-golden-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(trace.writeGolden(root + "/a/b/golden.jsonl") == nil)
    let written = try JSONLinesReader.read(path: root + "/a/b/golden.jsonl")
    #expect(written.count == trace.records.count)
    // A directory where the file should be: open fails with EISDIR.
    try FileManager.default.createDirectory(atPath: root + "/dir.jsonl", withIntermediateDirectories: true)
    let failure = trace.writeGolden(root + "/dir.jsonl")
    #expect(failure?.contains("errno 21 (Is a directory)") == true)
    // A regular file where a directory should be.
    #expect(FileManager.default.createFile(atPath: root + "/file", contents: Data()))
    #expect(trace.writeGolden(root + "/file/golden.jsonl")?.contains("cannot create directory") == true)
  }
}

/// Physical memory with nothing backed.
final class NoMemory: PhysicalMemory {
  func readBytes(at address: UInt64, count: Int) -> [UInt8]? { nil }
  func writeBytes(_ bytes: [UInt8], at address: UInt64) -> Bool { false }
}
