/// `"VINTF1_CONFIG"` stands for `ExpectedWrite("VINTF1_CONFIG")`: any value.
extension ExpectedWrite: ExpressibleByStringLiteral {
  public init(stringLiteral name: String) { self.init(name) }
}
