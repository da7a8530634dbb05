extension IOMMUFDContext {
  /// The records waiting on a vEVENTQ, oldest first, without dequeuing them
  /// (what a `read()` would return next, before the size of the reader's
  /// buffer decides how many it takes). Bad `veventq` → `ENOENT`.
  public func pendingEvents(_ veventqID: UInt32) throws(Errno) -> [VEvent] {
    (try lookup(veventqID, .veventq, "vEVENTQ peek") as! VEventQueue).queue
  }
}
