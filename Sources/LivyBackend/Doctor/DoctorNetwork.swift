import Foundation

/// The network and process look-ups `livy-kernel doctor` makes below HTTP: name resolution, a TCP
/// connect, a bare HTTP GET and running a program. Each is blocking, so each runs on a thread of
/// its own, never on Swift's cooperative pool. A seam: tests pass their own.
public struct DoctorNetwork: Sendable {
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        public var timedOut = false

        public init(_ message: String, timedOut: Bool = false) {
            self.message = message
            self.timedOut = timedOut
        }
    }

    /// The host's addresses, as text.
    public var resolve: @Sendable (String) async -> Result<[String], Problem>
    /// How long a TCP connect took.
    public var connect: @Sendable (_ host: String, _ port: Int, _ timeout: Duration) async -> Result<Duration, Problem>
    /// `GET /` over a fresh connection: the status line.
    public var httpGet: @Sendable (_ host: String, _ port: Int, _ timeout: Duration) async -> Result<String, Problem>
    /// Runs a program found on PATH: its exit status and both streams together; nil when it is not on PATH.
    public var run: @Sendable (_ program: String, _ arguments: [String]) async -> (status: Int32, output: String)?

    public init(resolve: @escaping @Sendable (String) async -> Result<[String], Problem>,
                connect: @escaping @Sendable (String, Int, Duration) async -> Result<Duration, Problem>,
                httpGet: @escaping @Sendable (String, Int, Duration) async -> Result<String, Problem>,
                run: @escaping @Sendable (String, [String]) async -> (status: Int32, output: String)?) {
        self.resolve = resolve
        self.connect = connect
        self.httpGet = httpGet
        self.run = run
    }

    public static func system(environment: [String: String]) -> DoctorNetwork {
        DoctorNetwork(
            resolve: { host in await onThread { Self.addresses(of: host) } },
            connect: { host, port, timeout in
                await onThread {
                    let start = ContinuousClock.now
                    return Self.openConnection(host, port, timeout).map { fd in
                        close(fd)
                        return ContinuousClock.now - start
                    }
                }
            },
            httpGet: { host, port, timeout in await onThread { Self.statusLine(host, port, timeout) } },
            run: { program, arguments in
                guard let path = Self.find(program, environment: environment) else { return nil }
                return await onThread { Self.execute(path, arguments) }
            })
    }

    /// Runs `work` on a new thread and waits for it without blocking the pool.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in
            let thread = Thread { done.resume(returning: work()) }
            thread.name = "livy-doctor"
            thread.start()
        }
    }

    static func addresses(of host: String) -> Result<[String], Problem> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { return .failure(Problem(String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var next = list
        while let entry = next {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                           NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !found.contains(text) { found.append(text) }
            }
            next = entry.pointee.ai_next
        }
        return found.isEmpty ? .failure(Problem("no addresses")) : .success(found)
    }

    /// A connected socket to the first address of `host` that accepts, within `timeout` each.
    static func openConnection(_ host: String, _ port: Int, _ timeout: Duration) -> Result<Int32, Problem> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { return .failure(Problem(String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var problem = Problem("no addresses")
        var next = list
        while let entry = next {
            next = entry.pointee.ai_next
            let fd = socket(entry.pointee.ai_family, entry.pointee.ai_socktype, entry.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Foundation.connect(fd, entry.pointee.ai_addr, entry.pointee.ai_addrlen) == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                return .success(fd)
            }
            guard errno == EINPROGRESS else {
                problem = Problem(String(cString: strerror(errno)))
                close(fd)
                continue
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let millis = Int32(clamping: DoctorVerdicts.milliseconds(timeout))
            let ready = poll(&poller, 1, millis)
            if ready == 0 {
                problem = Problem("no answer within \(timeout.components.seconds) s", timedOut: true)
                close(fd)
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if ready > 0 && error == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                return .success(fd)
            }
            problem = Problem(String(cString: strerror(error != 0 ? error : errno)))
            close(fd)
        }
        return .failure(problem)
    }

    /// `GET / HTTP/1.0` and the answer's status line.
    static func statusLine(_ host: String, _ port: Int, _ timeout: Duration) -> Result<String, Problem> {
        switch openConnection(host, port, timeout) {
        case .failure(let problem): return .failure(problem)
        case .success(let fd):
            defer { close(fd) }
            var wait = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let request = Array("GET / HTTP/1.0\r\nHost: \(host):\(port)\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
                return .failure(Problem("connected, but the request could not be sent"))
            }
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return .failure(Problem("connected, but no HTTP answer")) }
            let first = String(decoding: buffer.prefix(count), as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
            guard first.hasPrefix("HTTP/") else { return .failure(Problem("connected, but the answer is not HTTP")) }
            return .success(first.trimmingCharacters(in: .whitespaces))
        }
    }

    static func find(_ program: String, environment: [String: String]) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func execute(_ path: String, _ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
