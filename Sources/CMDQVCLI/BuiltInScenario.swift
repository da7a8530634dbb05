/// The default scenario, compiled in so `cmdqv` runs without any file.
/// Identical to Docs/Scenarios/vmm-lifecycle.yaml (a test checks it).
public enum BuiltInScenario {
  public static let fileName = "vmm-lifecycle.yaml"
  public static let text = #"""
# The default scenario (`cmdqv` with no arguments): one VM with an
# accelerated vSMMU on VINTF1, driven the way a VMM does it, plus the
# mistakes the model is there to catch.
name: vmm-lifecycle
description: "VMM flow on VINTF1: guest LVCMDQs, an illegal guest command, descending teardown, a rule violation"
device:
  preset: default
steps:
  - boot:
  - note: "VMM: guest RAM, passthrough device on the nest parent, vIOMMU, vDEVICE, nested HWPT from the guest's STE"
  - ioas:
      name: ioas0
  - map:
      ioas: ioas0
      iova: 0x8000_0000
      length: 0x40_0000
      pa: 0x2_0000_0000
  - bind:
      name: dev0
      sids: [0x100]
  - hwpt:
      name: s2
      device: dev0
      ioas: ioas0
      nest_parent: true
  - attach:
      device: dev0
      pt: s2
  - viommu:
      name: vi0
      device: dev0
      hwpt: s2
  - mmap:
      name: win0
      viommu: vi0
  - vdevice:
      name: vdev0
      viommu: vi0
      device: dev0
      virt_id: 0x10
  - hwpt:
      name: nested0
      device: dev0
      ioas: vi0
      ste: [0x8020_000B, 0x1000_0000]
  - attach:
      device: dev0
      pt: nested0
  - veventq:
      name: evq0
      viommu: vi0
      depth: 16
  - hw_queue:
      name: q0
      viommu: vi0
      index: 0
      iova: 0x8010_0000
      length: 0x1000
  - hw_queue:
      name: q1
      viommu: vi0
      index: 1
      iova: 0x8011_0000
      length: 0x1000
  - expect_register:
      name: VINTF1_CONFIG
      value: 0x1
      mask: 0x1
  - note: "guest: enable both LVCMDQs and invalidate through LVCMDQ0"
  - guest_enable:
      window: win0
      queue: 0
  - guest_enable:
      window: win0
      queue: 1
  - expect_commands:
  - guest_submit:
      window: win0
      queue: 0
      commands:
        - op: TLBI_NH_ASID
          asid: 5
        - op: ATC_INV
          sid: 0x10
          addr: 0x4000
        - op: TLBI_NH_VA
          asid: 5
          addr: 0x1000
  - expect_commands:
      - op: TLBI_NH_ASID
        asid: 5
        vmid: s2
        source: VINTF1/LVCMDQ0
      - op: ATC_INV
        sid: 0x100
        vsid: 0x10
        source: VINTF1/LVCMDQ0
      - op: TLBI_NH_VA
        asid: 5
        vmid: s2
        addr: 0x1000
      - op: CMD_SYNC
  - note: "guest: CFGI_STE is not allowed from a guest-owned VINTF"
  - guest_submit:
      window: win0
      queue: 1
      commands:
        - op: CFGI_STE
          sid: 0x10
      expect_error: ILL_ACCESS
  - expect_events:
      veventq: evq0
      count: 1
      lvcmdq_err_map: [0x2, 0]
  - guest_ack:
      window: win0
      queue: 1
  - note: "VMM teardown: queues must go in descending order"
  - destroy:
      name: q0
      expect: EBUSY
  - destroy:
      name: q1
  - destroy:
      name: q0
  - note: "a misbehaving host driver maps LVCMDQ1 of VINTF1 while LVCMDQ0 is unmapped"
  - write:
      offset: 0x20C
      value: 0x8003
  - expect_violation: LVCMDQ-MAP-ASCENDING
  - note: "unmap it again (read-modify-write of ALLOC only, as tegra241_vcmdq_unmap_lvcmdq does)"
  - write:
      offset: 0x20C
      value: 0x8002
  - munmap:
      window: win0
  - close:

"""#
}
