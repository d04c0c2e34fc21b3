import Foundation

/// Why a server answered 401, in words that name the fix for the scheme in use. Runs on an HTTP
/// thread (it may run `klist`), only after a refusal.
enum AuthenticationDiagnosis {
    static func explain(_ authentication: HTTPSettings.Authentication, keytab: KerberosKeytab? = nil,
                        kerberos: KerberosTicketCheck = KerberosTicketCheck()) -> String {
        switch authentication {
        case .none:
            return "Livy asks for authentication and none is configured: set livy.auth (LIVY_AUTH) to kerberos, "
                + "basic or bearer, as your Livy or gateway expects"
        case .basic(let username, _):
            return "Livy refused user '\(username)' with the password given: check livy.username and livy.password "
                + "(LIVY_USERNAME, LIVY_PASSWORD)"
        case .bearer(let source):
            return "the server refused the bearer token from \(source), also after reading it again: "
                + "check that it is current and meant for this server"
        case .kerberos:
            if let keytab {
                return "Livy refused the Kerberos credentials from the keytab \(keytab.path)"
                    + (keytab.principal.map { " for \($0)" } ?? "")
                    + ": check that it holds a current key (klist -kt \(keytab.path)) and that the principal may use Livy"
            }
            return kerberos.problem()
        }
    }
}

/// What the user's Kerberos ticket cache holds, asked of MIT's `klist` (which reads the same
/// cache, `KRB5CCNAME` included, that libcurl's GSSAPI uses).
struct KerberosTicketCheck {
    var klist = "/usr/bin/klist"

    /// The problem with the cache, with the command that fixes it.
    func problem() -> String {
        guard FileManager.default.isExecutableFile(atPath: klist) else {
            return "Livy refused the request and the Kerberos ticket cannot be checked (no klist): run kinit and try again"
        }
        let listing = run([])
        guard listing.status == 0 else {
            let reason = listing.firstErrorLine.isEmpty ? "" : " (\(listing.firstErrorLine))"
            return "there is no Kerberos ticket\(reason): run kinit (or set livy.keytab) and run the cell again"
        }
        let principal = listing.output.split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("Default principal:") }
            .map { $0.dropFirst("Default principal:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        let who = principal.isEmpty ? "" : " of \(principal)"
        if run(["-s"]).status != 0 {
            return "the Kerberos ticket\(who) has expired: run kinit\(principal.isEmpty ? "" : " \(principal)") and run the cell again"
        }
        return "Livy refused the Kerberos ticket\(who): check that livy.url names the host of Livy's HTTP service "
            + "principal (SPNEGO needs that name, not an alias or an IP address) and that this user may use Livy"
    }

    private func run(_ arguments: [String]) -> CommandOutput {
        (try? CommandOutput.run(klist, arguments)) ?? CommandOutput(status: -1, output: "", errors: "klist could not be started")
    }
}
