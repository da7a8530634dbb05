import CMDQVModel
import IOMMUFD

/// `po system` / `print(system)`: the device in one line per queue and the
/// iommufd object table; the mirror (lldb `p`) holds the same, never the
/// memory model's page table.
extension CMDQVSystem: CustomStringConvertible, CustomReflectable {
  public var description: String { "CMDQVSystem\n\(device.description)\n\(context.description)" }

  public var customMirror: Mirror {
    Mirror(
      self, children: ["device": device, "objects": context.objectTable, "memory": device.memory],
      displayStyle: .class)
  }
}
