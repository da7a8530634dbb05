import Foundation
import Testing

@testable import RegisterMapKit

/// Runs regmapgen in-process; returns (status, stdout, stderr).
func regmapgen(_ args: [String]) -> (Int32, String, String) {
  var out = "", err = ""
  let status = RegMapGenCommand.run(args, currentDirectory: packageRoot, out: { out += $0 }, err: { err += $0 })
  return (status, out, err)
}

func writeTemp(_ text: String, name: String = "map.yaml") -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
  try? text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

@Suite struct RegMapGenCommandTests {
  @Test func checkAcceptsTheDefaultMaps() {
    let (status, out, err) = regmapgen(["check"] + RegisterMapLoader.defaultFiles(root: packageRoot))
    #expect(status == 0, "\(err)")
    #expect(out.contains("2 map(s) valid"))
  }

  @Test(arguments: [
    ("tab", "map: x\n\tswift_name: X\n"),
    ("duplicate", "map: x\nmap: y\n"),
    ("anchor", "map: &a x\n"),
    ("truncated", "map: x\nblocks:\n  - name: [A\n"),
    ("quote", "map: \"x\n"),
  ])
  func checkReportsOneErrorAndExits1(_ name: String, _ text: String) {
    let path = writeTemp(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, out, err) = regmapgen(["check", path])
    #expect(status == 1, "\(name)")
    #expect(out.isEmpty)
    let lines = err.split(separator: "\n").filter { !$0.contains(": note:") }
    #expect(lines.count == 1, "\(name): \(err)")
    #expect(lines.first?.hasPrefix(path + ":") == true, "\(name): \(err)")
    #expect(err.contains(": error: "))
  }

  @Test func missingFileIsAnErrorNotACrash() {
    let (status, _, err) = regmapgen(["check", "/nonexistent/map.yaml"])
    #expect(status == 1)
    #expect(err.contains("/nonexistent/map.yaml:1:1: error: cannot read file"))
  }

  @Test(arguments: [["bogus"], ["check"], ["dump"], ["dump", "--xml"], ["--root"], ["generate", "extra"]])
  func badArgumentsExit2WithUsage(_ args: [String]) {
    let (status, _, err) = regmapgen(args)
    #expect(status == 2)
    #expect(err.contains("usage: regmapgen"))
  }

  @Test func dumpListsKernelOffsets() throws {
    let (status, out, err) = regmapgen(["dump", "--json"])
    #expect(status == 0, "\(err)")
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
    var offsets: [String: Int] = [:]
    for e in entries where e["map"] as? String == "tegra241_cmdqv" { offsets[e["name"] as! String] = e["offset"] as? Int }
    // Addresses from the TEGRA241_* defines of tegra241-cmdqv.c.
    #expect(offsets["CMDQV_CMDQ_ALLOC5"] == 0x214)
    #expect(offsets["VINTF1_CONFIG"] == 0x1100)
    #expect(offsets["VINTF1_SID_MATCH0"] == 0x1140)
    #expect(offsets["VINTF1_SID_REPLACE0"] == 0x1180)
    #expect(offsets["VINTF1_LVCMDQ_ERR_MAP1"] == 0x11C8)
    #expect(offsets["VCMDQ3_BASE"] == 0x20180)
    #expect(offsets["VINTF1_LVCMDQ1_CONS"] == 0x50080)
    #expect(offsets["VINTF1_LVCMDQ1_BASE"] == 0x60080)
    let config = try #require(entries.first { $0["name"] as? String == "CMDQV_CONFIG" })
    #expect(config["reset"] as? Int == 0x0002_0083)
    #expect(config["width"] as? Int == 32)
    let fields = try #require(config["fields"] as? [[String: Any]])
    #expect(fields.first?["name"] as? String == "CMDQV_EN")
    #expect(fields.first?["access"] as? String == "rw")
    let smmu = try #require(entries.first { $0["name"] as? String == "SMMU_CMDQ_BASE" })
    #expect(smmu["offset"] as? Int == 0x90)
    #expect(smmu["width"] as? Int == 64)
  }
}
