import Foundation
import KernelCore
import LivyBackend
import LivyClient
import Logging

/// Chooses the kernel's backend from its configuration.
enum BackendFactory {
    static func make(kind: KernelKind, environment: [String: String], connectionFile: String,
                     logger: Logger) -> any ExecutionBackend {
        let config: KernelConfiguration
        do {
            let sources: ConfigurationLoader.Sources
            (config, sources) = try ConfigurationLoader.load(environment: environment, kind: kind)
            if let file = sources.file { logger.info("configuration from \(file)") }
            if !sources.ignoredKeys.isEmpty {
                logger.warning("sparkmagic settings not used by LivyKernel: \(sources.ignoredKeys.joined(separator: ", "))")
            }
        } catch {
            logger.error("configuration: \(error.evalue)")
            return UnavailableBackend(kind: kind, reason: error)
        }
        guard let url = config.livyURL else {
            return UnavailableBackend(kind: kind, reason: LivyNotConfigured(configPath: ConfigurationLoader.defaultPath(environment: environment)))
        }
        // Before CurlTransport starts its HTTP threads (the keytab is handed to GSSAPI through
        // the environment).
        if let keytab = config.http.keytab {
            keytab.activate()
            logger.info("Kerberos credentials from the keytab \(keytab.path)")
        }
        let client = LivyHTTPClient(baseURL: url, transport: CurlTransport(settings: config.http),
                                    requestTimeout: config.requestTimeout, logger: logger)
        let user = SparkUILink.user(configured: config.sparkUI.user, environment: environment)
        logger.info("using Livy at \(RedactedURL.redact(url)) as user \(user)")
        return LivyBackend(api: client, config: config, kind: kind, user: user,
                           leases: PortLeaseStore(directory: PortLeaseStore.defaultDirectory(environment: environment)),
                           logger: logger, resumeKey: connectionFile)
    }
}
