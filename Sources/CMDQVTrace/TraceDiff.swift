/// Compares two traces and reports the first place they differ.
///
/// Semantics (see `Docs/Tracing.md`):
/// * `seq` is never compared (two runs number events differently once
///   anything differs).
/// * `cycle` is ignored unless ``Options/compareCycles``: cycles shift as soon
///   as one run polls longer, which poll collapsing deliberately tolerates.
/// * A run of consecutive `mmio_r` records with the same initiator, map,
///   offset, width and value counts as one record (a poll loop), so runs that
///   polled STATUS a different number of times do not diverge there.
/// * Everything else (kind, initiator, aperture, offset, width, value,
///   old/new, reg, fields and the payload keys) must be equal.
public struct TraceDiff {
  public struct Options: Sendable {
    public var compareCycles: Bool
    public var collapsePolls: Bool
    /// Records shown before the divergence.
    public var context: Int

    public init(compareCycles: Bool = false, collapsePolls: Bool = true, context: Int = 3) {
      self.compareCycles = compareCycles
      self.collapsePolls = collapsePolls
      self.context = context
    }
  }

  /// The first difference: the positions (indices into the inputs, `nil` when
  /// that trace ended) and records on each side.
  public struct Divergence: Sendable {
    public var leftIndex: Int?
    public var rightIndex: Int?
    public var left: TraceRecord?
    public var right: TraceRecord?
    /// The records just before the divergence (equal on both sides, as the
    /// left trace has them), rendered as text.
    public var context: [String]
    /// A readable report: context, then `- left` / `+ right`.
    public var report: String
  }

  public var options: Options

  public init(options: Options = Options()) { self.options = options }

  /// The first divergence of `right` from `left`, or `nil` when they are
  /// equal under the options.
  public func firstDivergence(_ left: [TraceRecord], _ right: [TraceRecord]) -> Divergence? {
    let a = collapsed(left), b = collapsed(right)
    var k = 0
    while k < a.count, k < b.count, comparable(left[a[k]]) == comparable(right[b[k]]) { k += 1 }
    if k == a.count && k == b.count { return nil }
    let li = k < a.count ? a[k] : nil
    let ri = k < b.count ? b[k] : nil
    let context = a[max(0, k - options.context)..<k].map { left[$0].textLine }
    let l = li.map { left[$0] }, r = ri.map { right[$0] }
    var report = "traces diverge at "
    report += li.map { "left record \($0 + 1) (seq \(left[$0].seq))" } ?? "the end of left (\(left.count) records)"
    report += " / "
    report += ri.map { "right record \($0 + 1) (seq \(right[$0].seq))" } ?? "the end of right (\(right.count) records)"
    report += "\n"
    for line in context { report += "  \(line)\n" }
    report += "- " + (l?.textLine ?? "(end of trace)") + "\n"
    report += "+ " + (r?.textLine ?? "(end of trace)") + "\n"
    return Divergence(leftIndex: li, rightIndex: ri, left: l, right: r, context: context, report: report)
  }

  /// Indices of the records that remain after collapsing poll runs.
  func collapsed(_ records: [TraceRecord]) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(records.count)
    for (i, r) in records.enumerated() {
      if options.collapsePolls, r.kind == .mmioRead, let last = out.last, isSamePoll(records[last], r) { continue }
      out.append(i)
    }
    return out
  }

  private func isSamePoll(_ a: TraceRecord, _ b: TraceRecord) -> Bool {
    a.kind == .mmioRead && b.kind == .mmioRead && a.initiator == b.initiator && a.map == b.map
      && a.offset == b.offset && a.width == b.width && a.value == b.value
  }

  /// The record with the keys that are not compared cleared.
  private func comparable(_ r: TraceRecord) -> TraceRecord {
    var r = r
    r.seq = 0
    if !options.compareCycles { r.cycle = 0 }
    return r
  }
}
