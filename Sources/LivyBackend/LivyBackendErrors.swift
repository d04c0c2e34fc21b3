import KernelCore
import LivyClient

/// Livy could not be reached or answered with an error: what happened, and what to try.
struct LivyRequestFailed: JupyterReportableError {
    let error: LivyError

    var ename: String {
        switch error {
        case .unreachable: "LivyUnreachable"
        case .answerLost: "LivyAnswerLost"
        case .http: "LivyHTTPError"
        case .invalidResponse: "LivyInvalidResponse"
        case .sessionNotFound: "LivySessionLost"
        case .authentication: "LivyAuthenticationFailed"
        case .tls: "LivyTLSError"
        }
    }

    var evalue: String { error.description }

    var details: [String] {
        switch error {
        case .unreachable:
            ["Is the Livy server running, and is the URL right (LIVY_URL or livy.url in the config file)?",
             "Nothing was lost: run the cell again once Livy answers."]
        case .answerLost:
            ["The request reached Livy, but its answer did not come back, so it may have been carried out.",
             "%%info shows the session as Livy sees it; check before you repeat what this cell does."]
        case .http(401, _, _):
            ["Livy refused the request: check the authentication settings (livy.auth and its credentials)."]
        case .http(403, _, _):
            ["Livy knows who you are but does not allow this: the user may not use Livy, or may not act as the "
             + "session's proxyUser. Ask the Livy administrator (livy.server.access-control, livy.superusers)."]
        case .http, .invalidResponse:
            ["If this persists, the Livy server's log has the details."]
        case .sessionNotFound:
            ["The Spark session was deleted or expired on the Livy server."]
        case .authentication:
            ["Nothing was carried out: fix the credentials, then run the cell again."]
        case .tls(_, let problem):
            [Self.tlsAdvice(problem), "Nothing reached Livy."]
        }
    }

    /// The setting that fixes a failed TLS handshake, from libcurl's words for it.
    static func tlsAdvice(_ problem: String) -> String {
        let text = problem.lowercased()
        if text.contains("subject name") || text.contains("does not match") || text.contains("hostname") {
            return "The certificate does not name the host in livy.url (LIVY_URL): use a host name the certificate is for."
        }
        if text.contains("cafile") || text.contains("certificate file") || text.contains("ca cert") && text.contains("bad") {
            return "livy.ca_bundle (LIVY_CA_BUNDLE) names a file that cannot be read as PEM certificates: check the path."
        }
        return "The server's certificate is not signed by a CA this kernel trusts: set livy.ca_bundle (LIVY_CA_BUNDLE) "
            + "to your CA's PEM file (livy.verify_tls: false only for testing)."
    }
}

/// The Livy session did not start.
struct SessionStartFailed: JupyterReportableError {
    let sessionID: LivyID
    let state: String
    let logTail: [String]

    var ename: String { "SparkSessionStartFailed" }

    /// The driver could not bind the Spark UI port it was given (Spark says so in the log).
    var isUIPortConflict: Bool {
        logTail.contains { $0.contains("Failed to bind SparkUI") || $0.contains("'SparkUI' failed after") }
    }
    var evalue: String { "Livy session \(sessionID) ended in state '\(state)' while starting" }
    var details: [String] {
        (logTail.isEmpty ? [] : ["Last lines of the session log:"] + logTail.suffix(20).map { "    " + $0 })
            + ["Run a cell again to start a new session (check the session settings first)."]
    }
}

struct SessionStartTimedOut: JupyterReportableError {
    let sessionID: LivyID
    let waited: Duration

    var ename: String { "SparkSessionStartTimeout" }
    var evalue: String { "Livy session \(sessionID) was not ready after \(waited.components.seconds) s" }
    var details: [String] {
        ["The cluster may be busy. The session was deleted; run a cell again to retry,",
         "or raise session.startup_timeout_seconds in the config file."]
    }
}

/// The session died under a running statement.
struct SessionLostDuringStatement: JupyterReportableError {
    let sessionID: LivyID
    /// What Livy said of it: a final state (`dead`, `killed`, `error`, …), or `deleted` when it
    /// answered 404 (or the id now names another client's session).
    let state: String
    /// How long Livy was unreachable before it no longer knew the session: a restart took it.
    var afterOutage: Duration? = nil
    /// Livy's own words for the end, when it gave them (`Interpreter died: …`).
    var livyReason: String? = nil

    var ename: String { "SparkSessionLost" }
    var evalue: String {
        if state == "deleted", let outage = afterOutage {
            return "Livy could not be reached for \(max(1, outage.components.seconds)) s and then no longer knew "
                + "session \(sessionID): the Livy server restarted without recovering its sessions"
        }
        let what = state == "deleted" ? "Livy session \(sessionID) was deleted while this cell ran"
            : "Livy session \(sessionID) ended in state '\(state)' while this cell ran"
        return livyReason.map { "\(what): \($0)" } ?? what
    }
    var details: [String] {
        ["Its variables, temporary views and cached data are gone; this cell's statement was sent once and did not finish.",
         "The next cell starts a new Spark session."]
    }
}

/// Livy stopped answering while a submitted statement ran, for longer than the kernel follows it.
struct StatementFollowLost: JupyterReportableError {
    let sessionID: LivyID
    let statementID: LivyID
    let error: LivyError
    let waited: Duration

    var ename: String { LivyRequestFailed(error: error).ename }
    var evalue: String {
        "lost contact with Livy for \(waited.components.seconds) s while statement \(statementID) ran in session "
            + "\(sessionID): \(error)"
    }
    var details: [String] {
        ["Statement \(statementID) was sent once: it may still be running, or it may have finished. The kernel did not send it again.",
         "The next cell first checks that session \(sessionID) still exists; %%info shows it and its statements as Livy sees them.",
         "Check what this cell does (a table it writes, a variable it sets) before you run it again."]
    }
}

/// The statement failed in Spark: Livy's own error, cleaned for reading.
struct StatementFailed: JupyterReportableError {
    let ename: String
    let evalue: String
    let details: [String]
}

/// Someone else cancelled the statement (another client, the Livy UI).
struct StatementCancelled: JupyterReportableError {
    let statementID: LivyID
    var ename: String { "StatementCancelled" }
    var evalue: String { "Livy statement \(statementID) was cancelled" }
}

/// A statement's POST reached Livy but its answer was lost, and Livy's list of the session's
/// statements does not settle whether it was created: it may be running, or it may never run.
struct StatementOutcomeUnknown: JupyterReportableError {
    let sessionID: LivyID
    let reason: String

    var ename: String { "StatementOutcomeUnknown" }
    var evalue: String { "it is unknown whether Livy ran this cell in session \(sessionID): \(reason)" }
    var details: [String] {
        ["The kernel did not send the cell again, so it ran at most once.",
         "Check its effect (a table it writes, a variable it sets) before you run it again."]
    }
}
