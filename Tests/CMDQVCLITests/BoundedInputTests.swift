import Testing

@testable import CMDQVCLI

/// `cmdqv step` reads its commands in bounded lines.
@Suite struct BoundedInputTests {
  func input(_ bytes: [UInt8], endless: UInt8? = nil) -> CLIInput {
    var i = 0
    return CLIInput(bytes: {
      defer { i += 1 }
      return i < bytes.count ? bytes[i] : endless
    })
  }

  @Test func linesAreSplitLikeReadLine() {
    let lines = input(Array("next\r\nstep 3\n\nq".utf8))
    #expect(lines.readLine() == "next")
    #expect(lines.readLine() == "step 3")
    #expect(lines.readLine() == "")
    #expect(lines.readLine() == "q")
    #expect(lines.readLine() == nil)
    #expect(lines.error == nil)
  }

  @Test func anEndlessLineEndsTheInputAfterTheCap() {
    // Like /dev/zero on stdin: NUL bytes, never a newline.
    let lines = input([], endless: 0)
    #expect(lines.readLine() == nil)
    #expect(lines.error == "input line longer than 65536 bytes")
    #expect(lines.readLine() == nil)
  }

  @Test func aLineAtTheCapIsRead() {
    let lines = input(Array(repeating: UInt8(ascii: "x"), count: CLIInput.maxLineBytes) + [10])
    #expect(lines.readLine()?.utf8.count == CLIInput.maxLineBytes)
  }

  @Test func stepSessionEndsWithExitTwoOnAnOverlongLine() {
    let out = CLIOutput { _ in }
    var err = ""
    let status = CMDQVCommand.main(
      arguments: ["step"], stdin: input(Array("regs CONFIG\n".utf8), endless: 0), stdout: out,
      stderr: CLIOutput { err += $0 })
    #expect(status == 2)
    #expect(err == "cmdqv step: error: input line longer than 65536 bytes\n")
  }
}
