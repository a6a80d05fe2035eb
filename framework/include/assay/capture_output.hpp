// capture_output: what a block of a test writes to stdout and stderr, as a value (pytest's capsys/capfd).
#pragma once

#include <string>

#include <assay/detail/core.hpp>

namespace assay {

/// What `capture_output` caught, as pytest's `readouterr()` names it: `out` (stdout) and `err` (stderr).
struct captured_output {
  std::string out;
  std::string err;
};

namespace detail {
captured_output capture_output(fn_ref body);
}  // namespace detail

/// Runs `body` with file descriptors 1 and 2 redirected, and returns what it wrote there: printf, std::cout,
/// std::cerr, write(2) and child processes alike (the streams are flushed before and after). Nests, and
/// composes with -b: the output around the block is captured as before. If `body` throws, the descriptors
/// are restored and the exception goes on.
///     auto written = assay::capture_output([&] { zoo_main(2, argv); });
///     assertEqual(written.out, "Fed 2 Meerkat(s)\n");
template <class F>
captured_output capture_output(F&& body) {
  return detail::capture_output(detail::fn_ref::of(body));
}

}  // namespace assay
