/// `regmapgen dump --json`: every concrete register instance, one JSON object
/// per line inside a JSON array, in map, block, index and register order.
public enum JSONDumper {
  /// Calls `emit` with the output in chunks (the full CMDQV map has tens of
  /// thousands of instances: streaming keeps memory flat).
  public static func dump(_ maps: [RegisterMapSpec], emit: (String) -> Void) {
    emit("[\n")
    var first = true
    for map in maps {
      for block in map.blocks {
        let fieldsJSON = block.registers.map { reg in
          "[" + reg.fields.map { f in
            "{\"name\":\(string(f.name)),\"lsb\":\(f.lsb),\"msb\":\(f.msb),\"access\":\(string(f.access))}"
          }.joined(separator: ",") + "]"
        }
        forEachIndex(block.dimensions) { indices in
          var chunk = ""
          var blockBase = block.offset
          var prefix = block.dimensions.isEmpty ? block.prefix + "_" : ""
          for (i, d) in zip(indices, block.dimensions) {
            blockBase += i * d.stride
            prefix += "\(d.label)\(i)_"
          }
          for (ri, reg) in block.registers.enumerated() {
            for n in 0..<reg.count {
              let name = prefix + reg.name + (reg.count > 1 ? "\(n)" : "")
              let offset = blockBase + reg.offset + n * reg.stride
              if !first { chunk += ",\n" }
              first = false
              chunk += "{\"map\":\(string(map.name)),\"name\":\(string(name)),\"offset\":\(offset),\"width\":\(reg.width),\"reset\":\(reg.reset),\"fields\":\(fieldsJSON[ri])}"
            }
          }
          emit(chunk)
        }
      }
    }
    emit("\n]\n")
  }

  static func forEachIndex(_ dims: [DimensionSpec], _ body: ([Int]) -> Void) {
    var indices = [Int](repeating: 0, count: dims.count)
    func walk(_ level: Int) {
      if level == dims.count { body(indices); return }
      for i in 0..<dims[level].count {
        indices[level] = i
        walk(level + 1)
      }
    }
    walk(0)
  }

  /// A JSON string literal.
  static func string(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case _ where c.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }
}
