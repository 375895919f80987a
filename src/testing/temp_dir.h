// TempDir: a fresh folder under GoogleTest's temp dir for one test (named for the test
// and the process), removed with everything in it when the object goes away. Not
// thread-safe (one per test); the path itself may be used from any thread.
#pragma once

#include <string>

namespace rkd::testkit {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace rkd::testkit
