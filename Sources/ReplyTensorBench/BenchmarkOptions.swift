import Foundation

/// The command line: the benchmark's name first, then `--peer` and `--python PATH`.
struct BenchmarkOptions {
    var command = "all"
    /// `telegram --peer`: the side-by-side run with python-telegram-bot.
    var peer = false
    /// The interpreter that runs the python-telegram-bot bot; default `.venv/bin/python` in the current directory.
    var python: String?
    /// `engine --store URL`: the engine on a shared PostgreSQL store, with 1 and 3 replicas (password from
    /// REPLYTENSOR_STORE_PASSWORD).
    var store: String?

    init<Arguments: Sequence<String>>(_ arguments: Arguments) {
        var iterator = arguments.makeIterator()
        var sawCommand = false
        while let argument = iterator.next() {
            switch argument {
            case "--peer": peer = true
            case "--python": python = iterator.next()
            case "--store": store = iterator.next()
            default:
                if !sawCommand {
                    command = argument
                    sawCommand = true
                }
            }
        }
    }

    /// The peer bot's interpreter: `--python`, else the repository's `.venv/bin/python` (the bench runs from the root).
    func pythonPath() throws -> String {
        let path = python ?? FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkError("no python at \(path): run scripts/setup.sh and start the bench from the repository "
                                 + "root, or pass --python PATH (an interpreter with python-telegram-bot 22.x)")
        }
        return path
    }

    /// scripts/bench/ptb_bot.py under the current directory.
    func peerScript() throws -> String {
        let path = FileManager.default.currentDirectoryPath + "/scripts/bench/ptb_bot.py"
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchmarkError("no \(path): run the bench from the repository root")
        }
        return path
    }
}
