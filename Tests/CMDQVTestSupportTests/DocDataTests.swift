import Foundation
import RegisterMapKit
import Testing

/// Data blocks in the docs that a reader would copy: they load.
@Suite struct DocDataTests {
  static func block(after marker: String, in file: String) throws -> String {
    let doc = try String(contentsOfFile: repositoryRoot + "/" + file, encoding: .utf8)
    let start = try #require(doc.range(of: "<!-- \(marker) -->\n"))
    let open = try #require(doc.range(of: "\n", range: start.upperBound..<doc.endIndex))
    let close = try #require(doc.range(of: "\n```", range: open.upperBound..<doc.endIndex))
    return String(doc[open.upperBound..<close.lowerBound]) + "\n"
  }

  /// The demo map in Docs/RegisterMapFormat.md is a valid register map.
  @Test func registerMapFormatExampleLoads() throws {
    let text = try Self.block(after: "checked-by: registerMapFormatExampleLoads", in: "Docs/RegisterMapFormat.md")
    let map = try RegisterMapLoader.load(text: text, file: "RegisterMapFormat.md")
    #expect(map.name == "demo")
  }
}
