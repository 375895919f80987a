// Helper processes for tests: Run a command to completion and capture what it prints
// (a real parser's verdict: python3's email package reading a message back), or keep a
// server running for a suite (tests/smtp_sink.py) and read the first line it prints.
// Not thread-safe; each object belongs to one thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rkd::testkit {

struct RunOutput {
  int exit_code = -1;  // -1: could not start, or killed by a signal
  std::string out;     // stdout (stderr goes to the test's stderr)
};

// Runs argv[0] (searched in PATH) with the arguments and waits for it.
RunOutput Run(const std::vector<std::string>& argv);

// A child process started with its stdout and stdin on pipes (a server that exits when
// its stdin closes, as tests/fake_openai.py does, never outlives the test binary);
// stdin closed, the child killed (SIGTERM) and reaped on destruction.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  bool started() const { return pid_ > 0; }
  // The next line the child prints (without the newline); empty at its end.
  std::string ReadLine();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int in_ = -1;
};

}  // namespace rkd::testkit
