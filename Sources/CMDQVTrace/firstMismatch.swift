/// Checks that `expected` appears, in order, as a subsequence of the MMIO
/// writes in `records` (reads, polls and unrelated writes in between are
/// ignored). Returns `nil` when it does, else a readable report: the expected
/// list marked ✓ (matched, with the matching line), ✗ (the first one not
/// found) and · (not checked), the nearest write to the missing target, and
/// the actual writes from where matching stopped.
public func firstMismatch(
  expectedSubsequence expected: [ExpectedWrite], in records: [TraceRecord], window: Int = 8
) -> String? {
  let writes = records.writes()
  var position = 0
  var matched: [TraceRecord] = []
  for e in expected {
    guard let j = writes[position...].firstIndex(where: e.matches) else { break }
    matched.append(writes[j])
    position = j + 1
  }
  guard matched.count < expected.count else { return nil }

  let failed = expected[matched.count]
  let after = matched.last.map { "#\($0.seq)" } ?? "the start"
  let width = expected.map(\.description.count).max() ?? 0
  func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
  var out = "expected writes not found in order (matched \(matched.count) of \(expected.count)):\n"
  for (k, e) in expected.enumerated() {
    if k < matched.count {
      out += "  ✓ \(pad(e.description))  \(matched[k].textLine)\n"
    } else if k == matched.count {
      out += "  ✗ \(pad(e.description))  not found after \(after)\n"
    } else {
      out += "  · \(e.description)\n"
    }
  }
  if let near = writes[position...].first(where: failed.targets) {
    out += "nearest write to that target after \(after): \(near.textLine)\n"
  } else {
    out += "no write to that target after \(after)\n"
  }
  let tail = writes[position...]
  if tail.isEmpty {
    out += "no writes after \(after) (\(writes.count) writes in total)\n"
  } else {
    out += "actual writes after \(after):\n"
    for r in tail.prefix(window) { out += "  \(r.textLine)\n" }
    if tail.count > window { out += "  … \(tail.count - window) more\n" }
  }
  return out
}
