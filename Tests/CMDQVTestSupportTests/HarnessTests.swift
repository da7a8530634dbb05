import CMDQVModel
import CMDQVRegisters
import CMDQVTestSupport
import CMDQVTrace
import Foundation
import IOMMUFD
import Testing

@Suite struct HarnessTests {
  @Test func bootWritesFollowTheKernelSequence() throws {
    let system = try CMDQVSystem(boot: false)
    let trace = TraceCapture(system)
    try system.boot()
    #expect(
      trace.expectWrites([
        ExpectedWrite("CMDQV_CONFIG", value: 0x0002_0082), ExpectedWrite("CMDQV_CONFIG", value: 0x0002_0083),
        ExpectedWrite("CMDQV_CMDQ_ALLOC0", value: 0), ExpectedWrite("CMDQV_CMDQ_ALLOC2", value: 1 << 15),
        "VINTF0_CONFIG", ExpectedWrite("CMDQV_CMDQ_ALLOC0", value: 1), "VINTF0_LVCMDQ0_CONFIG",
      ]))
    trace.expectNoFaults()
    #expect(trace.writes(by: .host).count == trace.writes().count)
  }

  @Test func aMissingWriteIsReportedWithADiff() throws {
    let system = try CMDQVSystem(boot: false)
    let trace = TraceCapture(system)
    try system.boot()
    withKnownIssue {
      // The kernel never writes SID_MATCH before SID_REPLACE... nor VINTF1 at boot.
      trace.expectWrites(["CMDQV_CONFIG", "VINTF1_CONFIG"])
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("✗ VINTF1_CONFIG") && $0.rawValue.contains("✓ CMDQV_CONFIG") }
    }
  }

  @Test func faultsAreReported() throws {
    let system = try CMDQVSystem()
    let trace = TraceCapture(system)
    system.device.write64(0, at: 0x0)  // CMDQV_CONFIG takes only 32-bit accesses
    withKnownIssue {
      trace.expectNoFaults()
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("FAULT") }
    }
  }

  @Test func goldenTraceComparison() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    func bootTrace() throws -> TraceCapture {
      let system = try CMDQVSystem(boot: false)
      let trace = TraceCapture(system)
      try system.boot()
      return trace
    }
    try bootTrace().writeJSONLines(to: path)
    // A second boot matches the golden trace.
    #expect(try bootTrace().expectMatchesGolden(path))
    // A run that does something more diverges, and the report says where.
    let system = try CMDQVSystem(boot: false)
    let trace = TraceCapture(system)
    try system.boot()
    system.device.write32(1, at: 0x1C)
    withKnownIssue {
      trace.expectMatchesGolden(path)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("trace differs from golden") && $0.rawValue.contains("0x1c") }
    }
  }

  @Test func missingGoldenFileSaysHowToCreateIt() throws {
    let trace = TraceCapture(try CMDQVSystem())
    withKnownIssue {
      trace.expectMatchesGolden("/nonexistent/golden.jsonl")
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("CMDQV_UPDATE_GOLDEN=1") }
    }
  }

  @Test func stuckVINTFHandshakeTimesOutTheVIOMMU() throws {
    var config = CMDQVConfiguration.default
    config.cyclesPerMicrosecond = 1
    let system = try CMDQVSystem(configuration: config)
    // No trace recorder here: the poll loop reads STATUS a million times.
    try system.withFaults([.stuckHandshake(.vintf(1))]) {
      #expect(throws: Errno.etimedout) { _ = try GuestVM(system: system, physicalStreamID: 0x100) }
    }
    #expect(system.device.injections.first?.contains("VINTF1") == true)
    #expect(system.cmdqv.log.contains { $0.contains("VINTF1: failed to enable") })
    // The failed vIOMMU left nothing behind; the next one gets VINTF1.
    let vm = try GuestVM(system: system, physicalStreamID: 0x101)
    #expect(vm.vintf == 1)
  }

  @Test func unknownInjectionTargetThrowsNotANoOp() throws {
    let system = try CMDQVSystem()
    do {
      try system.inject(.stuckHandshake(.vintf(9)))
      Issue.record("injecting into VINTF 9 succeeded")
    } catch let error as FaultInjectionError {
      #expect(error.target.contains("VINTF"))
    }
    #expect(system.device.injections.isEmpty)
    // withFaults clears what it injected before the failing one.
    #expect(throws: FaultInjectionError.self) {
      try system.withFaults([.stuckHandshake(.vintf(1)), .stuckHandshake(.vintf(9))]) {}
    }
    #expect(system.device.injections == ["handshake of VINTF1 never completes", "all injections cleared"])
    // VINTF1's handshake works again: a vIOMMU gets it.
    #expect(try GuestVM(system: system, physicalStreamID: 0x100).vintf == 1)
  }

  @Test func injectedHostCommandErrorIsSkippedByTheISR() throws {
    let system = try CMDQVSystem()
    try system.inject(.commandError(code: 1, command: 1, queue: .vcmdq(0)))
    system.device.clearExecutedCommands()
    try system.cmdqv.issue([.tlbiNHASID(asid: 1), .tlbiNHASID(asid: 2)], sync: true, cpu: 0)
    // The first command failed (ILL), the ISR rewrote it to CMD_SYNC and acked;
    // the queue resumed and the rest executed.
    let ops = system.device.executedCommands.map(\.opcode)
    #expect(ops == [.sync, .tlbiNHASID, .sync])
    // After the ISR: acknowledged (GERRORN == GERROR), ERR cleared, CONS caught up.
    let q = system.device.vcmdq(0)
    #expect(!q.errorPending)
    #expect(q.gerror & 1 == 1)
    #expect(q.errorCode == 0)
    #expect(q.cons == q.prod)
    #expect(system.device.interruptCount == 1)
  }

  /// A harness observes user VINTF errors through `onUserError` without
  /// unplugging the driver's vEVENT report (which runs first).
  @Test func userErrorObserverRunsBesideTheVEventReport() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addEventQueue()
    let q = try vm.addQueue()
    try q.enable()
    var observed: [(vintf: Int, maps: [UInt64])] = []
    system.cmdqv.onUserError = { vintf, maps in observed.append((vintf.index, maps)) }
    try system.inject(.commandError(code: 1, command: 1, queue: .lvcmdq(vintf: vm.vintf, lvcmdq: 0)))
    #expect(throws: GuestQueueError.self) { try q.submit([.tlbiNHASID(asid: 2)]) }
    system.step(cycles: 50)
    #expect(try vm.readEvents().compactMap(\.lvcmdqErrorMaps) == [[1, 0]])
    #expect(observed.map(\.vintf) == [vm.vintf])
    #expect(observed.map(\.maps) == [[1, 0]])
  }

  /// Injection by (VINTF, LVCMDQ), the way the driver names a guest's queue:
  /// the second LVCMDQ of the VM's VINTF, whichever global VCMDQ backs it.
  @Test func injectionNamesAGuestQueueByVINTFAndLVCMDQ() throws {
    let system = try CMDQVSystem()
    let vm = try GuestVM(system: system, physicalStreamID: 0x100)
    try vm.addEventQueue()
    let q0 = try vm.addQueue()
    let q1 = try vm.addQueue()
    try q0.enable()
    try q1.enable()
    let global = try #require(system.device.globalVCMDQ(vintf: vm.vintf, lvcmdq: 1))
    try system.inject(.commandError(code: 1, command: 1, queue: .lvcmdq(vintf: vm.vintf, lvcmdq: 1)))
    #expect(system.device.injections.last?.contains("VINTF\(vm.vintf)/LVCMDQ1 (VCMDQ\(global))") == true)
    try q0.submit([.tlbiNHASID(asid: 1)])
    #expect(throws: GuestQueueError.self) { try q1.submit([.tlbiNHASID(asid: 2)]) }
    system.step(cycles: 50)
    // The vEVENT names LVCMDQ1 of the VINTF (bit 1 of lvcmdq_err_map[0]).
    #expect(try vm.readEvents().compactMap(\.lvcmdqErrorMaps) == [[2, 0]])
    // A logical queue no VCMDQ is mapped to is refused, naming it.
    do {
      try system.inject(.stuckHandshake(.lvcmdq(vintf: vm.vintf, lvcmdq: 7)))
      Issue.record("injecting into an LVCMDQ outside the VINTF succeeded")
    } catch let error as FaultInjectionError {
      #expect(error.target == "VINTF\(vm.vintf)/LVCMDQ7")
    }
  }
}
