// Reading input files (traces, configs) as a CI gate needs: regular files only, with a size cap,
// never blocking on a FIFO; JSON errors of every kind as TraceError (exit 3). See model/trace.h.
#include <filesystem>
#include <fstream>

#include "model/trace.h"

namespace pasidcheck::model {

using nlohmann::json;

std::string read_input_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);  // follows symlinks
  if (ec) {
    if (ec == std::errc::too_many_symbolic_link_levels)
      throw TraceError(path, "", "a symbolic link loop");
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
      throw TraceError(path, "", "no such file");
    throw TraceError(path, "", "cannot read it: " + ec.message());
  }
  if (!fs::exists(st)) throw TraceError(path, "", "no such file");
  if (fs::is_directory(st)) throw TraceError(path, "", "is a directory, not a file");
  if (fs::is_fifo(st)) throw TraceError(path, "", "is a FIFO (named pipe): give a regular file");
  if (fs::is_character_file(st) || fs::is_block_file(st))
    throw TraceError(path, "", "is a device, not a regular file");
  if (!fs::is_regular_file(st)) throw TraceError(path, "", "is not a regular file");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxInputBytes)
    throw TraceError(path, "",
                     "is " + std::to_string(size) + " bytes; input files are limited to " +
                         std::to_string(kMaxInputBytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TraceError(path, "", "cannot open the file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes)  // it grew while being read
      throw TraceError(
          path, "",
          "is larger than the input limit of " + std::to_string(kMaxInputBytes) + " bytes");
  }
  if (in.bad()) throw TraceError(path, "", "read error");
  return text;
}

json parse_json_text(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw TraceError(file, "", std::string("not valid JSON: ") + e.what());
  } catch (const json::exception& e) {  // e.g. out_of_range: a number such as 1e400
    throw TraceError(file, "", std::string("unreadable JSON value: ") + e.what());
  }
}

}  // namespace pasidcheck::model
