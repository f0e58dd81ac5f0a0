#include "cli/gate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "model/trace.h"
#include "properties/property.h"

namespace pasidcheck::cli {

namespace fs = std::filesystem;

int worse_exit(int a, int b) {
  auto rank = [](int code) {
    switch (code) {
      case 3:
        return 4;
      case 4:
        return 3;
      case 1:
        return 2;
      case 2:
        return 1;
      default:
        return 0;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

CLI::Validator finite_in(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        double v = 0;
        std::size_t used = 0;
        try {
          v = std::stod(s, &used);
        } catch (const std::exception&) {
          return "'" + s + "' is not a number";
        }
        if (used != s.size()) return "'" + s + "' is not a number";
        if (!std::isfinite(v)) return "'" + s + "' is not a finite number";
        if (v < lo || v > hi)
          return "'" + s + "' is outside " + CLI::detail::to_string(lo) + ".." +
                 CLI::detail::to_string(hi);
        return {};
      },
      "FLOAT in " + CLI::detail::to_string(lo) + ".." + CLI::detail::to_string(hi));
}

CLI::Validator integer_in(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
        std::size_t i = s[0] == '-' ? 1 : 0;
        if (s.empty() || i == s.size()) return "'" + s + "' is not an integer";
        for (std::size_t k = i; k < s.size(); ++k)
          if (s[k] < '0' || s[k] > '9') return "'" + s + "' is not a decimal integer";
        long long v = 0;
        try {
          v = std::stoll(s);
        } catch (const std::exception&) {
          return "'" + s + "' is outside " + range;
        }
        if (v < lo || v > hi) return "'" + s + "' is outside " + range;
        return {};
      },
      "INT in " + std::to_string(lo) + ".." + std::to_string(hi));
}

namespace {

[[noreturn]] void refuse(const std::string& option, const std::string& path,
                         const std::string& why) {
  throw model::TraceError("command line", option, "'" + path + "': " + why);
}

void check_dir_writable(const fs::path& dir, const std::string& option, const std::string& path,
                        bool create) {
  std::error_code ec;
  const fs::path d = dir.empty() ? fs::path(".") : dir;
  if (!fs::exists(d, ec)) {
    if (!create) refuse(option, path, "its folder " + d.string() + " does not exist");
    fs::create_directories(d, ec);
    if (ec) refuse(option, path, "cannot create the folder " + d.string() + ": " + ec.message());
  }
  if (!fs::is_directory(d, ec)) refuse(option, path, d.string() + " is not a folder");
  if (::access(d.c_str(), W_OK | X_OK) != 0)
    refuse(option, path, "the folder " + d.string() + " is not writable");
}

}  // namespace

void check_output_file(const std::string& file, const std::string& option, bool make_parent) {
  if (file.empty()) return;
  std::error_code ec;
  if (fs::is_directory(file, ec)) refuse(option, file, "is a folder, not a file");
  if (fs::exists(file, ec) && !fs::is_regular_file(file, ec))
    refuse(option, file, "exists and is not a regular file");
  check_dir_writable(fs::path(file).parent_path(), option, file, make_parent);
}

void check_output_dir(const std::string& dir, const std::string& option) {
  if (dir.empty()) refuse(option, dir, "an empty folder name");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) refuse(option, dir, "is not a folder");
  check_dir_writable(fs::path(dir), option, dir, true);
}

void write_file_atomic(const std::string& file, const std::string& text) {
  const fs::path target(file);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw std::runtime_error("cannot write " + file + ": " + std::strerror(errno));
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmpl.c_str());
      throw std::runtime_error("cannot write " + file + ": " + std::strerror(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmpl.c_str());
    throw std::runtime_error("cannot write " + file + ": " + std::strerror(errno));
  }
  if (::rename(tmpl.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    throw std::runtime_error("cannot write " + file + ": " + std::strerror(err));
  }
}

namespace {
std::string& invocation_text() {
  static std::string text;
  return text;
}
}  // namespace

void set_invocation(int argc, char** argv) {
  std::string& t = invocation_text();
  t = "pasidcheck";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool plain = a.find_first_of(" \t'\"$\\") == std::string::npos && !a.empty();
    t += " " + (plain ? a : "'" + a + "'");
  }
}

const std::string& invocation() {
  return invocation_text();
}

std::string utc_date() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

void check_property_ids(const std::vector<std::string>& ids, const std::string& where) {
  std::vector<const properties::Property*> selected;
  if (auto err = properties::select_properties(ids, selected))
    throw model::TraceError("command line", where, *err);
}

}  // namespace pasidcheck::cli
