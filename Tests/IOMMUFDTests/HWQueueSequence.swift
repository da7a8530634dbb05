import IOMMUFD
import Testing

/// The steps of TEST_F(iommufd_viommu, hw_queue) (tools/testing/selftests/
/// iommu/iommufd.c, v6.17) for any driver: `type` is its HW queue type,
/// `maxIndex` the first index it refuses (`IOMMU_TEST_HW_QUEUE_MAX` for the
/// mock, `num_lvcmdqs_per_vintf` for Tegra), and the two buffer pages are
/// mapped at `iova` and `iova + PAGE_SIZE` from `bufferPA`.
func runHWQueueSequence(
  _ ctx: IOMMUFDContext, ioas: UInt32, viommu: UInt32, type: UInt32, maxIndex: UInt32, iova: UInt64, bufferPA: UInt64,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let page = IOAS.pageSize
  let iova2 = iova + page
  func alloc(_ type: UInt32, _ index: UInt32, _ iova: UInt64, _ length: UInt64) throws(Errno) -> UInt32 {
    try ctx.allocHWQueue(viommu: viommu, type: type, index: index, nestingParentIOVA: iova, length: length)
  }
  // IOMMU_HW_QUEUE_TYPE_DEFAULT.
  expectErrno(.eopnotsupp, sourceLocation: sourceLocation) { try alloc(0, 0, iova, page) }
  // Queue address and length.
  expectErrno(.einval, sourceLocation: sourceLocation) { try alloc(type, 0, iova, 0) }
  expectErrno(.eoverflow, sourceLocation: sourceLocation) { try alloc(type, 0, ~0, page) }
  // Missing iova.
  expectErrno(.enoent, sourceLocation: sourceLocation) { try alloc(type, 0, iova, page) }
  // Map iova.
  try ctx.ioasMap(ioas: ioas, iova: iova, length: page, physicalAddress: bufferPA)
  try ctx.ioasMap(ioas: ioas, iova: iova2, length: page, physicalAddress: bufferPA + page)
  // index=1 and =MAX fail; must start from index=0.
  expectErrno(.eio, sourceLocation: sourceLocation) { try alloc(type, 1, iova, page) }
  expectErrno(.einval, sourceLocation: sourceLocation) { try alloc(type, maxIndex, iova, page) }
  // Allocate index=0, declaring ownership of the iova.
  let queue0 = try alloc(type, 0, iova, page)
  // Duplicated index.
  expectErrno(.eexist, sourceLocation: sourceLocation) { try alloc(type, 0, iova, page) }
  // Unmap fails: the iova is owned.
  expectErrno(.ebusy, sourceLocation: sourceLocation) { try ctx.ioasUnmap(ioas: ioas, iova: iova, length: page) }
  // The 2nd page is not pinned, so it can be unmapped.
  try ctx.ioasUnmap(ioas: ioas, iova: iova2, length: page)
  // index=1, with an unaligned case.
  let queue1 = try alloc(type, 1, iova + page / 2, page / 2)
  // Destroy fails due to the dependency.
  expectErrno(.ebusy, sourceLocation: sourceLocation) { try ctx.destroy(queue0) }
  // Destroy in descending order.
  try ctx.destroy(queue1)
  try ctx.destroy(queue0)
  // Now the first page can be unmapped.
  try ctx.ioasUnmap(ioas: ioas, iova: iova, length: page)
}
