import Foundation
import LivyClient
import Testing
@testable import LivyBackend

@Suite struct ConfigurationLoaderTests {
    func file(_ json: String) -> (path: String, data: Data) {
        ("/home/a/.livykernel/config.json", Data(json.utf8))
    }

    @Test func defaultsWithoutFileOrEnvironment() throws {
        let config = try ConfigurationLoader.merge(file: nil, environment: [:])
        #expect(config.livyURL == nil)
        #expect(config.session.eagerStart)
        #expect(config.sparkUI.ports == 4040...4139)
        #expect(config.http.verifyTLS)
    }

    @Test func environmentWinsOverTheFile() throws {
        let config = try ConfigurationLoader.merge(
            file: file(#"{"livy": {"url": "http://file:8998", "auth": "kerberos"}, "spark_ui": {"ports": "5000-5009", "user": "fileuser"}}"#),
            environment: ["LIVY_URL": "http://env:8998", "LIVY_KERNEL_UI_PORTS": "6000-6001"])
        #expect(config.livyURL == "http://env:8998")
        #expect(config.http.authentication == .kerberos, "file values the environment does not set stay")
        #expect(config.sparkUI.ports == 6000...6001)
        #expect(config.sparkUI.user == "fileuser")
    }

    @Test func fileSessionDefaults() throws {
        let config = try ConfigurationLoader.merge(file: file("""
            {"session": {"conf": {"spark.sql.shuffle.partitions": "8", "livy.rsc.sql.num-rows": 5000},
                         "driverMemory": "2g", "numExecutors": 3, "eager_start": false, "proxyUser": "alice"},
             "sql": {"max_rows": 50}, "livy": {"auth": "basic", "username": "u", "password": "p", "verify_tls": false}}
            """), environment: [:])
        #expect(config.session.settings.conf == ["spark.sql.shuffle.partitions": "8", "livy.rsc.sql.num-rows": "5000"])
        #expect(config.session.settings.driverMemory == "2g" && config.session.settings.numExecutors == 3)
        #expect(!config.session.eagerStart && config.session.settings.proxyUser == "alice")
        #expect(config.sqlMaxRows == 50)
        #expect(config.http.authentication == .basic(username: "u", password: "p"))
        #expect(!config.http.verifyTLS)
    }

    @Test(arguments: [
        (#"{"livy": {"url": 8998}}"#, "livy.url", "must be a string"),
        (#"{"livy": {"auth": "ntlm"}}"#, "livy.auth", "must be none, basic, kerberos or bearer, not 'ntlm'"),
        (#"{"livy": {"auth": "basic"}}"#, "livy.auth", "basic needs a username and a password"),
        (#"{"livy": {"auth": "bearer", "token_file": "/t", "token_env": "T"}}"#, "livy.auth",
         "bearer needs exactly one token source: token_env (LIVY_TOKEN_ENV), token_file (LIVY_TOKEN_FILE) or token_command (LIVY_TOKEN_COMMAND)"),
        (#"{"session": {"numExecutors": "two"}}"#, "session.numExecutors", "must be an integer"),
        (#"{"spark_ui": {"ports": "80-90"}}"#, "spark_ui.ports", "must look like 4040-4139 (first-last, 1024-65535)"),
        (#"{"session": []}"#, "session", "must be an object"),
        (#"{"livy": {"ca_bundel": "/ca.pem"}}"#, "livy.ca_bundel",
         "is not a LivyKernel setting; known: url, auth, username, password, token_env, token_file, token_command, keytab, principal, verify_tls, ca_bundle, headers, connect_timeout_seconds, request_timeout_seconds"),
        (#"{"sparkui": {}}"#, "sparkui", "is not a LivyKernel setting section; known: livy, session, spark_ui, sql"),
        (#"{"livy": {"keytab": "/nonexistent/alice.keytab"}}"#, "livy.keytab",
         "names /nonexistent/alice.keytab, which does not exist or cannot be read"),
        (#"{"livy": {"url": "x",}"#, "(file)", "is not valid JSON"),
    ])
    func badFileValuesNameTheFileAndKey(json: String, key: String, problem: String) {
        #expect(throws: ConfigurationError(source: "/home/a/.livykernel/config.json", key: key, problem: problem)) {
            try ConfigurationLoader.merge(file: file(json), environment: [:])
        }
    }

    @Test func aBearerTokenSourceComesFromTheFileOrTheEnvironment() throws {
        let fromFile = try ConfigurationLoader.merge(
            file: file(#"{"livy": {"auth": "bearer", "token_command": "gcloud auth print-access-token"}}"#), environment: [:])
        #expect(fromFile.http.authentication == .bearer(.command("gcloud auth print-access-token")))
        let fromEnvironment = try ConfigurationLoader.merge(
            file: nil, environment: ["LIVY_AUTH": "bearer", "LIVY_TOKEN_FILE": "/run/secrets/livy-token"])
        #expect(fromEnvironment.http.authentication == .bearer(.file("/run/secrets/livy-token")))
    }

    @Test func aKeytabMeansKerberos() throws {
        let config = try ConfigurationLoader.merge(
            file: file(#"{"livy": {"keytab": "/etc/hostname", "principal": "alice@EXAMPLE.COM"}}"#), environment: [:])
        #expect(config.http.authentication == .kerberos)
        #expect(config.http.keytab == KerberosKeytab(path: "/etc/hostname", principal: "alice@EXAMPLE.COM"))
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.merge(file: nil, environment: ["LIVY_AUTH": "basic", "LIVY_USERNAME": "a",
                                                                   "LIVY_PASSWORD": "b", "LIVY_KEYTAB": "/etc/hostname"])
        }
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        #expect(throws: ConfigurationError(source: "environment variable LIVY_VERIFY_TLS", key: "LIVY_VERIFY_TLS",
                                           problem: "must be true or false")) {
            try ConfigurationLoader.merge(file: nil, environment: ["LIVY_VERIFY_TLS": "maybe"])
        }
    }

    @Test func configPathAndBaseURL() throws {
        #expect(ConfigurationLoader.defaultPath(environment: ["HOME": "/h"]) == "/h/.livykernel/config.json")
        #expect(ConfigurationLoader.defaultPath(environment: ["HOME": "/h", "LIVY_KERNEL_CONFIG": "/etc/lk.json"]) == "/etc/lk.json")
        let hub = try ConfigurationLoader.merge(file: nil, environment: ["JUPYTERHUB_SERVICE_PREFIX": "/user/alice/"])
        #expect(hub.sparkUI.baseURL == "/user/alice/")
    }
}
