// Running a test case: setUp, the test, tearDown, cleanups and subtests, with unittest's outcome rules.
#include <assay/execution.hpp>

#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <typeinfo>
#include <vector>

#include <cxxabi.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#endif
#endif

#include <assay/detail/internal.hpp>

namespace assay {

case_base::~case_base() = default;

namespace detail {

bool no_catch = false;

namespace {

// A test (or fixture) that forks and whose child returns into assay would run the rest of the plan twice
// and report twice. fork() marks the child; the process that reports the run clears the mark
// (claim_run), so a marked process is a test's child: once its part of the test is over, it leaves.
volatile bool forked_by_test = false;
[[gnu::constructor]] void watch_forks() {
  ::pthread_atfork(nullptr, nullptr, [] { forked_by_test = true; });
}

// As Python's multiprocessing ends a child whose target returned: the standard streams flushed, no
// atexit handlers, no report; status 0 when its part returned, 1 when it raised (named on stderr).
[[noreturn]] void leave_forked_child(const char* where, const test_event* raised) {
  if (raised) {
    std::fprintf(stderr, "assay: process %d, forked during %s, left it with %s%s%s\n", static_cast<int>(::getpid()),
                 where, raised->type.c_str(), raised->message.empty() ? "" : ": ", raised->message.c_str());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(raised ? 1 : 0);
}

// Thrown to leave a test early after a failed subtest when the result asks to stop (failfast).
struct should_stop_signal {};

struct subtest_frame {
  const value_ref* msg;
  const str* msg_text;
  const subtest_param* params;
  size_type count;
  bool failed = false;              // a failure reported (see note_failure)
  bool expectation_failed = false;  // one of them an expectation's
};

// The state of the running test, reached from case_base::assay_state_ (unittest's _Outcome).
struct run_state {
  result& out;
  const test_info& test;
  bool expecting_failure;
  bool success = true;
  bool expected_failure_seen = false;
  std::vector<callback> cleanups;
  std::vector<subtest_frame> subtests;
  const char* part = "";  // the running part's function name (`setUp`, `test_x`, …)
  bool failed = false;    // as subtest_frame's, for the test itself
  bool expectation_failed = false;
  ::pthread_t thread = ::pthread_self();
  // Expectations failed on other threads of the test, reported by the test's thread when its part ends.
  std::mutex pending_lock;
  std::vector<test_event> pending;
  std::atomic<bool> any_pending{false};  // set with `pending` (the lock is taken only when it is)
};

// The test running now (its thread's innermost run), for expectations: a mock's, or one made on another
// thread, has no case_base to reach the run by.
std::atomic<run_state*> running{nullptr};

std::vector<callback>& class_cleanups() {
  static std::vector<callback> v;
  return v;
}
std::vector<callback>& module_cleanups() {
  static std::vector<callback> v;
  return v;
}

// An exception that a destructor threw while its handler was ending: never destroyed, since its own
// destructor may throw too. The first few live in static storage that is never torn down (so an exit
// does not run them either); any more are leaked.
void keep_forever(std::exception_ptr p) noexcept {
  constexpr int slots = 16;
  alignas(std::exception_ptr) static unsigned char storage[slots][sizeof(std::exception_ptr)];
  static int used = 0;
  if (used < slots) ::new (storage[used++]) std::exception_ptr(std::move(p));
  else new (std::nothrow) std::exception_ptr(std::move(p));
}

// The exception in flight was thrown by the destructor of a `destroyed` exception (its handler had ended):
// an error of its own, `int: 7 (thrown by the destructor of BadException)`.
test_event describe_destructor_exception(const std::string& destroyed) {
  test_event e;
  describe_current_exception(e);
  if (!e.message.empty()) e.message += ' ';
  e.message += "(thrown by the destructor of " + destroyed + ")";
  e.file.clear();  // an AssertionError's place is not where the destructor ran
  e.line = 0;
  keep_forever(std::current_exception());
  return e;
}

void render_subtest(writer& w, const std::vector<subtest_frame>& frames) {
  const subtest_frame& inner = frames.back();
  bool any = false;
  if (inner.msg || inner.msg_text) {
    // str(msg): a string shows as itself (`[checking pairs]`), any other value by its repr.
    w.put('[');
    if (inner.msg_text) {
      w.write(*inner.msg_text);
    } else {
      inner.msg->write_to(w);
    }
    w.put(']');
    any = true;
  }
  // Parameters of enclosing subtests are inherited, innermost first; an inner key hides an outer one
  // (unittest's _OrderedChainMap).
  std::vector<const subtest_param*> params;
  for (auto f = frames.rbegin(); f != frames.rend(); ++f) {
    for (size_type i = 0; i < f->count; ++i) {
      const subtest_param* p = &f->params[i];
      bool seen = false;
      for (const subtest_param* q : params) seen = seen || view(q->key) == view(p->key);
      if (!seen) params.push_back(p);
    }
  }
  if (!params.empty()) {
    if (any) w.put(' ');
    w.put('(');
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i) w.write(", ", 2);
      w.write(params[i]->key);
      w.put('=');
      params[i]->value.write_to(w);
    }
    w.put(')');
    any = true;
  }
  if (!any) w.write("(<subtest>)");
}

test_event make_event(event_kind kind, const test_info& t) {
  test_event e;
  e.kind = kind;
  e.test = &t;
  return e;
}

// A failure joining one already reported for this test (or its subtest), where an expectation failed, is
// `further`: its own block, the test counted and shown once. Without expectations, unittest's counts hold.
void note_failure(run_state& st, test_event& e, bool expectation) {
  bool& failed = st.subtests.empty() ? st.failed : st.subtests.back().failed;
  bool& expected = st.subtests.empty() ? st.expectation_failed : st.subtests.back().expectation_failed;
  e.further = failed && (expected || expectation);
  failed = true;
  expected = expected || expectation;
}

void emit_outcome(run_state& st, outcome o, test_event&& e) {
  e.kind = st.subtests.empty() ? event_kind::outcome : event_kind::subtest;
  e.test = &st.test;
  e.result = o;
  if (!st.subtests.empty()) {
    writer w;
    render_subtest(w, st.subtests);
    e.subtest.assign(w.data(), w.size());
  }
  st.out.on_event(e);
}

// --no-catch: the part runs on a stack of its own (makecontext), whose bottom ends every unwind: an
// exception other than those a test ends itself with finds no handler at all there, so the unwinder
// gives up before unwinding anything and std::terminate is called from the throw, its frames intact for
// a debugger or a core file. (A noexcept frame would not do: g++ and clang++ both unwind to it first as
// soon as any handler, run_part's, lies above it.) The endings are caught on that stack and rethrown here.
struct uncaught_run {
  void (*call)(void*);
  void* part;
  std::exception_ptr ending;
  ucontext_t back;
};
thread_local uncaught_run* starting_uncaught = nullptr;

// AddressSanitizer is told of the switches between stacks (else it reports overflows that are none).
#if defined(__SANITIZE_ADDRESS__)
#define ASSAY_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASSAY_ASAN_FIBERS 1
#endif
#endif
#ifdef ASSAY_ASAN_FIBERS
thread_local const void* caller_stack = nullptr;
thread_local std::size_t caller_stack_size = 0;
void entered_stack() { __sanitizer_finish_switch_fiber(nullptr, &caller_stack, &caller_stack_size); }
void leaving_stack() { __sanitizer_start_switch_fiber(nullptr, caller_stack, caller_stack_size); }
void* switching_to(const void* bottom, std::size_t size) {
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  return fake_stack;
}
void switched_back(void* fake_stack) { __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr); }
#else
void entered_stack() {}
void leaving_stack() {}
void* switching_to(const void*, std::size_t) { return nullptr; }
void switched_back(void*) {}
#endif

void run_uncaught() {
  entered_stack();
  uncaught_run* run = starting_uncaught;
  try {
    run->call(run->part);
  } catch (const AssertionError&) {
    run->ending = std::current_exception();
  } catch (const SkipTest&) {
    run->ending = std::current_exception();
  } catch (const should_stop_signal&) {
    run->ending = std::current_exception();
  }
  leaving_stack();
}  // returns to run->back (uc_link)

void run_without_catching(void (*call)(void*), void* part) {
  constexpr std::size_t stack_size = std::size_t{8} << 20, guard = 64 << 10;  // a main thread's usual 8 MiB
  void* memory = ::mmap(nullptr, stack_size + guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                        -1, 0);
  if (memory == MAP_FAILED) return call(part);  // no stack to spare: the run goes on, catching as usual
  ::mprotect(memory, guard, PROT_NONE);  // an overflow is a SIGSEGV, not another mapping overwritten
  uncaught_run run{call, part, nullptr, {}};
  ucontext_t own;
  ::getcontext(&own);
  own.uc_stack.ss_sp = static_cast<char*>(memory) + guard;
  own.uc_stack.ss_size = stack_size;
  own.uc_link = &run.back;
  ::makecontext(&own, run_uncaught, 0);
  starting_uncaught = &run;
  void* fake_stack = switching_to(own.uc_stack.ss_sp, stack_size);
  ::swapcontext(&run.back, &own);
  switched_back(fake_stack);
  ::munmap(memory, stack_size + guard);
  if (run.ending) std::rethrow_exception(run.ending);
}

template <class F>
void run_maybe_uncaught(F& part) {
  if (!no_catch) return part();
  run_without_catching([](void* p) { (*static_cast<F*>(p))(); }, &part);
}

// A failed expectation, described in the handler of its AssertionError: reported now on the test's thread,
// else kept for the test's thread (a result is not called from two threads).
void report_expectation(run_state& st) {
  test_event e;
  describe_current_exception(e);
  if (e.function.empty()) e.function = st.part;
  if (!::pthread_equal(st.thread, ::pthread_self())) {
    e.result = outcome::failure;
    const std::lock_guard<std::mutex> guard(st.pending_lock);
    st.pending.push_back(std::move(e));
    st.any_pending.store(true, std::memory_order_release);
    return;
  }
  if (st.expecting_failure) {
    st.expected_failure_seen = true;  // the test went wrong as expectedFailure expects: reported after it
    return;
  }
  st.success = false;
  note_failure(st, e, true);
  emit_outcome(st, outcome::failure, std::move(e));
}

void flush_pending(run_state& st) {
  // Three times a test (setUp, the test, tearDown), nearly always with nothing pending: a flag, not a lock.
  // (A thread that failed an expectation and was joined made its flag visible by the join.)
  if (!st.any_pending.load(std::memory_order_acquire)) return;
  std::vector<test_event> pending;
  {
    const std::lock_guard<std::mutex> guard(st.pending_lock);
    pending.swap(st.pending);
    st.any_pending.store(false, std::memory_order_relaxed);
  }
  for (test_event& e : pending) {
    if (st.expecting_failure) {
      st.expected_failure_seen = true;
      continue;
    }
    st.success = false;
    note_failure(st, e, true);
    emit_outcome(st, outcome::failure, std::move(e));
  }
}

// unittest's _Outcome.testPartExecutor: run one part, turn what escapes into events, remember success.
template <class F>
bool run_part(run_state& st, const char* function, F&& part) {
  const bool old_success = st.success;
  const char* old_part = st.part;
  st.success = true;
  st.part = function;
  bool completed = false;
  const part_scope scope;  // a throw below keeps its stack
  // The exception being handled: its destructor runs as its handler ends, and may throw.
  std::string handled;
  try {
    try {
      run_maybe_uncaught(part);
      completed = true;
      if (forked_by_test && st.subtests.empty()) leave_forked_child(st.test.id.c_str(), nullptr);
    } catch (const SkipTest& s) {
      if (forked_by_test && st.subtests.empty()) leave_forked_child(st.test.id.c_str(), nullptr);
      st.success = false;
      test_event e;
      e.message.assign(s.reason().data(), s.reason().size());
      emit_outcome(st, outcome::skipped, std::move(e));
    } catch (const should_stop_signal&) {
    } catch (...) {
      test_event e;
      const bool is_failure = describe_current_exception(e);
      if (forked_by_test && st.subtests.empty()) leave_forked_child(st.test.id.c_str(), &e);
      if (e.function.empty()) e.function = function;
      if (e.file.empty()) {
        // Where an exception was thrown is unknown; inside the test body, point at the test itself.
        e.file = st.test.file;
        if (function == st.test.method) e.line = st.test.line;
      }
      const std::string type = e.type;
      if (st.expecting_failure) {
        st.expected_failure_seen = true;
        // Kept quiet: an expected failure is reported once, after the test.
      } else {
        st.success = false;
        if (is_failure) note_failure(st, e, false);
        emit_outcome(st, is_failure ? outcome::failure : outcome::error, std::move(e));
      }
      handled = type;
    }
  } catch (...) {
    if (handled.empty()) throw;  // not from a destructor: the result itself failed
    test_event e = describe_destructor_exception(handled);
    e.function = function;
    e.file = st.test.file;
    if (function == st.test.method) e.line = st.test.line;
    st.success = false;
    emit_outcome(st, outcome::error, std::move(e));
  }
  flush_pending(st);
  st.part = old_part;
  if (completed && !st.subtests.empty() && st.success) {
    // Passing subtests are events too (JUnit and workers may want them); text output ignores them.
    emit_outcome(st, outcome::success, test_event{});
  }
  st.success = st.success && old_success;
  return completed;
}

}  // namespace

const test_info& running_test(const case_base& self) noexcept {
  return static_cast<const run_state*>(self.assay_state_)->test;
}

void run_subtest(case_base& self, const value_ref* msg, const str* msg_text, const subtest_param* params,
                 size_type count, fn_ref body) {
  auto* st = static_cast<run_state*>(self.assay_state_);
  if (!st) {  // not run by assay's runner (a test calling another test's body): behave like a plain block
    body();
    return;
  }
  st->subtests.push_back(subtest_frame{msg, msg_text, params, count});
  bool ok = true;
  try {
    ok = run_part(*st, st->test.method.c_str(), body) && st->success;
  } catch (...) {
    st->subtests.pop_back();
    throw;
  }
  st->subtests.pop_back();
  if (!ok && st->out.should_stop()) throw should_stop_signal{};
  if (st->expected_failure_seen) throw should_stop_signal{};  // as unittest: stop and report the xfail
}

bool record_failure(fn_ref check) {
  run_state* st = running.load(std::memory_order_acquire);
  if (!st) {  // outside a run: nothing would report it, so it fails as the assertion would
    check();
    return true;
  }
  try {
    check();
    return true;
  } catch (const AssertionError&) {
    report_expectation(*st);
  }
  return false;
}

bool expect_not_raised(str exception_pretty, location where) {
  auto raise = [&] { fail_not_raised(exception_pretty, where); };
  return record_failure(fn_ref::of(raise));
}

bool expect_raises_regex(str pattern, const char* what, location where) {
  auto check = [&] { check_raises_regex(pattern, what, where); };
  return record_failure(fn_ref::of(check));
}

void add_cleanup(case_base& self, callback cb) {
  auto* st = static_cast<run_state*>(self.assay_state_);
  if (!st) {  // outside a run: nothing will call it, so run it never and free it now
    cb.destroy(cb.obj);
    return;
  }
  st->cleanups.push_back(cb);
}

void add_class_cleanup(callback cb) { class_cleanups().push_back(cb); }
void add_module_cleanup(callback cb) { module_cleanups().push_back(cb); }

void skip_test(message reason) { throw SkipTest(text(reason.text.data, reason.text.size)); }

void fail_not_raised(str exception_pretty, location where) {
  writer w;
  w.write_type_name(exception_pretty);
  w.write(" not raised");
  throw AssertionError(w.take(), where);
}

void check_raises_regex(str pattern, const char* what, location where) {
  const str text_str = what ? str{what, cstr_len(what)} : str{"", 0};  // a null what() matches as ""
  if (regex_search(text_str, pattern)) return;
  writer w;
  w.write_quoted(pattern);
  w.write(" does not match ");
  w.write_quoted(text_str);
  // Called in the handler of the caught exception: it becomes the failure's context, as in Python.
  if (!std::current_exception()) throw AssertionError(w.take(), where);
  test_event caught;
  describe_current_exception(caught);
  std::string context = caught.type.empty() ? std::string("Error") : caught.type;
  if (!caught.message.empty()) context += ": " + caught.message;
  throw AssertionError(w.take(), where, text(context.data(), context.size()));
}

}  // namespace detail

void run_test(const test_info& t, result& r) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  r.on_event(detail::make_event(event_kind::start_test, t));
  detail::run_state st{r, t, false, true, false, {}, {}, "", false, false, ::pthread_self(), {}, {}};
  // The innermost run is the running one (assay's selftests run inner tests inside their own).
  struct running_scope {
    detail::run_state* outer;
    explicit running_scope(detail::run_state* now) noexcept : outer(detail::running.exchange(now)) {}
    ~running_scope() { detail::running.store(outer); }
    running_scope(const running_scope&) = delete;
    running_scope& operator=(const running_scope&) = delete;
  } const scope(&st);
  if (t.skip) {
    // A decorator skip: neither the class's setUp nor the test runs (unittest).
    test_event e;
    e.message = t.skip_reason;
    detail::emit_outcome(st, outcome::skipped, std::move(e));
  } else {
    case_base* obj = nullptr;
    // The class's entry makes the object: an inherited test's own entry is its base's.
    if (detail::run_part(st, t.cls->name.c_str(), [&] { t.cls->entry(detail::entry_op::make, obj); })) {
      obj->assay_state_ = &st;
      if (detail::run_part(st, "setUp", [&] { obj->setUp(); })) {
        // Only the test method may fail as expected: setUp, tearDown and cleanups fail as usual (unittest).
        st.expecting_failure = t.expected_failure;
        detail::run_part(st, t.method.c_str(), [&] { t.entry(detail::entry_op::run, obj); });
        st.expecting_failure = false;
        detail::run_part(st, "tearDown", [&] { obj->tearDown(); });
      }
      // doCleanups: LIFO, each in its own part, even when setUp failed.
      while (!st.cleanups.empty()) {
        detail::callback cb = st.cleanups.back();
        st.cleanups.pop_back();
        detail::run_part(st, "doCleanups", [&] { cb.call(cb.obj); });
        cb.destroy(cb.obj);
      }
      detail::run_part(st, t.cls->name.c_str(), [&] { delete obj; });
    }
    if (st.success) {
      test_event e;
      if (!t.expected_failure) {
        detail::emit_outcome(st, outcome::success, std::move(e));
      } else {
        detail::emit_outcome(st, st.expected_failure_seen ? outcome::expected_failure : outcome::unexpected_success,
                             std::move(e));
      }
    }
  }
  test_event stop = detail::make_event(event_kind::stop_test, t);
  stop.seconds = std::chrono::duration<double>(clock::now() - start).count();
  r.on_event(stop);
}

void claim_run() noexcept { detail::forked_by_test = false; }

bool run_fixture(const test_info& pseudo, result& r, void (*fn)(void*), void* arg) {
  const detail::part_scope scope;
  std::string handled;  // as in run_part: the destructor of the exception handled may throw
  try {
    try {
      fn(arg);
      if (detail::forked_by_test) detail::leave_forked_child(pseudo.id.c_str(), nullptr);
      return true;
    } catch (const SkipTest& s) {
      if (detail::forked_by_test) detail::leave_forked_child(pseudo.id.c_str(), nullptr);
      test_event e = detail::make_event(event_kind::outcome, pseudo);
      e.result = outcome::skipped;
      e.message.assign(s.reason().data(), s.reason().size());
      r.on_event(e);
    } catch (...) {
      test_event e = detail::make_event(event_kind::outcome, pseudo);
      const bool is_failure = describe_current_exception(e);
      if (detail::forked_by_test) detail::leave_forked_child(pseudo.id.c_str(), &e);
      (void)is_failure;  // unittest reports any fixture exception as an error
      e.result = outcome::error;
      if (e.function.empty()) e.function = pseudo.method;
      if (e.file.empty()) e.file = pseudo.file;
      const std::string type = e.type;
      r.on_event(e);
      handled = type;
    }
  } catch (...) {
    if (handled.empty()) throw;
    test_event e = detail::describe_destructor_exception(handled);
    e.kind = event_kind::outcome;
    e.test = &pseudo;
    e.result = outcome::error;
    e.function = pseudo.method;
    e.file = pseudo.file;
    r.on_event(e);
  }
  return false;
}

namespace {

void drain(std::vector<detail::callback>& stack, const test_info& pseudo, result& r) {
  while (!stack.empty()) {
    detail::callback cb = stack.back();
    stack.pop_back();
    run_fixture(pseudo, r, cb.call, cb.obj);
    cb.destroy(cb.obj);
  }
}

}  // namespace

void do_class_cleanups(const test_info& pseudo, result& r) { drain(detail::class_cleanups(), pseudo, r); }
void do_module_cleanups(const test_info& pseudo, result& r) { drain(detail::module_cleanups(), pseudo, r); }

}  // namespace assay
