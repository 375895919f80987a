// Structured logs: one JSON object per line on stdout ({"ts", "level", "msg", …fields}),
// written through spdlog. Thread-safe.
#pragma once

#include <spdlog/common.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace rkd {

// Sets the threshold ("debug", "info", "warn", "error"); logging works without calling it.
void SetLogLevel(std::string_view level);
void LogEvent(spdlog::level::level_enum level, std::string_view msg, nlohmann::json fields = nlohmann::json::object());

// Logs to stderr instead, for a command whose stdout is its output (export); call it
// before the first log line.
void LogToStderr();

// For hot paths that format their own JSON line.
bool LogEnabled(spdlog::level::level_enum level);
void LogRaw(spdlog::level::level_enum level, const std::string& json_line);

inline void LogInfo(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  LogEvent(spdlog::level::info, msg, std::move(fields));
}
inline void LogWarn(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  LogEvent(spdlog::level::warn, msg, std::move(fields));
}
inline void LogError(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  LogEvent(spdlog::level::err, msg, std::move(fields));
}

}  // namespace rkd
