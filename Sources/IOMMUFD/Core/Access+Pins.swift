extension Access {
  /// Whether this access pins any page of `area`.
  func pins(_ area: IOAS.Area) -> Bool {
    pinnedPages.keys.contains { $0 >= area.iova && $0 <= area.last }
  }

  /// The number of distinct pinned pages.
  public var pinnedPageCount: Int { pinnedPages.count }
}
