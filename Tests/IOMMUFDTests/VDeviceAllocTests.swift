import IOMMUFD
import Testing

/// `iommufd_vdevice_alloc_ioctl` (viommu.c, v6.17), every check in order.
struct VDeviceAllocTests {
  @Test func row1VirtIDAboveULONGMAX() throws {
    let iommu = MockIOMMU()
    let ctx = IOMMUFDContext(drivers: [iommu], unsignedLongBits: 32)
    iommu.context = ctx
    let dev = try ctx.bindDevice(streamIDs: [1])
    let ioas = try ctx.allocIOAS()
    let hwpt = try ctx.allocHWPT(device: dev, ioas: ioas, nestParent: true)
    let viommu = try ctx.allocVIOMMU(device: dev, hwpt: hwpt, type: IOMMUTest.viommuType).id
    // Row 1 precedes the lookups.
    expectErrno(.einval) { try ctx.allocVDevice(viommu: 999, device: 999, virtID: 1 << 32) }
    #expect(try ctx.allocVDevice(viommu: viommu, device: dev, virtID: 0xFFFF_FFFF) > 0)
  }

  @Test func row2And3BadIDs() throws {
    let f = try Fixture()
    expectErrno(.enoent) { try f.ctx.allocVDevice(viommu: 999, device: 999, virtID: 1) }
    expectErrno(.enoent) { try f.ctx.allocVDevice(viommu: f.device, device: f.device, virtID: 1) }
    expectErrno(.enoent) { try f.ctx.allocVDevice(viommu: f.viommu, device: 999, virtID: 1) }
    expectErrno(.enoent) { try f.ctx.allocVDevice(viommu: f.viommu, device: f.ioas, virtID: 1) }
  }

  @Test func row4DeviceOnAnotherIOMMU() throws {
    let a = MockIOMMU(name: "smmu0", streamIDs: 0...0xF)
    let b = MockIOMMU(name: "smmu1", streamIDs: 0x10...0x1F)
    let ctx = IOMMUFDContext(drivers: [a, b])
    let devA = try ctx.bindDevice(streamIDs: [1])
    let devB = try ctx.bindDevice(streamIDs: [0x11])
    let ioas = try ctx.allocIOAS()
    let hwpt = try ctx.allocHWPT(device: devA, ioas: ioas, nestParent: true)
    let viommu = try ctx.allocVIOMMU(device: devA, hwpt: hwpt, type: IOMMUTest.viommuType).id
    expectErrno(.einval) { try ctx.allocVDevice(viommu: viommu, device: devB, virtID: 1) }
  }

  @Test func row5DeviceBeingDestroyed() throws {
    let f = try Fixture()
    // In the kernel this is a race with iommufd_device_pre_destroy; the model
    // reaches it through a test hook.
    f.ctx._simulateConcurrentDeviceDestroy(f.device)
    let error = expectErrno(.enoent) { try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 1) }
    #expect(error?.message.contains("being destroyed") == true)
  }

  @Test func allocInsideTheVDeviceDestroyOfAnUnbindingDeviceIsENOENT() throws {
    let f = try Fixture()
    f.mock.supportsVDeviceInit = true
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 1)
    var result: Errno?
    let ctx = f.ctx, viommu = f.viommu, device = f.device
    f.mock.onVDeviceDestroy = { _ in
      do { _ = try ctx.allocVDevice(viommu: viommu, device: device, virtID: 2) } catch let e as Errno {
        result = e
      } catch {}
    }
    try f.ctx.destroy(f.device)
    #expect(result == .enoent)
  }

  @Test func row6DeviceAlreadyHasAVDevice() throws {
    let f = try Fixture()
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 1)
    let error = expectErrno(.eexist) { try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 2) }
    #expect(error?.message.contains("already has vDEVICE \(vdev)") == true)
  }

  @Test(arguments: [(VDevice.coreStructSize - 1, true), (VDevice.coreStructSize + 8, false)])
  func row7BadDriverVDeviceSize(size: Int, hasInit: Bool) throws {
    let f = try Fixture()
    f.mock.vdeviceSize = size
    f.mock.supportsVDeviceInit = hasInit
    expectErrno(.eopnotsupp) { try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 1) }
    #expect(f.ctx.users(of: f.viommu) == 1)
  }

  @Test func row8DuplicateVirtIDAbortsAndCallsNoDestroy() throws {
    let f = try Fixture()
    f.mock.supportsVDeviceInit = true
    let dev2 = try f.ctx.bindDevice(streamIDs: [0x20])
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 7)
    let kinds = f.ctx.objectKinds
    expectErrno(.eexist) { try f.ctx.allocVDevice(viommu: f.viommu, device: dev2, virtID: 7) }
    #expect(f.ctx.objectKinds == kinds)
    #expect(f.ctx.users(of: f.viommu) == 2)
    #expect(f.mock.destroyedVDevices.isEmpty)
    #expect((f.ctx.object(dev2) as? IOMMUFDDevice)?.vdevice == nil)
    // The existing entry is untouched by the abort.
    #expect(f.viommuObject.vdevices[7]?.device.id == f.device)
  }

  @Test func row9DriverInitFails() throws {
    let f = try Fixture()
    f.mock.supportsVDeviceInit = true
    f.mock.vdeviceInitError = Errno.enospc("mock: no free SID slot")
    let kinds = f.ctx.objectKinds
    expectErrno(.enospc) { try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 7) }
    #expect(f.ctx.objectKinds == kinds)
    #expect(f.ctx.users(of: f.viommu) == 1)
    #expect(f.viommuObject.vdevices.isEmpty)
    #expect((f.ctx.object(f.device) as? IOMMUFDDevice)?.vdevice == nil)
  }

  @Test func driverDefinedVDeviceDestroyCallbackRuns() throws {
    let f = try Fixture()
    f.mock.vdeviceSize = VDevice.coreStructSize + 16
    f.mock.supportsVDeviceInit = true
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x42)
    #expect(f.ctx.findVDevice(viommu: f.viommuObject, virtID: 0x42)?.id == vdev)
    #expect(f.ctx.users(of: f.viommu) == 2)
    try f.ctx.destroy(vdev)
    #expect(f.mock.destroyedVDevices == [0x42])
    #expect(f.ctx.users(of: f.viommu) == 1)
    // The device can get a new vDEVICE, and the virt_id is free again.
    _ = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 0x42)
  }

  @Test func coreVDeviceWithoutDriverInit() throws {
    let f = try Fixture()
    let vdev = try f.ctx.allocVDevice(viommu: f.viommu, device: f.device, virtID: 3)
    let object = try #require(f.ctx.object(vdev) as? VDevice)
    #expect(object.destroy == nil)
    try f.ctx.destroy(vdev)
    #expect(f.mock.destroyedVDevices.isEmpty)
  }
}
