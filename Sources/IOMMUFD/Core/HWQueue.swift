/// `struct iommufd_hw_queue` (IOMMUFD_OBJ_HW_QUEUE), allocated by
/// `IOMMU_HW_QUEUE_ALLOC`. Holds a `users` reference on its vIOMMU and an
/// internal access that pins the queue memory in the nesting parent's IOAS.
public final class HWQueue: IOMMUFDObject {
  /// `sizeof(struct iommufd_hw_queue)` in this model; a driver's
  /// `get_hw_queue_size` below it is the WARN row 7 of C.8.
  public static let coreStructSize = 80

  /// `hw_queue->viommu`.
  public let viommu: VIOMMU
  /// `hw_queue->type` (`enum iommu_hw_queue_type`).
  public let queueType: UInt32
  /// The `index` the user asked for (passed to `hw_queue_init_phys`).
  public let index: UInt32
  /// `hw_queue->base_addr`: the guest PA (`nesting_parent_iova`).
  public let baseAddress: UInt64
  /// `hw_queue->length`.
  public let length: UInt64
  /// The host physical address handed to `hw_queue_init_phys` (`base_pa`).
  public internal(set) var basePhysicalAddress: UInt64 = 0
  /// `hw_queue->access`: the internal access holding the pins.
  public internal(set) var access: Access?
  /// `hw_queue->destroy`, set by the driver's `hw_queue_init_phys`.
  public var destroy: ((HWQueue) -> Void)?
  /// Free for the driver (the rest of its `HW_QUEUE_STRUCT_SIZE` struct).
  public var driverData: AnyObject?

  init(viommu: VIOMMU, queueType: UInt32, index: UInt32, baseAddress: UInt64, length: UInt64) {
    self.viommu = viommu
    self.queueType = queueType
    self.index = index
    self.baseAddress = baseAddress
    self.length = length
    super.init(type: .hwQueue)
  }
}
