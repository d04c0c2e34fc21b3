import Foundation

/// Why a server answered 401, in words that name the fix for the scheme in use. Runs on an HTTP
/// thread (it may run `klist`), only after a refusal.
enum AuthenticationDiagnosis {
    /// `challenges`: the 401's `WWW-Authenticate` values, the schemes the server asks for.
    static func explain(_ authentication: HTTPSettings.Authentication, keytab: KerberosKeytab? = nil,
                        challenges: [String] = [], kerberos: KerberosTicketCheck = KerberosTicketCheck()) -> String {
        let asked = AuthenticationScheme.asked(in: challenges)
        let heading = asked.isEmpty ? "HTTP 401" : "HTTP 401, the server asks for " + asked.map(\.described).joined(separator: " or ")
        if let configured = AuthenticationScheme(authentication), !asked.isEmpty, !asked.contains(configured) {
            // The credential is not wrong, the scheme is: say which one to configure.
            return heading + ": livy.auth is \(configured.setting), which it does not accept; set livy.auth (LIVY_AUTH) to "
                + asked.map(\.setting).joined(separator: " or ")
        }
        return heading + ": " + credentialProblem(authentication, keytab: keytab, asked: asked, kerberos: kerberos)
    }

    private static func credentialProblem(_ authentication: HTTPSettings.Authentication, keytab: KerberosKeytab?,
                                          asked: [AuthenticationScheme], kerberos: KerberosTicketCheck) -> String {
        switch authentication {
        case .none:
            let schemes = asked.isEmpty ? "kerberos, basic or bearer, as your Livy or gateway expects"
                                        : asked.map(\.setting).joined(separator: " or ")
            return "Livy asks for authentication and none is configured: set livy.auth (LIVY_AUTH) to " + schemes
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

/// An HTTP authentication scheme as a server names it in `WWW-Authenticate` and as livy.auth
/// names it.
enum AuthenticationScheme: Equatable {
    case kerberos, basic, bearer

    init?(_ authentication: HTTPSettings.Authentication) {
        switch authentication {
        case .none: return nil
        case .basic: self = .basic
        case .kerberos: self = .kerberos
        case .bearer: self = .bearer
        }
    }

    /// The schemes of a 401's challenges that the kernel can answer, in the server's order. A
    /// challenge starts with its scheme's name, case-insensitive (RFC 9110 §11.6.1); one header
    /// may hold several, comma-separated, between parameters.
    static func asked(in challenges: [String]) -> [AuthenticationScheme] {
        var found: [AuthenticationScheme] = []
        for challenge in challenges {
            for part in challenge.split(separator: ",") {
                let token = part.trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace && $0 != "=" }.lowercased()
                let scheme: AuthenticationScheme? = switch token {
                case "negotiate", "kerberos": .kerberos
                case "basic": .basic
                case "bearer": .bearer
                default: nil
                }
                if let scheme, !found.contains(scheme) { found.append(scheme) }
            }
        }
        return found
    }

    var setting: String {
        switch self {
        case .kerberos: "kerberos"
        case .basic: "basic"
        case .bearer: "bearer"
        }
    }

    var described: String {
        switch self {
        case .kerberos: "Negotiate (Kerberos)"
        case .basic: "Basic"
        case .bearer: "Bearer"
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
