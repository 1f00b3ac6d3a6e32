import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// `replytensor-bench subnet`: signed queries per second from our dendrite to our axon on loopback; CPU seconds per
/// query for our dendrite and for bittensor's Python Dendrite against the same axon (run in a child process so
/// only the client's CPU is counted); decode time of a 1,024-neuron metagraph.
enum SubnetBenchmark {
    static let axonSeed: UInt8 = 0x5a

    /// `replytensor-bench subnet-axon`: serves our axon until terminated; prints {"port","hotkey"}.
    static func serveAxon() async throws {
        let axon = try await LocalAxon.start(keypair: try LocalSubnet.keypair(seed: axonSeed),
                                             responder: { "bench answer to: " + ($0.messages.last ?? "") })
        FileHandle.standardOutput.write(Data("{\"port\":\(axon.port),\"hotkey\":\"\(axon.hotkey)\"}\n".utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    static func run() async throws {
        try decodeBenchmark()
        let child = ChildProcess(executable: URL(fileURLWithPath: CommandLine.arguments[0]), arguments: ["subnet-axon"],
                                 output: .pipe)
        try child.start()
        defer { child.signal(SIGTERM) }
        let object = try child.announcement()
        guard let port = object["port"] as? Int, let hotkey = object["hotkey"] as? String else {
            throw BenchmarkError("the axon child did not start")
        }
        let target = AxonTarget(host: "127.0.0.1", port: port, hotkey: hotkey)
        let http = CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1"))
        let dendrite = Dendrite(keypair: try LocalSubnet.keypair(seed: 0x5b), http: http)
        let synapse = PromptingSynapse(kind: .prompting, roles: ["system", "user"], messages: ["Be brief.", "tell me a joke"])

        // Warm-up.
        for _ in 0..<20 { _ = try await dendrite.query(synapse, to: target, timeout: .seconds(10)) }

        // Throughput with 16 queries in flight.
        let total = 2_000, inFlight = 16
        var start = ContinuousClock.now
        let ok = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<inFlight {
                group.addTask {
                    var count = 0
                    for _ in stride(from: worker, to: total, by: inFlight) {
                        if (try? await dendrite.query(synapse, to: target, timeout: .seconds(10)))?.status == 200 { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        var elapsed = (ContinuousClock.now - start).seconds
        report(["benchmark": "subnet.dendrite_to_axon_qps", "queries": total, "ok": ok, "in_flight": inFlight,
                "seconds": elapsed, "queries_per_second": Double(ok) / elapsed])

        // Client CPU per query, sequential.
        let sequential = 500
        let cpuBefore = processCPUSeconds()
        start = ContinuousClock.now
        var sequentialOK = 0
        for _ in 0..<sequential where (try? await dendrite.query(synapse, to: target, timeout: .seconds(10)))?.status == 200 {
            sequentialOK += 1
        }
        elapsed = (ContinuousClock.now - start).seconds
        let ourCPU = (processCPUSeconds() - cpuBefore) / Double(sequential)
        report(["benchmark": "subnet.dendrite_cpu_per_query", "client": "replytensor", "queries": sequential,
                "ok": sequentialOK, "cpu_seconds_per_query": ourCPU, "wall_seconds_per_query": elapsed / Double(sequential)])

        // bittensor's Python Dendrite against the same axon.
        guard let python = ProcessInfo.processInfo.environment["REPLYTENSOR_PYTHON"], !python.isEmpty else {
            report(["benchmark": "subnet.dendrite_cpu_per_query", "client": "bittensor-10.5.0-python",
                    "skipped": "REPLYTENSOR_PYTHON is not set"])
            return
        }
        let script = PythonOracle.packageRoot.appendingPathComponent("Tests/BittensorTests/Oracles/dendrite_oracle.py")
        let pythonCount = 300
        let request: [String: Any] = ["port": port, "axon_hotkey": hotkey, "seed": String(repeating: "5c", count: 32),
                                      "synapse": "Prompting", "messages": ["Be brief.", "tell me a joke"], "modes": [],
                                      "bench": pythonCount]
        let answer = try PythonOracle.request([script.path], request)
        guard let bench = answer["bench"] as? [String: Any], let cpu = bench["cpu_seconds"] as? Double,
              let wall = bench["wall_seconds"] as? Double else { throw BenchmarkError("the python dendrite gave no figures") }
        let theirCPU = cpu / Double(pythonCount)
        report(["benchmark": "subnet.dendrite_cpu_per_query", "client": "bittensor-10.5.0-python", "queries": pythonCount,
                "ok": bench["ok"] ?? 0, "cpu_seconds_per_query": theirCPU, "wall_seconds_per_query": wall / Double(pythonCount)])
        report(["benchmark": "subnet.dendrite_cpu_ratio", "python_over_replytensor": theirCPU / ourCPU])
    }

    static func decodeBenchmark() throws {
        var neurons: [NeuronInfoLite] = []
        for uid in 0..<1024 {
            let key = Array(SHA3_256.hash(Array("hotkey-\(uid)".utf8)))
            let cold = Array(SHA3_256.hash(Array("coldkey-\(uid)".utf8)))
            neurons.append(NeuronInfoLite(
                hotkey: key, coldkey: cold, uid: UInt16(uid), netuid: 1, active: true,
                axon: AxonEndpoint(block: 4_000_000, version: 10_005_000, ipLow: 0x7f00_0001, port: UInt16(8000 + uid % 1000),
                                   ipType: 4, protocol: 4),
                stake: (0..<4).map { NeuronInfoLite.Stake(coldkey: cold, amount: UInt64(1_000_000_000 * ($0 + 1))) },
                rank: UInt16(uid * 37 % 65535), emission: UInt64(uid * 1_000_003), incentive: UInt16(uid * 61 % 65535),
                consensus: 30000, trust: 40000, validatorTrust: 0, dividends: 0, lastUpdate: 4_000_123,
                validatorPermit: uid % 16 == 0, pruningScore: 12345))
        }
        let bytes = NeuronInfoLite.encodeList(neurons)
        let rounds = 200
        _ = try NeuronInfoLite.decodeList(bytes)
        let start = ContinuousClock.now
        var count = 0
        for _ in 0..<rounds { count += try NeuronInfoLite.decodeList(bytes).count }
        let perDecode = (ContinuousClock.now - start).seconds / Double(rounds)
        report(["benchmark": "subnet.metagraph_decode", "neurons": 1024, "bytes": bytes.count, "rounds": rounds,
                "decoded": count / rounds, "milliseconds_per_decode": perDecode * 1000])
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
