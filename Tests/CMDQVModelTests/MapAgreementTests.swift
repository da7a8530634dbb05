import CMDQVRegisters
import Testing

@testable import CMDQVModel

@Suite struct MapAgreementTests {
  @Test(arguments: RegisterKind.allCases)
  func privateMasksMatchGeneratedMap(kind: RegisterKind) {
    let info = kind.info
    #expect(
      kind.privateWritableMask == info.writableMask,
      "\(kind): private 0x\(String(kind.privateWritableMask, radix: 16)) generated 0x\(String(info.writableMask, radix: 16)) w1c 0x\(String(info.w1cMask, radix: 16)) reset 0x\(String(info.reset, radix: 16))")
    #expect(kind.width == info.width, "\(kind) width")
    #expect(kind.allows64 == info.accessWidths.contains(64), "\(kind) 64-bit access")
    #expect(info.w1cMask == 0, "\(kind) has W1C bits")
  }
}
