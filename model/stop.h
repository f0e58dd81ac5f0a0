// A cooperative stop request. cli/main.cpp's SIGINT/SIGTERM handler calls request_stop(); every
// long loop (the explorers, the random search, the proof and verdict tables, the corpus) polls
// stop_requested() at a step boundary and ends as it ends at its time budget. What was complete
// is then reported, and the command marks its output incomplete (docs/user-guide.md, "Stopping").
#pragma once

namespace pasidcheck {

void request_stop() noexcept;  // async-signal-safe (a lock-free atomic store)
bool stop_requested() noexcept;
void clear_stop_request() noexcept;  // tests

}  // namespace pasidcheck
