// libcurl for Swift: the library's header plus typed wrappers for its variadic calls
// (curl_easy_setopt, curl_easy_getinfo), which Swift cannot call directly.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
// Value `index` of a header of the last response (curl_easy_header, libcurl >= 7.84) and in
// `amount` how many the response has; NULL when there is no such value. Valid until the handle's
// next transfer.
const char *ccurl_response_header(CURL *handle, const char *name, size_t index, size_t *amount);

// Option and flag values that are macros or enums Swift imports awkwardly, as plain longs.
static inline long ccurl_auth_basic(void) { return (long)CURLAUTH_BASIC; }
static inline long ccurl_auth_negotiate(void) { return (long)CURLAUTH_NEGOTIATE; }

#endif
