/// One I/O page fault as a device reports it (`struct iommu_fault_page_request`,
/// include/linux/iommu.h, v6.17): what `iommu_report_device_fault` hands to
/// the fault path and what a fault-queue `read()` returns as
/// `struct iommu_hwpt_pgfault`.
public struct PageFault: Hashable, Sendable {
  /// `IOMMU_FAULT_PAGE_REQUEST_PASID_VALID` (= `IOMMU_PGFAULT_FLAGS_PASID_VALID`).
  public static let flagPASIDValid: UInt32 = 1 << 0
  /// `IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE` (= `IOMMU_PGFAULT_FLAGS_LAST_PAGE`):
  /// the last fault of its group; the group is delivered with it.
  public static let flagLastPage: UInt32 = 1 << 1
  /// `IOMMU_PGFAULT_PERM_READ`, `_WRITE`, `_EXEC`, `_PRIV`.
  public static let permRead: UInt32 = 1, permWrite: UInt32 = 2, permExec: UInt32 = 4, permPriv: UInt32 = 8
  /// `sizeof(struct iommu_hwpt_pgfault)`.
  public static let recordSize = 40

  /// `prm.flags`.
  public var flags: UInt32
  /// `prm.pasid` (meaningful with ``flagPASIDValid``).
  public var pasid: UInt32
  /// `prm.grpid`: the page request group.
  public var grpid: UInt32
  /// `prm.perm`.
  public var perm: UInt32
  /// `prm.addr`.
  public var addr: UInt64

  public init(flags: UInt32, pasid: UInt32 = 0, grpid: UInt32, perm: UInt32, addr: UInt64) {
    self.flags = flags
    self.pasid = pasid
    self.grpid = grpid
    self.perm = perm
    self.addr = addr
  }

  /// What the selftest's `IOMMU_TEST_OP_TRIGGER_IOPF` reports
  /// (`iommufd_test_trigger_iopf`, selftest.c, v6.17): LAST_PAGE, plus
  /// PASID_VALID when `pasid` is non-zero.
  public static func selftest(pasid: UInt32, grpid: UInt32, perm: UInt32, addr: UInt64) -> PageFault {
    PageFault(flags: flagLastPage | (pasid != 0 ? flagPASIDValid : 0), pasid: pasid, grpid: grpid, perm: perm, addr: addr)
  }

  /// `struct iommu_hwpt_pgfault` as `iommufd_compose_fault_message` fills
  /// it: flags@0, dev_id@4, pasid@8, grpid@12, perm@16, __reserved@20 (0),
  /// addr@24 (u64), length@32 (0), cookie@36; little-endian.
  public func record(deviceID: UInt32, cookie: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.recordSize)
    func put32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * i))) } }
    put32(flags)
    put32(deviceID)
    put32(pasid)
    put32(grpid)
    put32(perm)
    put32(0)
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: addr >> UInt64(8 * i))) }
    put32(0)
    put32(cookie)
    return bytes
  }
}

/// A page response a device received (`iopf_group_response` → the IOMMU
/// driver's `page_response`), recorded on the ``IOMMUFDDevice``.
public struct PageResponse: Hashable, Sendable {
  /// `enum iommu_page_response_code`.
  public enum Code: UInt32, Hashable, Sendable {
    /// `IOMMU_PAGE_RESP_SUCCESS` (= `IOMMUFD_PAGE_RESP_SUCCESS`).
    case success = 0
    /// `IOMMU_PAGE_RESP_INVALID` (= `IOMMUFD_PAGE_RESP_INVALID`): the answer
    /// when no handler takes the fault, and the automatic one on detach,
    /// replace and fault-queue destroy.
    case invalid = 1
    /// `IOMMU_PAGE_RESP_FAILURE`: the group was aborted.
    case failure = 2
  }

  /// The group answered (`prm.grpid` of its last fault).
  public var grpid: UInt32
  /// Its PASID, when the last fault had PASID_VALID.
  public var pasid: UInt32?
  public var code: Code

  public init(grpid: UInt32, pasid: UInt32?, code: Code) {
    self.grpid = grpid
    self.pasid = pasid
    self.code = code
  }
}

/// Where ``IOMMUFDContext/reportPageFault(device:_:)`` sent a fault.
public enum PageFaultOutcome: Hashable, Sendable {
  /// Not the last fault of its group: kept until the LAST_PAGE one arrives
  /// (`report_partial_fault`).
  case partial
  /// The group was queued on this fault queue (`iommufd_fault_iopf_handler`),
  /// waiting for user space to read and answer it.
  case queued(faultID: UInt32)
  /// No handler took it: the device was answered at once
  /// (`iopf_error_response`, `IOMMU_PAGE_RESP_INVALID`).
  case answered(PageResponse.Code)
}

/// `struct iopf_group`: the faults of one page request group, delivered to a
/// fault queue as a unit.
final class PageFaultGroup {
  let device: IOMMUFDDevice
  /// The HWPT the group was routed through (its attach handle).
  let hwpt: IOMMUFDObject
  let faults: [PageFault]
  var cookie: UInt32 = 0

  init(device: IOMMUFDDevice, hwpt: IOMMUFDObject, faults: [PageFault]) {
    self.device = device
    self.hwpt = hwpt
    self.faults = faults
  }

  var last: PageFault { faults[faults.count - 1] }
}
