#pragma once

#include "captrack/http/Router.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace captrack::http
{

/// One file of the web page (src/web/), embedded into the binary at build time by
/// cmake/EmbedWebAssets.cmake. All pointers refer to static storage.
struct StaticFile
{
    const char* path;          ///< URL path, "/app.js"
    const char* contentType;   ///< "application/javascript; charset=utf-8"
    const char* etag;          ///< strong entity tag with its quotes: "\"3f2a...\"" (a SHA-256 prefix of the bytes)
    const unsigned char* data; ///< the bytes
    std::size_t size;          ///< how many bytes
};

/// Every embedded file, sorted by path. Defined in the source the build generates.
[[nodiscard]] const std::vector<StaticFile>& embeddedFiles();

/// The security headers every page file carries: a Content-Security-Policy that allows only the page's own
/// script, style and API (no inline script or style, no framing), nosniff, no referrer.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> pageSecurityHeaders();

/// The routes `addStaticFiles` adds, as paths: "/" (index.html) and one per embedded file.
[[nodiscard]] std::vector<std::string> staticFilePaths();

/// Adds `GET /` (index.html) and `GET /<file>` for every embedded file. They need no sign-in
/// (RequestHandlerFactory::isPublicPath: everything outside /api/). Each answer carries the security headers,
/// the file's ETag and `Cache-Control: no-cache` (use the copy, but revalidate); an `If-None-Match` naming the
/// current ETag (or `*`) answers 304 without a body.
void addStaticFiles(Router& router);

} // namespace captrack::http
