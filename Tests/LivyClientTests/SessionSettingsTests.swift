import JSONValues
import LivyClient
import Testing

/// The one reader of session settings: the config file, sparkmagic's file and %%configure agree.
@Suite struct SessionSettingsTests {
    func read(_ json: String) throws -> SessionSettings {
        guard case .object(let object) = try JSONParser.parse(Array(json.utf8)) else { throw Shape() }
        return try SessionSettings.read(object)
    }
    struct Shape: Error {}

    @Test func readsEveryLivyField() throws {
        let settings = try read("""
            {"driverMemory": "2g", "driverCores": 2, "executorMemory": "4g", "executorCores": 3.0, "numExecutors": 4,
             "queue": "q", "name": "n", "proxyUser": "alice", "heartbeatTimeoutInSecond": 60,
             "jars": ["a.jar"], "pyFiles": ["b.py"], "files": ["c.txt"], "archives": ["d.zip"],
             "conf": {"s": "x", "i": 8, "f": 0.6, "w": 8.0, "b": true}}
            """)
        #expect(settings == SessionSettings(
            proxyUser: "alice", jars: ["a.jar"], pyFiles: ["b.py"], files: ["c.txt"], archives: ["d.zip"],
            driverMemory: "2g", driverCores: 2, executorMemory: "4g", executorCores: 3, numExecutors: 4, queue: "q",
            name: "n", conf: ["s": "x", "i": "8", "f": "0.6", "w": "8", "b": "true"], heartbeatTimeoutInSecond: 60))
    }

    @Test func nullMeansNotSet() throws {
        #expect(try read(#"{"driverMemory": null, "conf": null}"#) == SessionSettings())
    }

    @Test(arguments: [
        (#"{"numExecutors": "2"}"#, "numExecutors", "must be an integer"),
        (#"{"numExecutors": 2.5}"#, "numExecutors", "must be an integer"),
        (#"{"driverMemory": 2}"#, "driverMemory", "must be a string"),
        (#"{"jars": "a.jar"}"#, "jars", "must be a list of strings"),
        (#"{"jars": ["a.jar", 1]}"#, "jars", "must be a list of strings"),
        (#"{"conf": {"x": {"y": 1}}}"#, "conf.x", "must be a string, a number or true/false"),
        (#"{"conf": []}"#, "conf", "must be an object"),
    ])
    func wrongTypesNameTheKey(json: String, key: String, problem: String) {
        #expect(throws: SessionSettings.ReadError(key: key, problem: problem)) { try read(json) }
    }

    @Test func unknownKeysAreRejectedAsLivyWould() throws {
        guard case .object(let object) = try JSONParser.parse(Array(#"{"ttlx": "10m"}"#.utf8)) else { throw Shape() }
        do {
            _ = try SessionSettings.read(object)
            Issue.record("must fail")
        } catch {
            #expect(error.key == "ttlx")
            #expect(error.problem.hasPrefix("is not a Livy session setting; known: driverMemory"))
        }
    }

    @Test func theSessionsOwnIdleTimeoutIsReadInLivysTimeFormat() throws {
        let settings = try read(#"{"ttl": "10m", "idleTimeout": "2h"}"#)
        #expect(settings.ttl == "10m" && settings.idleTimeout == "2h")
        #expect(settings.sessionIdleTimeout == .seconds(7200), "0.9's idleTimeout wins over 0.8's ttl")
        #expect(try read(#"{"ttl": "90s"}"#).sessionIdleTimeout == .seconds(90))
        #expect(try read(#"{"ttl": "1500"}"#).sessionIdleTimeout == .milliseconds(1500), "no unit: milliseconds")
        #expect(try read(#"{"ttl": "3min"}"#).sessionIdleTimeout == .seconds(180))
        #expect(throws: SessionSettings.ReadError.self) { try read(#"{"ttl": "ten minutes"}"#) }
        #expect(throws: SessionSettings.ReadError.self) { try read(#"{"idleTimeout": "5w"}"#) }
        #expect(throws: SessionSettings.ReadError.self) { try read(#"{"ttl": 600}"#) }
    }

    @Test func mergedOverKeepsTheBaseAndMergesConfKeyByKey() {
        let base = SessionSettings(jars: ["base.jar"], driverMemory: "1g", numExecutors: 2,
                                   conf: ["spark.a": "1", "spark.b": "2"])
        let mine = SessionSettings(driverMemory: "4g", conf: ["spark.b": "20", "spark.c": "30"])
        let merged = mine.merged(over: base)
        #expect(merged == SessionSettings(jars: ["base.jar"], driverMemory: "4g", numExecutors: 2,
                                          conf: ["spark.a": "1", "spark.b": "20", "spark.c": "30"]))
        #expect(SessionSettings().merged(over: SessionSettings()).conf == nil, "no conf is sent when none is set")
    }
}
