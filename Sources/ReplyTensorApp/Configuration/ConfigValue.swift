import ReplyTensorCore
import TOMLKit

/// A parsed TOML value, detached from the parser.
typealias ConfigValue = SettingValue

extension SettingValue {
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
