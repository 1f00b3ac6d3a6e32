import Foundation
import Synchronization

/// A private PostgreSQL server for tests and the sandbox: `initdb` into a temporary folder (password authentication,
/// user `replytensor`), listening on 127.0.0.1 on a free port with its unix sockets in that folder, started with
/// `pg_ctl start -w`. Nothing depends on a system service. PostgreSQL refuses to run as root, so as root the server
/// programs run as the `postgres` system user (`runuser`). One cluster serves a test process (`shared()`), a
/// database per test (`createDatabase`); it stops when the process exits (atexit), and a detached watchdog stops it
/// when the process dies without exiting (a crashed or killed test run).
public final class PostgresCluster: Sendable {
    public let port: Int
    public let user = "replytensor"
    /// Random per cluster; handed to stores as `store_password_env` would.
    public let password: String
    public let folder: URL
    private let binaries: URL
    private let runAs: String?
    private let stopped = Mutex(false)

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    private static let sharedCluster = Mutex<PostgresCluster?>(nil)

    /// The cluster of this test process, started on first use.
    public static func shared() throws -> PostgresCluster {
        try sharedCluster.withLock { cluster in
            if let cluster { return cluster }
            let started = try PostgresCluster.start()
            cluster = started
            atexit { PostgresCluster.stopShared() }
            return started
        }
    }

    static func stopShared() {
        sharedCluster.withLock { $0 }?.stop()
    }

    /// Starts a new cluster (a free port, a few attempts when another process takes the port first).
    public static func start() throws -> PostgresCluster {
        guard let binaries = findBinaries() else {
            throw Failure("PostgreSQL's initdb and pg_ctl were not found (PATH, /usr/lib/postgresql/*/bin): "
                + "install postgresql (scripts/setup.sh does)")
        }
        let runAs = getuid() == 0 ? "postgres" : nil
        let folder = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("replytensor-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let passwordFile = folder.appendingPathComponent("pwfile")
        try Data(password.utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        if let runAs { try chown(folder, to: runAs) }
        var lastError: (any Error)?
        let initialised = PostgresCluster(port: 0, password: password, folder: folder, binaries: binaries, runAs: runAs)
        try initialised.run("initdb", ["-D", initialised.dataPath, "-U", "replytensor", "--pwfile=\(passwordFile.path)",
                                       "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
        for _ in 0..<3 {
            let cluster = PostgresCluster(port: try freePort(), password: password, folder: folder, binaries: binaries,
                                          runAs: runAs)
            do {
                try cluster.run("pg_ctl", ["start", "-w", "-t", "60", "-D", cluster.dataPath, "-l",
                                           folder.appendingPathComponent("server.log").path, "-o", cluster.serverOptions])
                cluster.startWatchdog()
                return cluster
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Failure("PostgreSQL did not start")
    }

    private init(port: Int, password: String, folder: URL, binaries: URL, runAs: String?) {
        self.port = port
        self.password = password
        self.folder = folder
        self.binaries = binaries
        self.runAs = runAs
    }

    private var dataPath: String { folder.appendingPathComponent("data").path }

    /// Loopback only; fsync off (a test cluster need not survive a power loss; commits stay synchronous); enough
    /// connections for many stores with small pools at once.
    private var serverOptions: String {
        "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off -c max_connections=400 "
            + "-c shared_buffers=32MB"
    }

    /// A new empty database owned by `replytensor`.
    public func createDatabase(_ name: String) throws {
        try run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, name], asServerUser: false)
    }

    /// A new empty database with a unique name.
    public func newDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try createDatabase(String(name))
        return String(name)
    }

    /// `postgresql://replytensor@127.0.0.1:PORT/DATABASE?sslmode=disable`.
    public func url(database: String) -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Stops the server (fast shutdown) and deletes its folder; once.
    public func stop() {
        guard stopped.withLock({ done in defer { done = true }; return !done }) else { return }
        _ = try? run("pg_ctl", ["stop", "-m", "fast", "-w", "-D", dataPath])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server and keeps its data: a database outage, for a test. `resumeServer()` ends it.
    public func pauseServer() throws {
        try run("pg_ctl", ["stop", "-m", "fast", "-w", "-D", dataPath])
    }

    /// Starts the paused server again, on the same port.
    public func resumeServer() throws {
        try run("pg_ctl", ["start", "-w", "-t", "60", "-D", dataPath, "-l",
                           folder.appendingPathComponent("server.log").path, "-o", serverOptions])
    }

    /// Runs a PostgreSQL program to its end; a failure carries the end of its output.
    private func run(_ program: String, _ arguments: [String], asServerUser: Bool = true) throws {
        let executable = binaries.appendingPathComponent(program)
        let log = folder.appendingPathComponent("\(program)-\(UUID().uuidString.prefix(6)).log")
        let command = (asServerUser ? runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? [] : [])
            + [executable.path] + arguments
        // Foundation learns that a child ended when every copy of a descriptor it gave the child is closed; the
        // server pg_ctl starts would keep its copy for life, so the wrapper closes every descriptor above 2 first.
        let child = ChildProcess(executable: URL(fileURLWithPath: "/bin/bash"),
                                 arguments: ["-c", Self.closeDescriptors + "exec \"$@\"", "bash"] + command,
                                 directory: folder, environment: ["PGPASSWORD": password], input: .null,
                                 output: .log(log))
        try child.start()
        child.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: log) }
        guard child.exitStatus == 0 else {
            throw Failure("\(program) failed (status \(child.exitStatus ?? -1)): \(child.logTail(lines: 10))")
        }
    }

    /// Bash closing every descriptor above 2 it inherited (the log it writes to is 1 and 2).
    private static let closeDescriptors =
        "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\" 2>/dev/null; fi; done; "

    /// A detached shell (its own session, so a Ctrl-C of the test run does not kill it first) that stops the
    /// server and removes its folder once this process is gone.
    private func startWatchdog() {
        let stop = (runAs.map { "/usr/sbin/runuser -u \($0) -- " } ?? "")
            + "\(binaries.appendingPathComponent("pg_ctl").path) stop -m fast -w -D \(dataPath)"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
            + "if [ -d \(dataPath) ]; then \(stop) >/dev/null 2>&1; rm -rf \(folder.path); fi"
        let watchdog = ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/setsid"),
                                    arguments: ["/bin/bash", "-c", Self.closeDescriptors + script], input: .null,
                                    output: .log(folder.appendingPathComponent("watchdog.log")))
        try? watchdog.start()
    }

    static func findBinaries() -> URL? {
        let manager = FileManager.default
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = (try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for folder in candidates {
            // Debian links initdb into PATH without its siblings: use the folder the link leads to.
            let initdb = URL(fileURLWithPath: folder).appendingPathComponent("initdb")
            guard manager.isExecutableFile(atPath: initdb.path) else { continue }
            let real = initdb.resolvingSymlinksInPath().deletingLastPathComponent()
            if ["pg_ctl", "createdb"].allSatisfy({ manager.isExecutableFile(atPath: real.appendingPathComponent($0).path) }) {
                return real
            }
        }
        return nil
    }

    private static func chown(_ folder: URL, to user: String) throws {
        guard let entry = getpwnam(user) else { throw Failure("no system user \(user) to run PostgreSQL as") }
        for path in [folder.path, folder.appendingPathComponent("pwfile").path] {
            guard Foundation.chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
                throw Failure("cannot give \(path) to \(user)")
            }
        }
    }

    /// A port nothing listens on now (bound then released).
    public static func freePort() throws -> Int { try LoopbackPort.free() }
}
