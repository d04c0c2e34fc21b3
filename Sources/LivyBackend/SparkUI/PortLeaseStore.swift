public import Foundation

/// Hands out Spark UI ports so that no two live sessions of this host get the same one.
///
/// A lease is a file `<directory>/<port>.json` created exclusively (so two kernels starting at once
/// cannot both win a port) holding a `SparkUIRecord`. A kernel that is killed cannot remove its file,
/// so a lease whose process is gone is stale and is taken over.
public struct PortLeaseStore: Sendable {
    public let directory: URL
    private let isAlive: @Sendable (Int32) -> Bool
    private let isFreeHere: @Sendable (Int) -> Bool

    /// `isFreeHere` skips ports something on this host already listens on (a driver of a local
    /// Livy, another Spark): the session would fail to bind its UI there.
    public init(directory: URL, isAlive: @escaping @Sendable (Int32) -> Bool = PortLeaseStore.processIsAlive,
                isFreeHere: @escaping @Sendable (Int) -> Bool = PortLeaseStore.loopbackPortIsFree) {
        self.directory = directory
        self.isAlive = isAlive
        self.isFreeHere = isFreeHere
    }

    public enum LeaseError: Error, Sendable, Equatable, CustomStringConvertible {
        case exhausted(ClosedRange<Int>)
        case unwritable(path: String, reason: String)

        public var description: String {
            switch self {
            case .exhausted(let range):
                "all Spark UI ports \(range.lowerBound)-\(range.upperBound) are leased by live sessions on this host"
            case let .unwritable(path, reason):
                "cannot record the Spark UI port lease in \(path): \(reason)"
            }
        }
    }

    /// The default place: beside Jupyter's own runtime files, where the proxy extension looks.
    public static func defaultDirectory(environment: [String: String]) -> URL {
        if let dir = environment["LIVY_KERNEL_RUNTIME_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        let runtime: String
        if let dir = environment["JUPYTER_RUNTIME_DIR"], !dir.isEmpty {
            runtime = dir
        } else if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty {
            runtime = data + "/runtime"
        } else {
            runtime = (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share/jupyter/runtime"
        }
        return URL(fileURLWithPath: runtime, isDirectory: true).appendingPathComponent("livykernel-spark-ui", isDirectory: true)
    }

    /// Leases the first free port of `range` for `record` (whose `port` is filled in).
    public func lease(_ record: SparkUIRecord, in range: ClosedRange<Int>) throws(LeaseError) -> SparkUIRecord {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path: directory.path, reason: error.localizedDescription)
        }
        for port in range where isFreeHere(port) {
            var candidate = record
            candidate.port = port
            if try create(candidate) { return candidate }
            // Taken: take it over only if its holder is gone.
            if let holder = read(port: port), isAlive(holder.pid) { continue }
            if try takeOver(candidate) { return candidate }
        }
        throw .exhausted(range)
    }

    /// Rewrites a lease (session id and driver host once known, or a moved port).
    public func update(_ record: SparkUIRecord, previousPort: Int? = nil) throws(LeaseError) {
        let data = encode(record)
        do {
            try data.write(to: file(record.port), options: .atomic)
        } catch {
            throw .unwritable(path: file(record.port).path, reason: error.localizedDescription)
        }
        if let previousPort, previousPort != record.port { release(port: previousPort) }
    }

    /// Gives a port back; only removes a lease this process holds.
    public func release(port: Int) {
        guard let holder = read(port: port), holder.pid == getpid() else { return }
        try? FileManager.default.removeItem(at: file(port))
    }

    public func read(port: Int) -> SparkUIRecord? {
        guard let data = FileManager.default.contents(atPath: file(port).path) else { return nil }
        return try? JSONDecoder().decode(SparkUIRecord.self, from: data)
    }

    private func file(_ port: Int) -> URL {
        directory.appendingPathComponent("\(port).json")
    }

    private func encode(_ record: SparkUIRecord) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(record)) ?? Data()
    }

    /// Replaces a stale lease (its holder is gone) with `record`, under a lock file, so that two
    /// kernels that found the same stale lease cannot both take it: the second sees the first's
    /// live lease. The lock is held for a read and a rename, so waiting on it is brief.
    private func takeOver(_ record: SparkUIRecord) throws(LeaseError) -> Bool {
        let lockPath = directory.appendingPathComponent(".takeover.lock").path
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .unwritable(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw .unwritable(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { flock(lock, LOCK_UN) }
        guard let holder = read(port: record.port) else { return try create(record) }
        if isAlive(holder.pid) { return false }
        let temporary = directory.appendingPathComponent(".\(record.port).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try encode(record).write(to: temporary)
        } catch {
            throw .unwritable(path: temporary.path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, file(record.port).path) == 0 else {
            unlink(temporary.path)
            throw .unwritable(path: file(record.port).path, reason: String(cString: strerror(errno)))
        }
        return true
    }

    /// Creates the lease file exclusively; false when it already exists.
    private func create(_ record: SparkUIRecord) throws(LeaseError) -> Bool {
        let path = file(record.port).path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let data = encode(record)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            unlink(path)
            throw .unwritable(path: path, reason: "short write")
        }
        return true
    }

    /// True when nothing listens on 127.0.0.1:`port` (binding it succeeds).
    public static let loopbackPortIsFree: @Sendable (Int) -> Bool = { port in
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    public static let processIsAlive: @Sendable (Int32) -> Bool = { pid in
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
