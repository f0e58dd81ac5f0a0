// Bad input: a file, an option or a request the tool cannot take. It is exit 3 (TRACE-FORMAT.md)
// wherever it is thrown; model::TraceError (a file and a JSON path or line) is one. Every other
// exception, std::invalid_argument from a library included, is an internal error (exit 4), so a
// solver's complaint is never blamed on the user's input.
#pragma once

#include <stdexcept>

namespace pasidcheck::model {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pasidcheck::model
