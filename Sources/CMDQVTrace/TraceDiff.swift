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
    var li = 0, ri = 0
    return firstDivergence(
      left: { () -> TraceRecord? in
        defer { li += 1 }
        return li < left.count ? left[li] : nil
      },
      right: { () -> TraceRecord? in
        defer { ri += 1 }
        return ri < right.count ? right[ri] : nil
      })
  }

  /// The same, pulling records one at a time (`nil` ends a trace), so two
  /// traces of any length are compared in memory for `context` records
  /// (`cmdqv trace diff` over two ``TraceRecordCursor``s).
  public func firstDivergence(
    left nextLeft: () throws -> TraceRecord?, right nextRight: () throws -> TraceRecord?
  ) rethrows -> Divergence? {
    var left = Side(), right = Side()
    var context: [String] = []
    while true {
      let l = try left.nextKept(nextLeft, collapsing: self)
      let r = try right.nextKept(nextRight, collapsing: self)
      if l == nil && r == nil { return nil }
      if let l, let r, comparable(l.record) == comparable(r.record) {
        if options.context > 0 {
          if context.count == options.context { context.removeFirst() }
          context.append(l.record.textLine)
        }
        continue
      }
      var report = "traces diverge at "
      report += l.map { "left record \($0.index + 1) (seq \($0.record.seq))" } ?? "the end of left (\(left.count) records)"
      report += " / "
      report += r.map { "right record \($0.index + 1) (seq \($0.record.seq))" } ?? "the end of right (\(right.count) records)"
      report += "\n"
      for line in context { report += "  \(line)\n" }
      report += "- " + (l?.record.textLine ?? "(end of trace)") + "\n"
      report += "+ " + (r?.record.textLine ?? "(end of trace)") + "\n"
      return Divergence(
        leftIndex: l?.index, rightIndex: r?.index, left: l?.record, right: r?.record, context: context, report: report)
    }
  }

  /// One trace being walked: the records read so far and the last one kept
  /// (a poll repeating it is skipped).
  private struct Side {
    var count = 0
    var lastKept: TraceRecord?

    mutating func nextKept(
      _ next: () throws -> TraceRecord?, collapsing diff: TraceDiff
    ) rethrows -> (index: Int, record: TraceRecord)? {
      while let record = try next() {
        count += 1
        if diff.options.collapsePolls, record.kind == .mmioRead, let last = lastKept, diff.isSamePoll(last, record) {
          continue
        }
        lastKept = record
        return (count - 1, record)
      }
      return nil
    }
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

  fileprivate func isSamePoll(_ a: TraceRecord, _ b: TraceRecord) -> Bool {
    a.kind == .mmioRead && b.kind == .mmioRead && a.initiator == b.initiator && a.map == b.map
      && a.offset == b.offset && a.width == b.width && a.value == b.value
  }

  /// The record with the keys that are not compared cleared.
  fileprivate func comparable(_ r: TraceRecord) -> TraceRecord {
    var r = r
    r.seq = 0
    if !options.compareCycles { r.cycle = 0 }
    return r
  }
}
