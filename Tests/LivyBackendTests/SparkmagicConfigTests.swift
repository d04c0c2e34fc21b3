import Foundation
import KernelCore
import LivyClient
import Testing
@testable import LivyBackend

@Suite struct SparkmagicConfigTests {
    let example = """
        {"kernel_python_credentials": {"username": "u", "base64_password": "c2VjcmV0", "url": "http://livy:8998", "auth": "Basic_Access"},
         "kernel_scala_credentials": {"username": "", "password": "", "url": "http://scala-livy:8998", "auth": "Kerberos"},
         "session_configs_defaults": {"conf": {"spark.sql.shuffle.partitions": "8"}, "numExecutors": 1},
         "session_configs": {"driverMemory": "1000M", "executorCores": 2, "numExecutors": 3},
         "livy_session_startup_timeout_seconds": 120, "livy_server_heartbeat_timeout_seconds": 60,
         "custom_headers": {"X-Gateway": "yes"}, "ignore_ssl_errors": true, "default_maxrows": 2500,
         "use_auto_viz": true, "coerce_dataframe": true, "wait_for_idle_timeout_seconds": 15}
        """

    @Test func readsCredentialsSessionDefaultsAndSettings() throws {
        var config = KernelConfiguration()
        let ignored = try SparkmagicConfig.apply(Data(example.utf8), path: "/h/.sparkmagic/config.json", kind: .pyspark, to: &config)
        #expect(config.livyURL == "http://livy:8998")
        #expect(config.http.authentication == .basic(username: "u", password: "secret"))
        #expect(config.session.settings.driverMemory == "1000M" && config.session.settings.executorCores == 2)
        #expect(config.session.settings.numExecutors == 3, "session_configs wins over session_configs_defaults")
        #expect(config.session.settings.conf == ["spark.sql.shuffle.partitions": "8"])
        #expect(config.session.startupTimeout == .seconds(120) && config.session.settings.heartbeatTimeoutInSecond == 60)
        #expect(config.http.headers == ["X-Gateway": "yes"] && !config.http.verifyTLS)
        #expect(config.sqlMaxRows == 2500)
        #expect(ignored == ["coerce_dataframe", "use_auto_viz", "wait_for_idle_timeout_seconds"])
    }

    @Test func theScalaKernelUsesTheScalaCredentials() throws {
        var config = KernelConfiguration()
        _ = try SparkmagicConfig.apply(Data(example.utf8), path: "c.json", kind: .scala, to: &config)
        #expect(config.livyURL == "http://scala-livy:8998" && config.http.authentication == .kerberos)
    }

    @Test func badAuthNamesTheKey() {
        var config = KernelConfiguration()
        #expect(throws: ConfigurationError(source: "c.json", key: "kernel_python_credentials.auth",
                                           problem: "must be None, Basic_Access or Kerberos, not 'NTLM'")) {
            try SparkmagicConfig.apply(Data(#"{"kernel_python_credentials": {"url": "x", "auth": "NTLM"}}"#.utf8),
                                       path: "c.json", kind: .pyspark, to: &config)
        }
    }

    @Test func ourFileWinsAndTheEnvironmentWinsOverSparkmagic() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".sparkmagic"), withIntermediateDirectories: true)
        try Data(example.utf8).write(to: home.appendingPathComponent(".sparkmagic/config.json"))
        let (fromSparkmagic, sources) = try ConfigurationLoader.load(environment: ["HOME": home.path, "LIVY_URL": "http://env:1"])
        #expect(fromSparkmagic.livyURL == "http://env:1")
        #expect(fromSparkmagic.session.settings.driverMemory == "1000M")
        #expect(sources.file == home.path + "/.sparkmagic/config.json")

        try FileManager.default.createDirectory(at: home.appendingPathComponent(".livykernel"), withIntermediateDirectories: true)
        try Data(#"{"livy": {"url": "http://ours:8998"}}"#.utf8).write(to: home.appendingPathComponent(".livykernel/config.json"))
        let (ours, _) = try ConfigurationLoader.load(environment: ["HOME": home.path])
        #expect(ours.livyURL == "http://ours:8998" && ours.session.settings.driverMemory == nil)
    }
}
