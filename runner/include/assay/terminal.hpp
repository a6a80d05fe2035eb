// Terminal manners: when to colour, the colours, and GitHub Actions annotations for failures.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <assay/result.hpp>

namespace assay {

/// `--color=auto|always|never`.
enum class color_mode : unsigned char { automatic, always, never };

/// Whether output written to `fd` gets colour. An explicit always/never wins; in automatic mode NO_COLOR
/// (non-empty) means never, CLICOLOR_FORCE (non-empty, not "0") or FORCE_COLOR (non-empty) always,
/// TERM=dumb never, and otherwise colour only when `fd` is a terminal.
bool use_color(color_mode mode, int fd);

/// ANSI SGR sequences used for status words and the summary line.
namespace ansi {
inline constexpr const char* green = "\033[32m";
inline constexpr const char* red = "\033[31m";
inline constexpr const char* yellow = "\033[33m";
inline constexpr const char* bold_green = "\033[1;32m";
inline constexpr const char* bold_red = "\033[1;31m";
inline constexpr const char* reset = "\033[0m";
}  // namespace ansi

/// Writes all of [data, data + size) to `fd`: through EINTR, and waiting for room while the descriptor is
/// non-blocking and full (a test may set O_NONBLOCK on the stdio it shares with the report). `pipe` (a pipe
/// or socket, or unknown): a reader that is gone makes write() raise SIGPIPE, which is held back and
/// discarded so that it cannot end the process. Returns 0, or the errno that ended the write (EPIPE: the
/// reader is gone).
int write_fully(int fd, const char* data, std::size_t size, bool pipe = true) noexcept;

/// std::fflush(stream) (every stream for nullptr) with SIGPIPE held back: what a test left in a buffer is
/// written out by the framework, between tests, and a reader that is gone must not end the process there.
/// `iostreams`: std::cout and std::cerr first (they buffer on their own after sync_with_stdio(false)).
void flush_quietly(std::FILE* stream, bool iostreams = false) noexcept;

/// A workflow command's message, escaped as GitHub's actions/toolkit does: `%`, CR and LF.
std::string github_escape_data(const std::string& text);
/// A workflow command's property value: as github_escape_data, plus `:` and `,`.
std::string github_escape_property(const std::string& text);

/// `--annotations=github`: at the end of the run, one `::error file=…,line=…,title=…::…` line per failure,
/// error or unexpected success, so GitHub shows them on the source lines. GitHub displays only the first
/// few per step, so after `limit` a single `::notice` counts the rest. Paths are made relative to
/// GITHUB_WORKSPACE when they lie inside it.
class github_annotations : public result {
 public:
  explicit github_annotations(std::FILE* stream, std::size_t limit = 10);
  github_annotations(const github_annotations&) = delete;
  github_annotations& operator=(const github_annotations&) = delete;
  void on_event(const test_event& e) override;

 private:
  std::FILE* out_;
  std::size_t limit_;
  std::size_t problems_ = 0;
  std::vector<std::string> lines_;
};

}  // namespace assay
