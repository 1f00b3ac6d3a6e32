import Foundation
import ReplyTensorSubnet

/// The subnet miners' reputation in `status`: per uid, how many of its answers were chosen, agreed with the chosen
/// one, were outvoted or filtered, how many queries failed, and whether it is cooling down (from the miner-health
/// records in the store).
extension StatusReport {
    struct MinerLine {
        var hotkey: String
        var record: MinerHealth.Record
    }

    func minerText(now: Date = Date()) -> [String] {
        guard !miners.isEmpty else { return [] }
        var lines = ["Subnet miners (answers chosen / agreed / outvoted / filtered, failed queries):"]
        for miner in miners {
            let record = miner.record
            var line = "  \(record.uid.map { "uid \($0)" } ?? "uid ?") \(miner.hotkey.prefix(8))…: "
                + "chosen \(record.chosen), agreed \(record.agreed), outvoted \(record.outvoted), "
                + "filtered \(record.filtered), failed \(record.failures)"
            if let until = record.cooldownUntil, until > now { line += "; cooling down until \(until.formatted(.iso8601))" }
            if let last = record.lastError { line += "; last: \(last)" }
            lines.append(line)
        }
        return lines
    }

    func minerObjects() -> [[String: Any]] {
        miners.map { miner in
            let record = miner.record
            var object: [String: Any] = ["hotkey": miner.hotkey, "chosen": record.chosen, "agreed": record.agreed,
                                         "outvoted": record.outvoted, "filtered": record.filtered,
                                         "failed": record.failures, "strikes": record.strikes]
            if let uid = record.uid { object["uid"] = Int(uid) }
            if let until = record.cooldownUntil { object["cooldown_until"] = until.formatted(.iso8601) }
            if let last = record.lastError { object["last_error"] = last }
            return object
        }
    }

    static func miners(in values: [String: String]) -> [MinerLine] {
        MinerHealth.records(in: values).map { MinerLine(hotkey: $0.hotkey, record: $0.record) }
    }
}
