import JSONValues
import LivyClient
import Logging

/// Where the driver's Spark UI really is, asked of the driver itself. Livy's `appInfo.sparkUiUrl`
/// cannot tell: real Livy leaves it null for local and standalone masters, and on YARN it is the
/// ResourceManager's proxy, not the driver (docs/livy-rest.md §2.3). So right after the session is
/// ready the kernel runs one statement, in the session's own language, that prints the driver's UI
/// URL and host. It defines no names, so it cannot clash with the user's.
struct DriverUIProbe {
    /// Where the UI listens, as the driver sees it.
    struct Location: Equatable {
        var host: String
        /// Nil when the driver could only name its host (a SQL session), not the port it bound.
        var port: Int?
    }

    static let marker = "LIVYKERNEL-DRIVER-UI"

    let api: any LivyAPI
    let logger: Logger
    var timeout: Duration = .seconds(30)

    /// The probe statement for a session of `kind`: code and the statement kind to run it as.
    static func statement(forSessionKind kind: String) -> (code: String, kind: String) {
        switch kind {
        case "spark", "scala":
            ("println(\"\(marker) \" + sc.uiWebUrl.getOrElse(\"-\") + \" \" + sc.getConf.get(\"spark.driver.host\", \"-\"))", "spark")
        case "sql":
            // No print in SQL; the host is a Spark property, the port the one the kernel asked for.
            ("SET spark.driver.host", "sql")
        default:
            ("print(\"\(marker)\", spark.sparkContext.uiWebUrl or \"-\", spark.sparkContext.getConf().get(\"spark.driver.host\", \"-\"))", "pyspark")
        }
    }

    /// Reads the probe's output; nil when it says nothing usable.
    static func location(from output: StatementOutput?) -> Location? {
        guard case .ok(_, let data)? = output else { return nil }
        if case .string(let text)? = data["text/plain"] {
            for line in text.split(whereSeparator: \.isNewline) {
                let fields = line.split(separator: " ")
                guard fields.count == 3, fields[0] == Substring(marker) else { continue }
                let url = String(fields[1]), host = String(fields[2])
                if let (urlHost, port) = SparkUILink.hostAndPort(of: url) {
                    return Location(host: host == "-" ? urlHost : host, port: port)
                }
                return host == "-" ? nil : Location(host: host, port: nil)
            }
        }
        // `SET key`: {"schema": …, "data": [["spark.driver.host", "10.0.0.5"]]}
        if case .object(let table)? = data["application/json"], case .array(let rows)? = table["data"],
           case .array(let row)? = rows.first, row.count == 2, case .string(let host) = row[1], !host.isEmpty,
           !host.hasPrefix("<undefined>") {
            return Location(host: host, port: nil)
        }
        return nil
    }

    /// Runs the probe in session `sessionID`; nil (and a log line) when it fails: the link then
    /// falls back to what Livy and the configuration say.
    func locate(sessionID: LivyID, sessionKind: String) async -> Location? {
        let probe = Self.statement(forSessionKind: sessionKind)
        let deadline = ContinuousClock.now + timeout
        do {
            var statement = try await api.submitStatement(sessionID: sessionID, code: probe.code, kind: probe.kind)
            var poll = 0
            while !statement.state.isFinal {
                guard ContinuousClock.now < deadline else {
                    logger.warning("the driver did not say where its Spark UI is within \(timeout)")
                    return nil
                }
                try await Task.sleep(for: PollSchedule().delay(beforePoll: poll))
                poll += 1
                statement = try await api.statement(sessionID: sessionID, statementID: statement.id)
            }
            guard let location = Self.location(from: statement.output) else {
                logger.warning("the driver's answer about its Spark UI is not usable: \(String(describing: statement.output))")
                return nil
            }
            return location
        } catch {
            logger.warning("could not ask the driver where its Spark UI is: \(error)")
            return nil
        }
    }
}
