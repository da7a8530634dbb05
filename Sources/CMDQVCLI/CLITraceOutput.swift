import CMDQVTrace

/// `--trace -`: trace bytes to the command's stdout.
final class CLITraceOutput: TraceOutput {
  let output: CLIOutput
  init(_ output: CLIOutput) { self.output = output }
  func write(_ bytes: [UInt8]) throws { output.write(String(decoding: bytes, as: UTF8.self)) }
  func flush() throws {}
  func close() throws {}
}
