// swift-tools-version:6.0
import PackageDescription

// A harness package that tests a VMM flow against CMDQV through its public
// API only. `path:` points at a checkout of CMDQV (here: the repository this
// example lives in).
let package = Package(
  name: "Harness",
  dependencies: [
    .package(name: "CMDQV", path: "../../..")
  ],
  targets: [
    .testTarget(
      name: "HarnessTests",
      dependencies: [
        .product(name: "CMDQVTestSupport", package: "CMDQV"),  // CMDQVSystem, GuestVM, TraceCapture
        .product(name: "CMDQVModel", package: "CMDQV"),  // CMDQVConfiguration, QueueSelector
        .product(name: "IOMMUFD", package: "CMDQV"),  // Errno, GuestLVCMDQ, Tegra241IOMMUDriver
        .product(name: "CMDQVTrace", package: "CMDQV"),  // ExpectedWrite, TraceRecord
        .product(name: "CMDQVRegisters", package: "CMDQV"),  // SMMUCommand, CommandErrorCode
      ])
  ]
)
