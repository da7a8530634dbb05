// swift-tools-version:6.0
import PackageDescription

// No package dependencies: only the toolchain (stdlib, Foundation, Swift Testing).
let package = Package(
  name: "CMDQV",
  products: [
    .library(name: "CMDQVRegisters", targets: ["CMDQVRegisters"]),
    .library(name: "CMDQVModel", targets: ["CMDQVModel"]),
    .library(name: "IOMMUFD", targets: ["IOMMUFD"]),
    .library(name: "CMDQVTrace", targets: ["CMDQVTrace"]),
    .library(name: "IOMMUFDUAPI", targets: ["IOMMUFDUAPI"]),
    .library(name: "CMDQVTestSupport", targets: ["CMDQVTestSupport"]),
    // The C library (libcmdqvc.so, header Sources/CCMDQV/include/cmdqv.h) and
    // the LD_PRELOAD shim (libcmdqv-preload.so): Docs/C.md.
    .library(name: "cmdqvc", type: .dynamic, targets: ["CMDQVCLibrary"]),
    .library(name: "cmdqv-preload", type: .dynamic, targets: ["CMDQVPreload"]),
    .library(name: "RegisterMapKit", targets: ["RegisterMapKit"]),
    .executable(name: "regmapgen", targets: ["regmapgen"]),
    .executable(name: "cmdqv", targets: ["cmdqv"]),
    .executable(name: "cmdqv-bench", targets: ["cmdqv-bench"]),
  ],
  targets: [
    // Generator side: YAML subset, schema, validation, Swift/Markdown/JSON output.
    .target(name: "RegisterMapKit"),
    .executableTarget(name: "regmapgen", dependencies: ["RegisterMapKit"]),

    // Runtime register layer: generated types + MMIOBus and the memory/clock seams.
    .target(name: "CMDQVRegisters"),

    // The hardware model, the driver layer and the trace library each see only
    // the register layer. The driver never imports the model.
    .target(name: "CMDQVModel", dependencies: ["CMDQVRegisters"]),
    .target(name: "IOMMUFD", dependencies: ["CMDQVRegisters"]),
    .target(name: "CMDQVTrace", dependencies: ["CMDQVRegisters"]),

    // The iommufd uAPI at byte level: cmdqv.h's structs (CCMDQV) decoded over
    // raw memory, dispatched to IOMMUFD. Never imports the model.
    .target(name: "CCMDQV"),
    .target(name: "CCMDQVSupport"),
    .target(name: "IOMMUFDUAPI", dependencies: ["IOMMUFD", "CMDQVRegisters", "CCMDQV", "CCMDQVSupport"]),

    // Harness wiring, scenarios and the CLI's logic.
    .target(
      name: "CMDQVTestSupport",
      dependencies: ["CMDQVRegisters", "CMDQVModel", "IOMMUFD", "IOMMUFDUAPI", "CMDQVTrace", "RegisterMapKit"]),

    // The C ABI: @_cdecl functions over a CMDQVSystem (libcmdqvc), the
    // LD_PRELOAD shim on top of it, and the C programs that prove both.
    .target(
      name: "CMDQVCLibrary",
      dependencies: ["CMDQVTestSupport", "IOMMUFDUAPI", "CCMDQV", "CCMDQVSupport", "CMDQVTrace"]),
    .target(name: "CMDQVPreload", dependencies: ["CMDQVCLibrary", "CCMDQV"]),
    .target(name: "CMDQVCLI", dependencies: ["CMDQVTestSupport", "RegisterMapKit"]),
    .executableTarget(name: "cmdqv", dependencies: ["CMDQVCLI"]),
    .executableTarget(
      name: "cmdqv-bench", dependencies: ["CMDQVModel", "CMDQVRegisters", "IOMMUFD", "CMDQVTrace", "CMDQVTestSupport"]),

    .testTarget(name: "RegisterMapKitTests", dependencies: ["RegisterMapKit", "CMDQVRegisters"]),
    .testTarget(name: "CMDQVRegistersTests", dependencies: ["CMDQVRegisters"]),
    .testTarget(name: "CMDQVModelTests", dependencies: ["CMDQVModel", "CMDQVRegisters"]),
    .testTarget(
      name: "IOMMUFDTests", dependencies: ["IOMMUFD", "CMDQVRegisters", "CMDQVModel", "CMDQVTestSupport"]),
    .testTarget(
      name: "IOMMUFDUAPITests",
      dependencies: ["IOMMUFDUAPI", "IOMMUFD", "CCMDQV", "CMDQVRegisters", "CMDQVModel", "CMDQVTestSupport"]),
    .testTarget(name: "CMDQVTraceTests", dependencies: ["CMDQVTrace", "CMDQVRegisters"]),
    .testTarget(name: "CMDQVTestSupportTests", dependencies: ["CMDQVTestSupport"]),
    .testTarget(name: "CMDQVCLITests", dependencies: ["CMDQVCLI"]),
  ],
  swiftLanguageModes: [.v6]
)
