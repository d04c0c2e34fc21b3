import CCurl
import Foundation

/// One libcurl easy handle with the connection settings applied; used by one thread only.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let settings: HTTPSettings
    private let bearer: BearerToken?
    /// libcurl's detailed message for the last failure ("SSL certificate problem: …").
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(settings: HTTPSettings, bearer: BearerToken? = nil) {
        guard let handle = curl_easy_init() else {
            fatalError("curl_easy_init failed: libcurl is out of memory")
        }
        self.handle = handle
        self.settings = settings
        self.bearer = bearer
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)  // never raise SIGALRM in a threaded process
        ccurl_setopt_string(handle, CURLOPT_COOKIEFILE, "")  // cookie engine on: keeps hadoop.auth
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeout.milliseconds)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, settings.verifyTLS ? 1 : 0)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, settings.verifyTLS ? 2 : 0)
        if let caBundle = settings.caBundle {
            ccurl_setopt_string(handle, CURLOPT_CAINFO, caBundle)
        }
        switch settings.authentication {
        case .none:
            break
        case let .basic(username, password):
            ccurl_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_basic())
            ccurl_setopt_string(handle, CURLOPT_USERNAME, username)
            ccurl_setopt_string(handle, CURLOPT_PASSWORD, password)
        case .kerberos:
            ccurl_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_negotiate())
            ccurl_setopt_string(handle, CURLOPT_USERPWD, ":")  // use the ticket cache, no password
        case .bearer:
            break  // a header per request: the token can change between requests
        }
        ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let body = Unmanaged<ResponseBody>.fromOpaque(context!).takeUnretainedValue()
            guard let data else { return 0 }
            data.withMemoryRebound(to: UInt8.self, capacity: size * count) { body.data.append($0, count: size * count) }
            return size * count
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one request to completion (blocking). A bearer token the server refuses (401) is read
    /// again from its source and the request sent once more: a refused request was not carried out.
    func perform(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        var response: HTTPResponse
        if let bearer {
            response = try send(request, token: bearer.current())
            if response.status == 401 {
                bearer.invalidate()
                response = try send(request, token: bearer.current())
            }
        } else {
            response = try send(request)
        }
        guard response.status == 401 else { return response }
        // Refused before anything was done: say which credential to fix, for the scheme in use.
        throw HTTPTransportError(kind: .authentication,
                                 message: AuthenticationDiagnosis.explain(settings.authentication, keytab: settings.keytab,
                                                                          challenges: response.challenges))
    }

    private func send(_ request: HTTPRequest, token: String? = nil) throws(HTTPTransportError) -> HTTPResponse {
        errorBuffer[0] = 0
        let body = ResponseBody()
        let context = Unmanaged.passRetained(body)
        defer { context.release() }
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.milliseconds)
        // libcurl re-sends a request whose reused connection died before any answer; for a POST
        // that creates a statement that would run the user's code twice. A fresh connection is
        // never retried.
        ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, request.mustNotRepeat ? 1 : 0)

        var headers: UnsafeMutablePointer<curl_slist>?
        for (name, value) in settings.headers.merging(request.headers, uniquingKeysWith: { _, mine in mine }) {
            headers = curl_slist_append(headers, "\(name): \(value)")
        }
        if let token { headers = curl_slist_append(headers, "Authorization: Bearer \(token)") }
        // No "Expect: 100-continue" pause before POST bodies.
        headers = curl_slist_append(headers, "Expect:")
        defer { curl_slist_free_all(headers) }
        ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headers)

        // A trailing NUL that is not sent (the size is explicit) keeps the pointer valid when empty.
        let payload = [UInt8](request.body ?? Data()) + [0]
        switch request.method {
        case .get:
            ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            ccurl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, nil)
        case .post:
            ccurl_setopt_long(handle, CURLOPT_POST, 1)
            ccurl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, nil)
        case .delete:
            ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "DELETE")
        }

        let code: CURLcode = payload.withUnsafeBufferPointer { buffer in
            if request.method == .post {
                ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count - 1)
                ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            var sentBytes = 0
            ccurl_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &sentBytes)
            var error = Self.transportError(code, detail: String(cString: errorBuffer))
            error.requestSent = sentBytes > 0
            throw error
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: body.data, challenges: status == 401 ? headerValues("WWW-Authenticate") : [])
    }

    /// Every value of a header of the last response, in order.
    private func headerValues(_ name: String) -> [String] {
        var values: [String] = []
        var amount = 1
        var index = 0
        while index < amount, let value = ccurl_response_header(handle, name, index, &amount) {
            values.append(String(cString: value))
            index += 1
        }
        return values
    }

    private static func transportError(_ code: CURLcode, detail: String) -> HTTPTransportError {
        // The detail names the problem ("SSL certificate problem: unable to get local issuer
        // certificate", "no alternative certificate subject name matches target host name");
        // the code's text only its class.
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPTransportError(kind: .cannotConnect, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPTransportError(kind: .timedOut, message: message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return HTTPTransportError(kind: .tls, message: message)
        default:
            return HTTPTransportError(kind: .other, message: message)
        }
    }
}

/// Collects a response body; passed to libcurl's write callback as its context pointer.
private final class ResponseBody {
    var data = Data()
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

