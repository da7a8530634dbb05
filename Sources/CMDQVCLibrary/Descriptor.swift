import IOMMUFDUAPI

/// Which file a descriptor the library handed out belongs to.
enum Descriptor {
  /// An iommufd.
  case iommufd(CSystem, IOMMUFDFile)
  /// A vEVENTQ or fault-queue file of an iommufd (`file` is closed if the
  /// iommufd was closed first; the descriptor stays valid until closed).
  case event(CSystem, IOMMUFDFile)
}
