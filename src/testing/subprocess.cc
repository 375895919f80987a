#include "testing/subprocess.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace rkd::testkit {
namespace {

// Forks argv with stdout on a new pipe (*out: its read end) and, when `in` is given,
// stdin on another (*in: its write end). Returns the child's pid, or -1.
pid_t Spawn(const std::vector<std::string>& argv, int* out, int* in = nullptr) {
  int fds[2], in_fds[2] = {-1, -1};
  if (argv.empty() || pipe(fds) != 0) return -1;
  if (in && pipe(in_fds) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    if (in) {
      dup2(in_fds[0], 0);
      close(in_fds[0]);
      close(in_fds[1]);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  if (in) close(in_fds[0]);
  if (pid < 0) {
    close(fds[0]);
    if (in) close(in_fds[1]);
    return -1;
  }
  *out = fds[0];
  if (in) *in = in_fds[1];
  return pid;
}

}  // namespace

RunOutput Run(const std::vector<std::string>& argv) {
  RunOutput r;
  int out = -1;
  const pid_t pid = Spawn(argv, &out);
  if (pid < 0) return r;
  char buf[4096];
  ssize_t n;
  while ((n = read(out, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) r.out.append(buf, static_cast<size_t>(n));
  close(out);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv) { pid_ = Spawn(argv, &out_, &in_); }

ChildProcess::~ChildProcess() {
  if (in_ >= 0) close(in_);
  if (out_ >= 0) close(out_);
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ChildProcess::ReadLine() {
  std::string line;
  char c;
  while (out_ >= 0 && read(out_, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

}  // namespace rkd::testkit
