import Foundation
import Testing
@testable import JupyterWire

@Suite struct ConnectionInfoTests {
    let sample = """
        {"transport": "tcp", "ip": "127.0.0.1", "shell_port": 57503, "iopub_port": 40885,
         "stdin_port": 52597, "control_port": 50160, "hb_port": 42540,
         "signature_scheme": "hmac-sha256", "key": "a0436f6c", "kernel_name": "livy-sql"}
        """

    @Test func parsesJupyterConnectionFiles() throws {
        let info = try ConnectionInfo.parse(Data(sample.utf8), path: "c.json")
        #expect(info.shellPort == 57503)
        #expect(info.heartbeatPort == 42540)
        #expect(info.key == "a0436f6c")
        #expect(info.endpoint(port: info.shellPort) == "tcp://127.0.0.1:57503")
    }

    @Test func ipcEndpointsFollowIpykernel() throws {
        var info = try ConnectionInfo.parse(Data(sample.utf8), path: "c.json")
        info.transport = "ipc"
        info.ip = "/tmp/kernel"
        #expect(info.endpoint(port: 5) == "ipc:///tmp/kernel-5")
    }

    @Test func namesTheMissingField() {
        let json = #"{"ip": "127.0.0.1", "shell_port": 1}"#
        #expect(throws: ConnectionFileError.missingField(path: "c.json", field: "iopub_port")) {
            try ConnectionInfo.parse(Data(json.utf8), path: "c.json")
        }
    }

    @Test func refusesUnknownSignatureSchemes() {
        let json = sample.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5")
        #expect(throws: ConnectionFileError.unsupportedSignatureScheme(path: "c.json", scheme: "hmac-md5")) {
            try ConnectionInfo.parse(Data(json.utf8), path: "c.json")
        }
    }

    @Test func reportsUnreadableFilesWithTheirPath() {
        do {
            _ = try ConnectionInfo.load(path: "/nonexistent/kernel.json")
            Issue.record("loading a missing file must fail")
        } catch {
            #expect(error.description.contains("/nonexistent/kernel.json"))
        }
    }

    @Test func rejectsNonJSON() {
        #expect(throws: ConnectionFileError.invalid(path: "c.json", reason: "not a JSON object with the connection fields")) {
            try ConnectionInfo.parse(Data("port=1".utf8), path: "c.json")
        }
    }
}
