import CMDQVRegisters

/// A register-level, cycle-stepped model of NVIDIA's Tegra241 CMDQV (the
/// SMMUv3 command-queue virtualization extension) plus the SMMU's main
/// command queue. Single-threaded and deterministic: nothing changes between
/// ``step()`` calls except what an MMIO write does at once.
///
/// - The CMDQV aperture is this object's ``MMIOBus``; the SMMU registers are
///   ``smmu``; DMA memory is ``memory``.
/// - Every observable event can be streamed to ``eventSink`` / ``onEvent``.
public final class CMDQVDevice {
  public let configuration: CMDQVConfiguration
  /// The physical memory the queues fetch from.
  public let memory: PhysicalMemoryModel
  /// The SMMUv3 register aperture (CR0/CR0ACK, main CMDQ, GERROR).
  public private(set) var smmu: SMMUDevice!

  /// The current model cycle.
  public var cycle: UInt64 { hot.pointee.cycle }

  /// Flags read on every access and every command, kept behind a pointer so
  /// reading them costs no dynamic exclusivity check.
  let hot: UnsafeMutablePointer<HotState>

  // Shape, cached from the configuration.
  let numVINTFs: Int
  let numVCMDQs: Int
  let numSIDs: Int
  let numLVCMDQs: Int
  /// Queue slot of the SMMU CMDQ in `queues` (after the VCMDQs).
  let smmuQueue: Int
  /// `VCMDQ<q>` per queue slot, `SMMU_CMDQ` for the SMMU queue (named in
  /// state changes every cycle a traced queue runs).
  let queueNames: [String]

  // State lives in fixed buffers (not arrays) so an MMIO access does no
  // copy-on-write uniqueness or exclusivity checks.
  let queues: UnsafeMutablePointer<QueueState>
  let vintfConfig: UnsafeMutablePointer<UInt32>
  let vintfEnable: UnsafeMutablePointer<Handshake>
  let sidMatch: UnsafeMutablePointer<UInt32>
  let sidReplace: UnsafeMutablePointer<UInt32>
  /// (VINTF, LVCMDQ) -> global VCMDQ, or -1: the logical-page alias table,
  /// rebuilt from CMDQ_ALLOC on every CMDQ_ALLOC write.
  let logicalMap: UnsafeMutablePointer<Int32>
  /// Per-register writable / W1C masks, indexed by `RegisterKind.rawValue`.
  let writableMasks: UnsafeMutablePointer<UInt64>
  let w1cMasks: UnsafeMutablePointer<UInt64>

  var cmdqvConfig: UInt32 = 0x0002_0083
  var cmdqvEnable = Handshake(current: 1, target: 1)
  var viIntMask: UInt64 = 0
  var smmuCR0: UInt32 = 0
  var smmuCR0Ack = Handshake()

  // Engine bookkeeping.
  var handshakesPending: Bool {
    get { hot.pointee.handshakesPending }
    set { hot.pointee.handshakesPending = newValue }
  }
  var runnableDirty: Bool {
    get { hot.pointee.runnableDirty }
    set { hot.pointee.runnableDirty = newValue }
  }
  /// Queue slots allowed to consume, ascending, in the first `runnableCount`
  /// entries (rebuilt when `runnableDirty`).
  let runnable: UnsafeMutablePointer<Int32>
  var runnableCount: Int {
    get { hot.pointee.runnableCount }
    set { hot.pointee.runnableCount = newValue }
  }
  /// Position of each queue slot in `runnable`, or -1.
  let runnableRank: UnsafeMutablePointer<Int32>
  /// Bit q set: queue slot q is runnable and can consume now (see `updateReady`).
  let readyWords: UnsafeMutablePointer<UInt64>
  let readyWordCount: Int
  /// The round-robin position in `runnable` where the next cycle starts.
  var roundRobin: Int {
    get { hot.pointee.roundRobin }
    set { hot.pointee.roundRobin = newValue }
  }
  /// ``faultsRecordedTotal`` when ``skipIdlePoll(upToMicroseconds:)`` last ran.
  var faultsSeenBySkip = 0

  /// Reference engine: visit every runnable queue every cycle and never skip
  /// idle cycles, as the model did before it became event-driven. Only for
  /// tests that prove both engines produce identical event streams.
  public var _exhaustiveScheduling: Bool {
    get { hot.pointee.exhaustiveScheduling }
    set { hot.pointee.exhaustiveScheduling = newValue }
  }

  // Fault injection.
  var stuckBits: [StuckBit] = []
  var fetchAbortRanges: [Range<UInt64>] = []

  // Logs.
  /// The commands the SMMU executed, as it saw them (after SID/VMID
  /// rewrite), oldest first: the latest ones, at most
  /// ``CMDQVConfiguration/executedCommandLimit``; older ones are only counted
  /// (``droppedExecutedCommandCount``, ``droppedExecutedCommandsBySource``).
  public var executedCommands: [ExecutedCommand] { executedLog.pointee }
  /// Commands executed since the log was last cleared, kept or not.
  public var executedCommandCount: Int { droppedExecutedCommandCount + executedLog.pointee.count }
  /// Executed commands that fell out of ``executedCommands`` (the oldest).
  public internal(set) var droppedExecutedCommandCount = 0
  /// ``droppedExecutedCommandCount`` by queue, so per-queue totals stay exact.
  public internal(set) var droppedExecutedCommandsBySource: [CommandQueueID: Int] = [:]
  /// The storage of ``executedCommands``, behind a pointer so appending a
  /// command costs no dynamic exclusivity check.
  let executedLog: UnsafeMutablePointer<[ExecutedCommand]>
  /// ``OpcodeTraits`` of every opcode byte.
  let opcodeTraits: UnsafeMutablePointer<UInt8>
  /// Whether ``executedCommands`` is kept (default `true`; benchmarks may turn it off).
  public var recordsExecutedCommands: Bool {
    get { hot.pointee.recordsExecutedCommands }
    set { hot.pointee.recordsExecutedCommands = newValue }
  }
  /// CERRORs the queues raised. Like every fault log, it keeps the first and
  /// the last ``CMDQVConfiguration/logLimit`` records and counts the rest.
  public internal(set) var commandErrors: BoundedLog<CommandError>
  /// Access faults and rule violations, in the order they happened.
  public internal(set) var faults: BoundedLog<DeviceFault>
  public internal(set) var accessFaults: BoundedLog<AccessFault>
  /// Every broken programming rule (policy `record`), in order (see ``RuleBook``).
  public internal(set) var violations: BoundedLog<RuleViolation>
  /// What the device does with each rule's violations; starts as the
  /// configuration's ``CMDQVConfiguration/rulePolicies``.
  public var rulePolicies: RulePolicies { didSet { applyRulePolicies() } }
  /// Bookkeeping the rules need (handshake start cycles, flush counts).
  var ruleState: RuleState
  /// Violations found by the current access, reported after its MMIO event.
  var pendingViolations: [RuleViolation] = []
  /// MMIO accesses on both apertures, accepted or faulted (poll reads that
  /// ``skipIdlePoll(upToMicroseconds:)`` stood in for included).
  public var mmioAccessCount: Int { hot.pointee.mmioAccesses }
  /// Edges on the CMDQV_ERR line.
  public internal(set) var interruptCount = 0
  /// Edges on the SMMU_GERROR line.
  public internal(set) var smmuInterruptCount = 0
  /// Every fault injection, in words.
  public internal(set) var injections: [String] = []

  // Events.
  // The event slots and the sequence counter are read or bumped for every
  // event: they skip dynamic exclusivity checks (the device is
  // single-threaded; a sink that re-enters the device only calls methods).
  /// Receives every event (MMIO, commands, errors, state changes, faults,
  /// interrupts, injections). `nil` keeps the MMIO path free of decoding.
  @exclusivity(unchecked) public var eventSink: HardwareEventSink? { didSet { hot.pointee.observed = eventSink != nil || onEvent != nil } }
  /// A closure alternative to ``eventSink`` (both may be set).
  @exclusivity(unchecked) public var onEvent: ((HardwareEvent) -> Void)? { didSet { hot.pointee.observed = eventSink != nil || onEvent != nil } }
  var observed: Bool { hot.pointee.observed }
  @exclusivity(unchecked) var sequence: UInt64 = 0
  /// The last accepted read's event sequence number and inputs (kept only
  /// while observed), for ``skipIdlePoll(upToMicroseconds:)`` to replay.
  @exclusivity(unchecked) var lastRead: (sequence: UInt64, read: AcceptedRead)?
  /// ``registerInstance(at:smmuAperture:)``'s last decode.
  @exclusivity(unchecked) var lastInstance: (offset: Int, smmu: Bool, instance: RegisterInstance?)?

  /// `memory` is the physical memory the queues fetch from; devices of one
  /// machine (two SMMUs with their CMDQVs) share it.
  public init(configuration: CMDQVConfiguration = .default, memory: PhysicalMemoryModel = PhysicalMemoryModel()) {
    configuration.validate()
    self.configuration = configuration
    self.memory = memory
    numVINTFs = configuration.numVINTFs
    numVCMDQs = configuration.numVCMDQs
    numSIDs = configuration.numSIDsPerVINTF
    numLVCMDQs = configuration.numLVCMDQsPerVINTF
    smmuQueue = numVCMDQs
    queueNames = (0..<numVCMDQs).map { "VCMDQ\($0)" } + ["SMMU_CMDQ"]
    commandErrors = BoundedLog(limit: configuration.logLimit)
    faults = BoundedLog(limit: configuration.logLimit)
    accessFaults = BoundedLog(limit: configuration.logLimit)
    violations = BoundedLog(limit: configuration.logLimit)
    rulePolicies = configuration.rulePolicies
    ruleState = RuleState(vintfs: numVINTFs, queues: numVCMDQs + 1)

    hot = .allocate(capacity: 1)
    hot.initialize(to: HotState())
    queues = .allocate(capacity: numVCMDQs + 1)
    queues.initialize(repeating: QueueState(), count: numVCMDQs + 1)
    vintfConfig = .allocate(capacity: numVINTFs)
    vintfConfig.initialize(repeating: 0, count: numVINTFs)
    vintfEnable = .allocate(capacity: numVINTFs)
    vintfEnable.initialize(repeating: Handshake(), count: numVINTFs)
    sidMatch = .allocate(capacity: numVINTFs * numSIDs)
    sidMatch.initialize(repeating: 0, count: numVINTFs * numSIDs)
    sidReplace = .allocate(capacity: numVINTFs * numSIDs)
    sidReplace.initialize(repeating: 0, count: numVINTFs * numSIDs)
    logicalMap = .allocate(capacity: numVINTFs * CMDQVOffsets.maxLVCMDQs)
    logicalMap.initialize(repeating: -1, count: numVINTFs * CMDQVOffsets.maxLVCMDQs)
    let kinds = RegisterKind.allCases.count
    writableMasks = .allocate(capacity: kinds)
    w1cMasks = .allocate(capacity: kinds)
    for kind in RegisterKind.allCases {
      // The generated map's access rules, copied once so a write reads two masks.
      (writableMasks + Int(kind.rawValue)).initialize(to: kind.info.writableMask)
      (w1cMasks + Int(kind.rawValue)).initialize(to: kind.info.w1cMask)
    }
    runnable = .allocate(capacity: numVCMDQs + 1)
    runnable.initialize(repeating: -1, count: numVCMDQs + 1)
    runnableRank = .allocate(capacity: numVCMDQs + 1)
    runnableRank.initialize(repeating: -1, count: numVCMDQs + 1)
    readyWordCount = (numVCMDQs + 1 + 63) / 64
    readyWords = .allocate(capacity: readyWordCount)
    readyWords.initialize(repeating: 0, count: readyWordCount)
    executedLog = .allocate(capacity: 1)
    executedLog.initialize(to: [])
    executedLog.pointee.reserveCapacity(4096)
    opcodeTraits = OpcodeTraits.makeTable()
    smmu = SMMUDevice(device: self)
    rebuildLogicalMap()
    applyRulePolicies()
    memory.softwareWriteObserver = { [unowned self] address, length in self.checkMemoryWrite(address, length) }
  }

  deinit {
    hot.deallocate()
    queues.deinitialize(count: numVCMDQs + 1)
    queues.deallocate()
    vintfConfig.deallocate()
    vintfEnable.deallocate()
    sidMatch.deallocate()
    sidReplace.deallocate()
    logicalMap.deallocate()
    writableMasks.deallocate()
    w1cMasks.deallocate()
    runnable.deallocate()
    runnableRank.deallocate()
    readyWords.deallocate()
    executedLog.deinitialize(count: 1)
    executedLog.deallocate()
    opcodeTraits.deallocate()
  }

  /// Empties ``executedCommands`` (keeping its capacity) and its counts.
  public func clearExecutedCommands() {
    executedLog.pointee.removeAll(keepingCapacity: true)
    droppedExecutedCommandCount = 0
    droppedExecutedCommandsBySource = [:]
  }

  /// The log reached its limit: drop the oldest half, counting it by queue.
  /// Amortised over half a limit of appends, so the hot path pays one compare.
  @inline(never)
  func dropOldestExecutedCommands() {
    let n = executedLog.pointee.count / 2
    for c in executedLog.pointee[..<n] { droppedExecutedCommandsBySource[c.source, default: 0] += 1 }
    executedLog.pointee.removeFirst(n)
    droppedExecutedCommandCount += n
  }

  /// Empties the fault logs (``faults``, ``accessFaults``, ``violations``).
  public func clearFaults() {
    faults.removeAll()
    accessFaults.removeAll()
    violations.removeAll()
  }
}
