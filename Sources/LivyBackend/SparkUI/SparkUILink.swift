import Foundation

/// The `/spark/{user}/{port}/` scheme shared by the kernel, the driver's `spark.ui.proxyBase`
/// and the proxy that serves it.
public enum SparkUILink {
    /// `spark.ui.proxyBase` for the driver: the path the browser sees, Jupyter's base URL included
    /// (behind JupyterHub `/user/alice/spark/alice/4040`), starting with `/` and without a trailing
    /// slash, since Spark concatenates it with its own paths.
    public static func proxyBase(baseURL: String, user: String, port: Int) -> String {
        var base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        if !base.isEmpty && !base.hasPrefix("/") { base = "/" + base }
        return base + "/spark/\(pathSegment(user))/\(port)"
    }

    /// The link users click: the proxy base with a trailing slash.
    public static func url(baseURL: String, user: String, port: Int) -> String {
        proxyBase(baseURL: baseURL, user: user, port: port) + "/"
    }

    /// The port and host a driver UI URL (`appInfo.sparkUiUrl`, `sc.uiWebUrl`) points at.
    public static func hostAndPort(of uiURL: String) -> (host: String, port: Int)? {
        guard let components = URLComponents(string: uiURL), let host = components.host else { return nil }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return (host, port)
    }

    /// User names go into a URL path: keep them to a safe set, percent-encode anything else.
    static func pathSegment(_ user: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return user.addingPercentEncoding(withAllowedCharacters: allowed) ?? user
    }

    /// The user the link and the lease are for: configured, else JupyterHub's, else the OS user.
    public static func user(configured: String?, environment: [String: String]) -> String {
        if let configured, !configured.isEmpty { return configured }
        if let hub = environment["JUPYTERHUB_USER"], !hub.isEmpty { return hub }
        if let name = environment["USER"] ?? environment["LOGNAME"], !name.isEmpty { return name }
        return ProcessInfo.processInfo.userName
    }
}
