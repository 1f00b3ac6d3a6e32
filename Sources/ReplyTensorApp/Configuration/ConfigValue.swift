import TOMLKit

/// A parsed TOML value, detached from the parser.
indirect enum ConfigValue: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])
    case other(String)

    /// What the value is, as error messages name it.
    var kind: String {
        switch self {
        case .string(let value): return "string \"\(value.prefix(40))\""
        case .int(let value): return "integer \(value)"
        case .double(let value): return "number \(value)"
        case .bool(let value): return "boolean \(value)"
        case .array: return "array"
        case .table: return "table"
        case .other(let type): return type
        }
    }

    static func parse(_ text: String) throws -> [String: ConfigValue] {
        let table = try TOMLTable(string: text)
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for key in table.keys {
            if let value = table[key] { result[key] = convert(value) }
        }
        return result
    }

    private static func convert(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array((value.array ?? []).map { convert($0) })
        case .table: return .table(value.table.map(convert) ?? [:])
        default: return .other(value.type.description)
        }
    }
}
