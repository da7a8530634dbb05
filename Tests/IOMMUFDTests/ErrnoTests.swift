import IOMMUFD
import Testing

struct ErrnoTests {
  @Test func equalityComparesCodeOnly() {
    #expect(Errno.ebusy("IOMMU_DESTROY: object 7 (HW_QUEUE) still has 2 users") == Errno.ebusy)
    #expect(Errno.ebusy != Errno.einval)
    #expect(Set([Errno.ebusy("a"), Errno.ebusy("b")]).count == 1)
  }

  @Test func descriptionNamesCodeAndCheck() {
    #expect(
      Errno.ebusy("IOMMU_DESTROY: object 7 (HW_QUEUE) still has 2 users").description
        == "EBUSY (16): IOMMU_DESTROY: object 7 (HW_QUEUE) still has 2 users")
    #expect(Errno.enoent.description == "ENOENT (2)")
  }

  @Test(arguments: [
    (Errno.eperm, Int32(1)), (.enoent, 2), (.eio, 5), (.enxio, 6), (.e2big, 7), (.enomem, 12), (.efault, 14),
    (.ebusy, 16), (.eexist, 17), (.einval, 22), (.enospc, 28), (.erange, 34), (.eoverflow, 75),
    (.eopnotsupp, 95), (.etimedout, 110),
  ])
  func linuxValues(errno: Errno, value: Int32) {
    #expect(errno.code == value)
  }

  @Test func destroyBusyMessage() throws {
    let f = try Fixture()
    let q = try f.allocQueue(index: 0)
    _ = try f.allocQueue(index: 1, iova: Fixture.queueIOVA + 0x1000)
    let error = expectErrno(.ebusy) { try f.ctx.destroy(q) }
    #expect(error?.description == "EBUSY (16): IOMMU_DESTROY: object \(q) (HW_QUEUE) still has 2 users")
  }
}
