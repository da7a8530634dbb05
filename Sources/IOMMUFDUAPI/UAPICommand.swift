import CCMDQV

/// One row of the kernel's ioctl table (`iommufd_ioctl_ops`,
/// drivers/iommu/iommufd/main.c, v6.17): the command number, the size of
/// its struct and the minimum `size` user space may pass
/// (`offsetofend` of the last field the first version had).
public struct UAPICommand: Hashable, Sendable {
  public var name: String
  /// The full ioctl number, `_IO(';', nr)`.
  public var request: UInt32
  /// `sizeof(struct iommu_*)` as cmdqv.h declares it.
  public var size: Int
  /// `min_size` in the kernel's table.
  public var minSize: Int
  /// Whether the model implements it (the others pass the size checks,
  /// then fail `EOPNOTSUPP`).
  public var isModelled: Bool

  /// `IOMMUFD_TYPE << 8`.
  public static let typeBase: UInt32 = 0x3B00
  /// `IOMMUFD_CMD_BASE`.
  public static let commandBase: UInt32 = 0x80

  /// The table, indexed by `nr - IOMMUFD_CMD_BASE`; `IOMMU_TEST_CMD` (0xA0)
  /// is appended when the file is opened with the selftest enabled
  /// (CONFIG_IOMMUFD_TEST), with the empty slots 0x95...0x9F between.
  public static let table: [UAPICommand] = [
    .init("IOMMU_DESTROY", 0x80, MemoryLayout<iommu_destroy>.size, 8, true),
    .init("IOMMU_IOAS_ALLOC", 0x81, MemoryLayout<iommu_ioas_alloc>.size, 12, true),
    .init("IOMMU_IOAS_ALLOW_IOVAS", 0x82, 24, 24, false),
    .init("IOMMU_IOAS_COPY", 0x83, 40, 40, false),
    .init("IOMMU_IOAS_IOVA_RANGES", 0x84, 32, 32, false),
    .init("IOMMU_IOAS_MAP", 0x85, MemoryLayout<iommu_ioas_map>.size, 40, true),
    .init("IOMMU_IOAS_UNMAP", 0x86, MemoryLayout<iommu_ioas_unmap>.size, 24, true),
    .init("IOMMU_OPTION", 0x87, 24, 24, false),
    .init("IOMMU_VFIO_IOAS", 0x88, 12, 12, false),
    .init("IOMMU_HWPT_ALLOC", 0x89, MemoryLayout<iommu_hwpt_alloc>.size, 24, true),
    .init("IOMMU_GET_HW_INFO", 0x8A, MemoryLayout<iommu_hw_info>.size, 32, true),
    .init("IOMMU_HWPT_SET_DIRTY_TRACKING", 0x8B, 16, 16, false),
    .init("IOMMU_HWPT_GET_DIRTY_BITMAP", 0x8C, 48, 48, false),
    .init("IOMMU_HWPT_INVALIDATE", 0x8D, MemoryLayout<iommu_hwpt_invalidate>.size, 32, true),
    .init("IOMMU_FAULT_QUEUE_ALLOC", 0x8E, MemoryLayout<iommu_fault_alloc>.size, 16, true),
    .init("IOMMU_IOAS_MAP_FILE", 0x8F, 40, 40, false),
    .init("IOMMU_VIOMMU_ALLOC", 0x90, MemoryLayout<iommu_viommu_alloc>.size, 24, true),
    .init("IOMMU_VDEVICE_ALLOC", 0x91, MemoryLayout<iommu_vdevice_alloc>.size, 24, true),
    .init("IOMMU_IOAS_CHANGE_PROCESS", 0x92, 8, 8, false),
    .init("IOMMU_VEVENTQ_ALLOC", 0x93, MemoryLayout<iommu_veventq_alloc>.size, 28, true),
    .init("IOMMU_HW_QUEUE_ALLOC", 0x94, MemoryLayout<iommu_hw_queue_alloc>.size, 40, true),
  ]

  /// `IOMMU_TEST_CMD` (`iommufd_test`, drivers/iommu/iommufd/selftest.c).
  public static let testCommand = UAPICommand(
    "IOMMU_TEST_CMD", 0xA0, MemoryLayout<iommu_test_cmd>.size, 68, true)

  init(_ name: String, _ nr: UInt32, _ size: Int, _ minSize: Int, _ isModelled: Bool) {
    self.name = name
    self.request = Self.typeBase | nr
    self.size = size
    self.minSize = minSize
    self.isModelled = isModelled
  }

  /// The command number (`_IOC_NR`).
  public var nr: UInt32 { request & 0xFF }
}
