#ifndef REPLYTENSOR_CCURL_SHIM_H
#define REPLYTENSOR_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * Typed wrappers for libcurl's variadic entry points, which Swift cannot call, and for macros Swift
 * cannot import. `CURL *` and `CURLM *` are `void *` and import as `UnsafeMutableRawPointer`.
 * One wrapper per argument type, so the compiler checks what each option receives.
 */

/* Callback types (write and header callbacks share one signature). */
typedef size_t (*rt_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*rt_curl_xferinfo_callback)(void *userdata, curl_off_t download_total, curl_off_t download_now,
                                         curl_off_t upload_total, curl_off_t upload_now);

/* curl_easy_setopt */
static inline CURLcode rt_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode rt_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode rt_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode rt_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode rt_curl_easy_setopt_write_callback(CURL *handle, rt_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode rt_curl_easy_setopt_header_callback(CURL *handle, rt_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode rt_curl_easy_setopt_xferinfo_callback(CURL *handle, rt_curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline CURLcode rt_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/* curl_easy_getinfo */
static inline CURLcode rt_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode rt_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode rt_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode rt_curl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* curl_multi_setopt */
static inline CURLMcode rt_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
static inline CURLMcode rt_curl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

/* Macros Swift cannot import (composite expressions). */
static inline long rt_curl_global_default(void) { return CURL_GLOBAL_DEFAULT; }
static inline int rt_curlpause_cont(void) { return CURLPAUSE_CONT; }
static inline int rt_curlpause_recv(void) { return CURLPAUSE_RECV; }
static inline int rt_curlpause_all(void) { return CURLPAUSE_ALL; }
static inline size_t rt_curl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline size_t rt_curl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
