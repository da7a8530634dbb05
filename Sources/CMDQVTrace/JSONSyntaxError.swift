/// A problem at a byte column of one JSON line.
struct JSONSyntaxError: Error {
  var column: Int
  var message: String
}
