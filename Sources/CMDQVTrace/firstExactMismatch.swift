/// Checks that `writes` (MMIO write records) are exactly `expected`: the same
/// number, each matching in order. Returns `nil` when they are, else a report:
/// the expected and recorded writes side by side around the first difference,
/// marked ✓ (matched), ✗ (the first difference) and · (not compared).
public func firstMismatch(expectedExactly expected: [ExpectedWrite], in writes: [TraceRecord]) -> String? {
  var k = 0
  while k < expected.count, k < writes.count, expected[k].matches(writes[k]) { k += 1 }
  if k == expected.count && k == writes.count { return nil }
  let total = max(expected.count, writes.count)
  let shown = max(0, k - 3)..<min(total, k + 8)
  let width = expected[min(shown.lowerBound, expected.count)..<min(shown.upperBound, expected.count)]
    .map(\.description.count).max() ?? 0
  func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
  var out = "writes differ from the expected sequence at write \(k + 1) "
    + "(expected \(expected.count) writes, recorded \(writes.count)):\n"
  if shown.lowerBound > 0 { out += "  … \(shown.lowerBound) matching writes\n" }
  for i in shown {
    let mark = i < k ? "✓" : (i == k ? "✗" : "·")
    let e = i < expected.count ? expected[i].description : "(no more expected)"
    let w = i < writes.count ? writes[i].textLine : "(no more writes)"
    out += "  \(mark) \(pad(e))  \(w)\n"
  }
  if shown.upperBound < total { out += "  … \(total - shown.upperBound) more\n" }
  return out
}
