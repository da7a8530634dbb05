/// The sizes a register map may declare (`Docs/RegisterMapFormat.md`,
/// "Limits"). Checked arithmetically before anything is expanded, so a map
/// with a `count` of 2^60 is one positioned error, not an allocation.
public enum RegisterMapLimits {
  /// A map's offsets address one MMIO aperture of at most 4 GiB (a 32-bit
  /// offset): every instance of every register must end at or below
  /// 0x1_0000_0000. The Tegra241 CMDQV map spans about 8.5 MiB.
  public static let apertureBytes = 1 << 32
  /// Register instances per map (every block instance × every register
  /// instance): 1,048,576. The Tegra241 CMDQV map has about 69,000.
  public static let maxInstances = 1 << 20
  /// Dimensions per block.
  public static let maxDimensions = 4
  /// A register map file's size: 4 MiB (the shipped maps are under 20 KiB).
  public static let maxFileBytes = 4 << 20
}
