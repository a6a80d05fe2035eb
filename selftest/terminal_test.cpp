// Colour decisions (flags, NO_COLOR, CLICOLOR_FORCE, TERM, a real pseudo-terminal) and GitHub annotation escaping.
#include <assay/assay.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include <assay/terminal.hpp>

namespace {

class Failing : public assay::TestCase<Failing> {
 protected:
  TEST(test_x, assay::detail::not_collected) {}
};

class TerminalTest : public assay::TestCase<TerminalTest> {
 protected:
  void set_env(const char* name, const char* value) {
    const char* old = std::getenv(name);
    addCleanup([name, had = old != nullptr, previous = std::string(old ? old : "")] {
      if (had) ::setenv(name, previous.c_str(), 1);
      else ::unsetenv(name);
    });
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  void setUp() override {
    for (const char* name : {"NO_COLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "TERM"}) set_env(name, nullptr);
    int fds[2];
    assertEqual(::pipe(fds), 0);
    pipe_ = fds[1];
    addCleanup([fds] {
      ::close(fds[0]);
      ::close(fds[1]);
    });
  }

  TEST(test_explicit_mode_wins) {
    set_env("NO_COLOR", "1");
    assertTrue(assay::use_color(assay::color_mode::always, pipe_));
    set_env("CLICOLOR_FORCE", "1");
    assertFalse(assay::use_color(assay::color_mode::never, pipe_));
  }

  TEST(test_automatic_on_a_pipe) {
    assertFalse(assay::use_color(assay::color_mode::automatic, pipe_));
    set_env("CLICOLOR_FORCE", "1");
    assertTrue(assay::use_color(assay::color_mode::automatic, pipe_));
    set_env("CLICOLOR_FORCE", "0");
    assertFalse(assay::use_color(assay::color_mode::automatic, pipe_));
    set_env("FORCE_COLOR", "1");
    assertTrue(assay::use_color(assay::color_mode::automatic, pipe_));
    set_env("NO_COLOR", "yes");  // NO_COLOR beats any force
    assertFalse(assay::use_color(assay::color_mode::automatic, pipe_));
  }

  TEST(test_automatic_on_a_terminal) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    assertGreaterEqual(master, 0);
    addCleanup([master] { ::close(master); });
    assertEqual(::grantpt(master), 0);
    assertEqual(::unlockpt(master), 0);
    const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    assertGreaterEqual(terminal, 0);
    addCleanup([terminal] { ::close(terminal); });
    assertTrue(assay::use_color(assay::color_mode::automatic, terminal));
    set_env("NO_COLOR", "");  // empty: as if unset (no-color.org)
    assertTrue(assay::use_color(assay::color_mode::automatic, terminal));
    set_env("TERM", "dumb");
    assertFalse(assay::use_color(assay::color_mode::automatic, terminal));
    set_env("TERM", "xterm");
    set_env("NO_COLOR", "1");
    assertFalse(assay::use_color(assay::color_mode::automatic, terminal));
  }

  TEST(test_github_escaping) {
    assertEqual(assay::github_escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
    assertEqual(assay::github_escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
  }

  TEST(test_annotations_are_capped) {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = ::open_memstream(&buffer, &size);
    set_env("GITHUB_WORKSPACE", "/src/");
    {
      assay::github_annotations notes(out, 2);
      assay::test_event e;
      e.kind = assay::event_kind::outcome;
      e.test = assay::find_test("terminal_test.Failing.test_x");
      e.result = assay::outcome::failure;
      e.type = "AssertionError";
      e.message = "1 != 2";
      e.file = "/src/dir/a,b.cpp";
      e.line = 7;
      for (int i = 0; i < 4; ++i) notes.on_event(e);
      e.result = assay::outcome::skipped;  // not a problem: not annotated, not counted
      notes.on_event(e);
      assay::test_event stop;
      stop.kind = assay::event_kind::stop_run;
      notes.on_event(stop);
    }
    std::fclose(out);
    const std::string text(buffer, size);
    std::free(buffer);
    const std::string line =
        "::error file=dir/a%2Cb.cpp,line=7,title=FAIL%3A test_x (terminal_test.Failing.test_x)::"
        "Traceback (most recent call last):%0A  File \"/src/dir/a,b.cpp\", line 7%0AAssertionError: 1 != 2\n";
    assertMultiLineEqual(text, line + line +
                                   "::notice::2 more failures are not annotated; see the log or the JUnit report\n");
  }

  int pipe_ = -1;
};

}  // namespace
