// Mock<R(Args...)>: a callable that records its calls and asserts how it was called, as unittest.mock.Mock.
#pragma once

#include <exception>
#include <initializer_list>
#include <new>
#include <type_traits>

#include <assay/assertion_error.hpp>
#include <assay/mock/call.hpp>

namespace assay::mock {

/// Raised by a mock that cannot do what it was asked (no return value to give, an exhausted side_effect):
/// a test set-up mistake, reported as an ERROR, as Python reports its TypeError or StopIteration.
class mock_error : public std::exception {
 public:
  explicit mock_error(text message) noexcept : message_(static_cast<text&&>(message)) {}
  const char* what() const noexcept override;  // out of line: the vtable lives in the library (-Wweak-vtables)

 private:
  text message_;
};

namespace detail {

/// A lock for the recording path: one atomic exchange when free, a compiled back-off loop when contended.
class spinlock {
 public:
  void lock() noexcept {
    if (__atomic_exchange_n(&locked_, true, __ATOMIC_ACQUIRE)) lock_contended();
  }
  void unlock() noexcept { __atomic_store_n(&locked_, false, __ATOMIC_RELEASE); }

 private:
  void lock_contended() noexcept;
  bool locked_ = false;
};

class lock_guard {
 public:
  explicit lock_guard(spinlock& l) noexcept : lock_(l) { lock_.lock(); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;
  ~lock_guard() { lock_.unlock(); }

 private:
  spinlock& lock_;
};

/// An optional value (or reference) without <optional>: return_value slots and side_effect items.
template <class T>
class maybe {
 public:
  maybe() noexcept {}
  maybe(const maybe& o) : full_(o.full_) {
    if (full_) ::new (static_cast<void*>(&value_)) T(o.value_);
  }
  maybe(maybe&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : full_(o.full_) {
    if (full_) ::new (static_cast<void*>(&value_)) T(static_cast<T&&>(o.value_));
  }
  maybe& operator=(maybe o) {
    reset();
    if (o.full_) emplace(static_cast<T&&>(o.value_));
    return *this;
  }
  ~maybe() { reset(); }
  /// `m.return_value = v;` on a slot: holds v from now on.
  template <class U>
    requires(!std::is_same_v<assay::detail::remove_cvref_t<U>, maybe>)
  maybe& operator=(U&& u) {
    emplace(static_cast<U&&>(u));
    return *this;
  }
  template <class U>
  void emplace(U&& u) {
    reset();
    ::new (static_cast<void*>(&value_)) T(static_cast<U&&>(u));
    full_ = true;
  }
  void reset() noexcept {
    if (full_) value_.~T();
    full_ = false;
  }
  bool has_value() const noexcept { return full_; }
  T& operator*() noexcept { return value_; }
  const T& operator*() const noexcept { return value_; }

 private:
  union {
    T value_;
  };
  bool full_ = false;
};

template <class T>
class maybe<T&> {
 public:
  /// `m.return_value = x;` on a reference slot: refers to x from now on.
  template <class U>
    requires(!std::is_same_v<assay::detail::remove_cvref_t<U>, maybe>)
  maybe& operator=(U& u) noexcept {
    ptr_ = &u;
    return *this;
  }
  template <class U>
  void emplace(U& u) noexcept {
    ptr_ = &u;
  }
  void reset() noexcept { ptr_ = nullptr; }
  bool has_value() const noexcept { return ptr_ != nullptr; }
  T& operator*() const noexcept { return *ptr_; }

 private:
  T* ptr_ = nullptr;
};

/// A growable array (std::vector's few members that call lists need, without including <vector>).
template <class T>
class array {
 public:
  using value_type = T;
  using const_iterator = const T*;
  array() noexcept = default;
  array(const array&) = delete;
  array& operator=(const array&) = delete;
  ~array() {
    clear();
    ::operator delete(data_);
  }

  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T& operator[](size_type i) const noexcept { return data_[i]; }
  T& operator[](size_type i) noexcept { return data_[i]; }
  const T& front() const noexcept { return data_[0]; }
  const T& back() const noexcept { return data_[size_ - 1]; }

  template <class... A>
  T& emplace_back(A&&... a) {
    if (size_ == capacity_) grow();
    T* p = ::new (static_cast<void*>(data_ + size_)) T(static_cast<A&&>(a)...);
    ++size_;
    return *p;
  }
  void clear() noexcept {
    for (size_type i = size_; i > 0; --i) data_[i - 1].~T();
    size_ = 0;
  }

 private:
  void grow() {
    const size_type capacity = capacity_ ? capacity_ * 2 : 8;
    T* fresh = static_cast<T*>(::operator new(capacity * sizeof(T)));
    for (size_type i = 0; i < size_; ++i) {
      ::new (static_cast<void*>(fresh + i)) T(static_cast<T&&>(data_[i]));
      data_[i].~T();
    }
    ::operator delete(data_);
    data_ = fresh;
    capacity_ = capacity;
  }
  T* data_ = nullptr;
  size_type size_ = 0;
  size_type capacity_ = 0;
};

struct none {};
template <class R>
using value_or_none = std::conditional_t<std::is_void_v<R>, none, R>;

/// An owned, type-erased callable `maybe<value_or_none<R>>(Args&&...)`; an empty result means DEFAULT.
template <class R, class... Args>
class effect_function {
 public:
  effect_function() noexcept = default;
  effect_function(const effect_function&) = delete;
  effect_function& operator=(const effect_function&) = delete;
  ~effect_function() { reset(); }

  template <class F>
  void set(F&& f) {
    using D = std::decay_t<F>;
    reset();
    obj_ = new D(static_cast<F&&>(f));
    destroy_ = [](void* p) { delete static_cast<D*>(p); };
    call_ = [](void* p, Args&&... a) -> maybe<value_or_none<R>> {
      using result = decltype((*static_cast<D*>(p))(static_cast<Args&&>(a)...));
      maybe<value_or_none<R>> out;
      if constexpr (std::is_void_v<result> || std::is_same_v<assay::detail::remove_cvref_t<result>, default_t>) {
        (*static_cast<D*>(p))(static_cast<Args&&>(a)...);
      } else if constexpr (std::is_void_v<R>) {
        (void)(*static_cast<D*>(p))(static_cast<Args&&>(a)...);
      } else if constexpr (std::is_reference_v<R>) {
        out.emplace((*static_cast<D*>(p))(static_cast<Args&&>(a)...));
      } else {
        out.emplace(R((*static_cast<D*>(p))(static_cast<Args&&>(a)...)));
      }
      return out;
    };
  }
  void reset() noexcept {
    if (obj_) destroy_(obj_);
    obj_ = nullptr;
  }
  maybe<value_or_none<R>> operator()(Args&&... a) const { return call_(obj_, static_cast<Args&&>(a)...); }

 private:
  void* obj_ = nullptr;
  void (*destroy_)(void*) = nullptr;
  maybe<value_or_none<R>> (*call_)(void*, Args&&...) = nullptr;
};

/// One element of a side_effect sequence: a value to return, an exception to raise, or DEFAULT.
template <class R>
class effect_item {
 public:
  effect_item(default_t) noexcept {}  // NOLINT: implicit, so braced lists read {1, DEFAULT, MyError("x")}
  template <class V>
    requires(!std::is_void_v<R> && std::is_convertible_v<V &&, R> && !std::is_same_v<std::decay_t<V>, default_t>)
  effect_item(V&& v) {  // NOLINT
    value_.emplace(static_cast<V&&>(v));
  }
  template <class E>
    requires(std::is_class_v<std::decay_t<E>> && (std::is_void_v<R> || !std::is_convertible_v<E &&, R>) &&
             !std::is_same_v<std::decay_t<E>, default_t>)
  effect_item(E&& e) : exception_(std::make_exception_ptr(static_cast<E&&>(e))) {}  // NOLINT

  maybe<value_or_none<R>> value_{};
  std::exception_ptr exception_{};
};

template <class T>
concept iterable = assay::detail::iterable<T>;

/// What operator() must do once the call is recorded, decided under the lock.
enum class effect_kind : unsigned char { none, exception, function, item, exhausted };

// Compiled message builders; each throws assay::AssertionError (or mock_error) worded as unittest.mock words it.
struct printable {  // a list of things compiled code can print one by one
  const void* obj;
  size_type size;
  void (*print)(writer&, const void* obj, size_type i);
};
enum class failure : unsigned char {
  called, called_once, not_called, called_with, called_once_with, any_call, has_calls, has_calls_any_order
};
[[noreturn]] void fail(failure kind, const text& name, printable calls, printable expected, location where);
[[noreturn]] void fail_no_return_value(const text& name, str return_type, bool reference);
[[noreturn]] void fail_exhausted(const text& name, size_type items);
text name_from_pretty(str pretty);

/// How a mock's repr reads, as Python's does: `<Mock id='0x…'>`, `<Mock name='get_animals' id='0x…'>`, and
/// for autospec's mock of a function `<function get_animals at 0x…>` (Python's create_autospec gives a function).
enum class mock_style : unsigned char { unnamed, named, function };
void write_mock(writer& w, const text& name, mock_style style, const void* address);
/// `<Mock spec='ZooDatabase' id='0x…'>` for a class mock (the interface without its namespaces).
void write_class_mock(writer& w, str interface_name, const void* address);

/// Selects the constructor autospec uses (its mock prints as the function it replaces).
struct autospec_tag {};

template <class List>
printable calls_of(const List& list) noexcept {
  return printable{&list, list.size(), [](writer& w, const void* obj, size_type i) {
                     assay::detail::repr_to(w, (*static_cast<const List*>(obj))[i]);
                   }};
}

}  // namespace detail

/// `side_effect`: an exception to raise, a callable to call instead, or a sequence consumed one item per call.
template <class R, class... Args>
class side_effect_t {
 public:
  side_effect_t() noexcept = default;
  side_effect_t(const side_effect_t&) = delete;
  side_effect_t& operator=(const side_effect_t&) = delete;

  /// `m.side_effect = nullptr;` is Python's `m.side_effect = None`.
  side_effect_t& operator=(decltype(nullptr)) noexcept {
    clear();
    return *this;
  }
  /// `m.side_effect = {1, 2, MyError("x"), DEFAULT};` — one item per call; an exception item is raised.
  side_effect_t& operator=(std::initializer_list<detail::effect_item<R>> items) {
    clear();
    for (const auto& i : items) items_.emplace_back(i);
    kind_ = detail::effect_kind::item;
    return *this;
  }
  /// A callable with the mock's parameters: its result is returned (unless it returns void or DEFAULT);
  /// a range of values: one per call; anything else: an exception object, raised on every call.
  template <class T>
    requires(!std::is_same_v<std::decay_t<T>, side_effect_t> && !std::is_same_v<std::decay_t<T>, decltype(nullptr)>)
  side_effect_t& operator=(T&& v) {
    clear();
    if constexpr (std::is_invocable_v<T&, Args...>) {
      function_.set(static_cast<T&&>(v));
      kind_ = detail::effect_kind::function;
    } else if constexpr (detail::iterable<std::decay_t<T>> && !std::is_void_v<R>) {
      for (const auto& e : v) items_.emplace_back(e);
      kind_ = detail::effect_kind::item;
    } else {
      static_assert(std::is_class_v<std::decay_t<T>>,
                    "assay: side_effect takes an exception object (of class type), a callable with the mock's "
                    "parameters, or a sequence of values");
      exception_ = std::make_exception_ptr(static_cast<T&&>(v));
      kind_ = detail::effect_kind::exception;
    }
    return *this;
  }
  /// True when a side effect is set (Python: `m.side_effect is not None`).
  explicit operator bool() const noexcept { return kind_ != detail::effect_kind::none; }

 private:
  template <class>
  friend class Mock;
  void clear() noexcept {
    kind_ = detail::effect_kind::none;
    exception_ = nullptr;
    function_.reset();
    items_.clear();
    next_ = 0;
  }
  detail::effect_kind kind_ = detail::effect_kind::none;
  std::exception_ptr exception_{};
  detail::effect_function<R, Args...> function_{};
  detail::array<detail::effect_item<R>> items_{};
  size_type next_ = 0;
};

/// `call_args`: the last call, or nothing (Python's None) before the first call.
template <class Call>
class last_call {
 public:
  using value_type = Call;
  explicit last_call(const detail::array<Call>& list) noexcept : list_(&list) {}
  bool has_value() const noexcept { return !list_->empty(); }
  explicit operator bool() const noexcept { return has_value(); }
  const Call& operator*() const noexcept { return list_->back(); }
  const Call* operator->() const noexcept { return &list_->back(); }
  template <class... E>
  friend bool operator==(const last_call& a, const call_t<E...>& b) {
    return a.has_value() && *a == b;
  }
  friend void assay_repr(detail::writer& w, const last_call& c) {
    if (c.has_value()) {
      assay::detail::repr_to(w, *c);
    } else {
      w.write("None", 4);
    }
  }

 private:
  const detail::array<Call>* list_;
};

template <class Signature>
class Mock {
  static_assert(detail::always_false<Signature>, "assay: Mock takes a function type: Mock<R(Args...)>");
};
template <class Signature>
class handle;

/// A mock function: `Mock<Animals(Database&, const std::string&)> get_animals{"get_animals"};`
/// Call it like the function it replaces, then assert how it was called (unittest.mock.Mock(spec=f)).
template <class R, class... Args>
class Mock<R(Args...)> {
 public:
  /// The recorded form of one call to this mock.
  using call_type = call_t<detail::stored_t<Args>...>;
  /// What `return_value` holds: R itself when R can be default-constructed, otherwise an optional slot.
  using return_type =
      std::conditional_t<std::is_void_v<R>, detail::none,
                         std::conditional_t<std::is_default_constructible_v<R> && !std::is_reference_v<R>, R,
                                            detail::maybe<R>>>;

  /// A mock named "mock" in its failure messages, as Python's default; its repr is `<Mock id='0x…'>`.
  Mock() : name_("mock", 4) {}
  /// A mock named `name` in its failure messages and its repr (`<Mock name='get_animals' id='0x…'>`).
  explicit Mock(message name) : name_(name.text.data, name.text.size), style_(detail::mock_style::named) {}
  Mock(detail::autospec_tag, text name) : name_(static_cast<text&&>(name)), style_(detail::mock_style::function) {}
  Mock(const Mock&) = delete;
  Mock& operator=(const Mock&) = delete;

  /// A cheap copyable callable that calls this mock, which records the call: what a std::function takes.
  /// `std::function<Animals(Database&, const std::string&)> f = get_animals.handle();` (the mock must outlive it)
  assay::mock::handle<R(Args...)> handle() noexcept { return assay::mock::handle<R(Args...)>(*this); }

  /// Returned by every call without a side effect; a default-constructed R until set.
  return_type return_value{};
  /// An exception to raise, a callable to call, or a sequence to consume (see side_effect_t).
  side_effect_t<R, Args...> side_effect{};
  /// True once the mock has been called.
  bool called = false;
  /// Number of calls so far.
  size_type call_count = 0;
  /// Every call, oldest first.
  detail::array<call_type> call_args_list{};
  /// The most recent call, or nothing (`None`) before the first.
  last_call<call_type> call_args{call_args_list};
  /// Every call made to the mock (the same list as call_args_list: a function mock has no children).
  const detail::array<call_type>& mock_calls = call_args_list;

  /// Records the call, then raises, calls or consumes the side effect, or returns return_value.
  R operator()(Args... args) {
    detail::effect_kind kind;
    size_type item = 0;
    {
      detail::lock_guard guard(lock_);
      call_args_list.emplace_back(
          detail::make_values<detail::stored_t<Args>...>(detail::store<Args>(args)...));
      ++call_count;
      called = true;
      kind = side_effect.kind_;
      if (kind == detail::effect_kind::item) {
        item = side_effect.next_++;
        if (item >= side_effect.items_.size()) kind = detail::effect_kind::exhausted;
      }
    }
    if (kind == detail::effect_kind::none) [[likely]] {
      return result();
    }
    return with_effect(kind, item, args...);
  }

  /// `assert_called()`: the mock was called at least once.
  void assert_called(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count == 0) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::called, nullptr, where);
    }
  }
  /// `assert_called_once()`: the mock was called exactly once.
  void assert_called_once(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count != 1) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::called_once, nullptr, where);
    }
  }
  /// `assert_not_called()`: the mock was never called.
  void assert_not_called(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count != 0) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::not_called, nullptr, where);
    }
  }
  /// `assert_called_with(…)`: the most recent call had these arguments (ANY matches anything).
  void assert_called_with(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    if (call_args_list.empty() || !e.matches(call_args_list.back())) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::called_with, &e, where);
    }
  }
  /// `assert_called_once_with(…)`: called exactly once, with these arguments.
  void assert_called_once_with(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    if (call_count != 1) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::called_once_with, nullptr, where);
    }
    if (!e.matches(call_args_list.back())) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      fail(detail::failure::called_with, &e, where);
    }
  }
  /// `assert_any_call(…)`: some call, not only the last, had these arguments.
  void assert_any_call(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    for (const auto& c : call_args_list)
      if (e.matches(c)) return;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    fail(detail::failure::any_call, &e, where);
  }
  /// `assert_has_calls([call(…), …], any_order)`: the calls appear consecutively in mock_calls, or, with
  /// `any_order` true, each appears somewhere (each recorded call is used once).
  void assert_has_calls(std::initializer_list<detail::expected_call<Args...>> calls, bool any_order = false,
                        location where = location::here()) const {
    has_calls(calls.begin(), calls.size(), any_order, where);
  }
  /// As above, from any range of calls (a std::vector of call(…), another mock's call_args_list, …).
  template <class Range>
    requires detail::iterable<Range>
  void assert_has_calls(const Range& calls, bool any_order = false, location where = location::here()) const {
    detail::array<detail::expected_call<Args...>> list;
    for (const auto& c : calls) list.emplace_back(c);
    has_calls(list.begin(), list.size(), any_order, where);
  }

  // The assert_* methods' non-fatal twins (expect_called_once_with, …): the same check and message; a
  // failure is recorded as the test's, which goes on. Each returns whether it passed.
  bool expect_called(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count == 0) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::called, nullptr, where); });
    }
    return true;
  }
  bool expect_called_once(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count != 1) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::called_once, nullptr, where); });
    }
    return true;
  }
  bool expect_not_called(location where = location::here()) const {
    detail::lock_guard guard(lock_);
    if (call_count != 0) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::not_called, nullptr, where); });
    }
    return true;
  }
  bool expect_called_with(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    if (call_args_list.empty() || !e.matches(call_args_list.back())) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::called_with, &e, where); });
    }
    return true;
  }
  bool expect_called_once_with(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    if (call_count != 1) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::called_once_with, nullptr, where); });
    }
    if (!e.matches(call_args_list.back())) {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      return expect([&] { fail(detail::failure::called_with, &e, where); });
    }
    return true;
  }
  bool expect_any_call(detail::expected_arg<Args>... expected, location where = location::here()) const {
    detail::lock_guard guard(lock_);
    const expected_args e{expected...};
    for (const auto& c : call_args_list)
      if (e.matches(c)) return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return expect([&] { fail(detail::failure::any_call, &e, where); });
  }
  bool expect_has_calls(std::initializer_list<detail::expected_call<Args...>> calls, bool any_order = false,
                        location where = location::here()) const {
    return has_calls<true>(calls.begin(), calls.size(), any_order, where);
  }
  template <class Range>
    requires detail::iterable<Range>
  bool expect_has_calls(const Range& calls, bool any_order = false, location where = location::here()) const {
    detail::array<detail::expected_call<Args...>> list;
    for (const auto& c : calls) list.emplace_back(c);
    return has_calls<true>(list.begin(), list.size(), any_order, where);
  }

  /// `reset_mock()`: forget the calls; return_value and side_effect stay, as in Python.
  void reset_mock() {
    detail::lock_guard guard(lock_);
    call_args_list.clear();
    call_count = 0;
    called = false;
  }

 private:
  using expected_args = detail::expected_args<Args...>;

  R result() {
    if constexpr (std::is_void_v<R>) {
      return;
    } else if constexpr (std::is_same_v<return_type, R>) {
      if constexpr (std::is_copy_constructible_v<R>) {
        return return_value;
      } else {
        return static_cast<R&&>(return_value);  // a move-only return_value is handed over (once)
      }
    } else {
      if (!return_value.has_value()) [[unlikely]] {
        detail::fail_no_return_value(name_, {assay::detail::type_name<R>(), assay::detail::cstr_len(assay::detail::type_name<R>())},
                                     std::is_reference_v<R>);
      }
      if constexpr (std::is_reference_v<R> || std::is_copy_constructible_v<R>) {
        return *return_value;
      } else {
        return static_cast<R&&>(*return_value);
      }
    }
  }

  R with_effect(detail::effect_kind kind, size_type item, Args&... args) {
    switch (kind) {
      case detail::effect_kind::exception:
        std::rethrow_exception(side_effect.exception_);
      case detail::effect_kind::exhausted:
        detail::fail_exhausted(name_, side_effect.items_.size());
      case detail::effect_kind::function: {
        auto out = side_effect.function_(static_cast<Args&&>(args)...);
        if constexpr (!std::is_void_v<R>) {
          if (out.has_value()) return static_cast<R>(*out);
        }
        return result();
      }
      case detail::effect_kind::none:
        return result();
      case detail::effect_kind::item:
        break;
    }
    const auto& e = side_effect.items_[item];
    if (e.exception_) std::rethrow_exception(e.exception_);
    if constexpr (!std::is_void_v<R>) {
      if (e.value_.has_value()) return *e.value_;
    }
    return result();
  }

  // An expectation's failure: recorded (false); Record false, an assertion's: thrown.
  template <bool Record = true, class F>
  static bool expect(F raise) {
    if constexpr (Record) {
      return ::assay::detail::record_failure(::assay::detail::fn_ref::of(raise));
    } else {
      raise();
      return false;
    }
  }

  [[noreturn]] void fail(detail::failure kind, const expected_args* e, location where) const {
    const detail::printable expected{e, e ? 1u : 0u, [](detail::writer& w, const void* p, size_type) {
                                       static_cast<const expected_args*>(p)->print(w);
                                     }};
    detail::fail(kind, name_, detail::calls_of(call_args_list), expected, where);
  }

  template <bool Record = false>
  bool has_calls(const detail::expected_call<Args...>* calls, size_type n, bool any_order, location where) const {
    detail::lock_guard guard(lock_);
    const size_type total = call_args_list.size();
    const detail::printable expected{calls, n, [](detail::writer& w, const void* p, size_type i) {
                                       static_cast<const detail::expected_call<Args...>*>(p)[i].print(w);
                                     }};
    if (!any_order) {
      for (size_type start = 0; start + n <= total; ++start) {
        size_type k = 0;
        while (k < n && calls[k].matches(call_args_list[start + k])) ++k;
        if (k == n) return true;
      }
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up
      return expect<Record>(
          [&] { detail::fail(detail::failure::has_calls, name_, detail::calls_of(call_args_list), expected, where); });
    }
    // Each expected call takes the first unused recorded call it matches, as Python's list.remove does.
    detail::array<bool> used;
    for (size_type i = 0; i < total; ++i) used.emplace_back(false);
    detail::array<size_type> missing;
    for (size_type k = 0; k < n; ++k) {
      size_type i = 0;
      while (i < total && (used[i] || !calls[k].matches(call_args_list[i]))) ++i;
      if (i < total) {
        used[i] = true;
      } else {
        missing.emplace_back(k);
      }
    }
    if (missing.empty()) return true;
    struct rest_t {
      const detail::array<call_type>* list;
      const detail::array<bool>* used;
      const detail::expected_call<Args...>* calls;
      const detail::array<size_type>* missing;
    } rest{&call_args_list, &used, calls, &missing};
    detail::array<size_type> remaining;
    for (size_type i = 0; i < total; ++i)
      if (!used[i]) remaining.emplace_back(i);
    const detail::printable not_found{&rest, missing.size(), [](detail::writer& w, const void* p, size_type i) {
                                        const auto* r = static_cast<const rest_t*>(p);
                                        r->calls[(*r->missing)[i]].print(w);
                                      }};
    struct left_t {
      const detail::array<call_type>* list;
      const detail::array<size_type>* index;
    } left{&call_args_list, &remaining};
    const detail::printable found{&left, remaining.size(), [](detail::writer& w, const void* p, size_type i) {
                                    const auto* l = static_cast<const left_t*>(p);
                                    assay::detail::repr_to(w, (*l->list)[(*l->index)[i]]);
                                  }};
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up
    return expect<Record>([&] { detail::fail(detail::failure::has_calls_any_order, name_, found, not_found, where); });
  }

  friend void assay_repr(detail::writer& w, const Mock& m) { detail::write_mock(w, m.name_, m.style_, &m); }

  text name_;
  detail::mock_style style_ = detail::mock_style::unnamed;
  mutable detail::spinlock lock_{};
};

/// What `mock.handle()` returns: a pointer-sized, copyable callable forwarding each call to the mock, so a mock
/// can go where a std::function (or any copyable callable) is expected. It prints as its mock does.
template <class R, class... Args>
class handle<R(Args...)> {
 public:
  explicit handle(Mock<R(Args...)>& mock) noexcept : mock_(&mock) {}
  R operator()(Args... args) const { return (*mock_)(static_cast<Args&&>(args)...); }
  /// The mock this handle calls.
  Mock<R(Args...)>& mock() const noexcept { return *mock_; }
  friend void assay_repr(detail::writer& w, const handle& h) { assay::detail::repr_to(w, *h.mock_); }

 private:
  Mock<R(Args...)>* mock_;
};

namespace detail {

/// The call signature of a function, a function pointer, or a function wrapper such as std::function<R(A...)>.
template <class T>
struct function_signature {
  using type = void;
};
template <class R, class... A>
struct function_signature<R(A...)> {
  using type = R(A...);
};
template <class R, class... A>
struct function_signature<R(A...) noexcept> {
  using type = R(A...);
};
template <class R, class... A>
struct function_signature<R (*)(A...)> {
  using type = R(A...);
};
template <class R, class... A>
struct function_signature<R (*)(A...) noexcept> {
  using type = R(A...);
};
template <template <class> class W, class R, class... A>
struct function_signature<W<R(A...)>> {
  using type = R(A...);
};
template <auto& F>
using signature_of = typename function_signature<std::remove_cv_t<std::remove_reference_t<decltype(F)>>>::type;

template <auto& F>
constexpr const char* pretty_name() noexcept {
  return __PRETTY_FUNCTION__;
}
/// The unqualified name of the function or variable F (zoo::get_animals gives "get_animals").
template <auto& F>
text name_of() {
  return name_from_pretty(str{pretty_name<F>(), cstr_len(pretty_name<F>())});
}

}  // namespace detail

/// `create_autospec(get_animals)`: a mock with F's signature, named after F.
/// F is a function, a function pointer or std::function variable: `auto m = assay::mock::autospec<get_animals>();`
template <auto& F>
Mock<detail::signature_of<F>> autospec() {
  static_assert(!std::is_void_v<detail::signature_of<F>>,
                "assay: autospec<F>() needs a function, a function pointer or a std::function-like variable");
  return Mock<detail::signature_of<F>>(detail::autospec_tag{}, detail::name_of<F>());
}

}  // namespace assay::mock
