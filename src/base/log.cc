#include "base/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "base/time.h"

namespace rkd {
namespace {

std::atomic<bool> g_to_stderr{false};

spdlog::logger& Logger() {
  // Never destroyed: the flusher thread below runs until the process ends. Destroyed by
  // exit(), the logger died while that thread was locking its weak_ptr or ending, a data
  // race with the exit handlers (TSan, HttpServerTest). stdout is flushed by exit().
  static const std::shared_ptr<spdlog::logger>* const kLogger = new std::shared_ptr<spdlog::logger>([] {
    auto l = g_to_stderr ? spdlog::stderr_logger_mt("rekindle") : spdlog::stdout_logger_mt("rekindle");
    l->set_pattern("%v");  // the line is already JSON
    // Lines reach stdout within 100 ms, warnings and errors at once: a write per
    // request would cost more than the request itself. (spdlog's flush_every counts in
    // whole seconds, too slow for a person or a test watching the log.)
    l->flush_on(spdlog::level::warn);
    std::thread([weak = std::weak_ptr<spdlog::logger>(l)] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        auto alive = weak.lock();
        if (!alive) return;
        alive->flush();
      }
    }).detach();
    return l;
  }());
  return **kLogger;
}

}  // namespace

void LogToStderr() { g_to_stderr = true; }

void SetLogLevel(std::string_view level) { Logger().set_level(spdlog::level::from_str(std::string(level))); }

bool LogEnabled(spdlog::level::level_enum level) { return Logger().should_log(level); }

void LogRaw(spdlog::level::level_enum level, const std::string& json_line) { Logger().log(level, "{}", json_line); }

void LogEvent(spdlog::level::level_enum level, std::string_view msg, nlohmann::json fields) {
  spdlog::logger& logger = Logger();
  if (!logger.should_log(level)) return;
  static const SystemClock kClock;
  nlohmann::json line{
      {"ts", FormatRfc3339(kClock.Now())}, {"level", spdlog::level::to_string_view(level).data()}, {"msg", msg}};
  if (fields.is_object()) line.update(fields);
  logger.log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace rkd
