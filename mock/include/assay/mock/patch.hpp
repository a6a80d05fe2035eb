// patch: replace an assignable global (a variable, a function pointer, a std::function seam) for a scope, as
// unittest.mock.patch does, restoring it when the guard goes, exceptions included.
#pragma once

#include <type_traits>
#include <utility>  // std::tuple_size, for `auto [a, b] = patch_multiple<a, b>();`

#include <assay/mock/mock.hpp>

namespace assay::mock {

/// The guard `patch(target, value)` returns: restores the target on destruction or `stop()`.
/// It is a callable that stops the patch, so `addCleanup(patch(target, value))` is unittest's
/// `patcher.start(); self.addCleanup(patcher.stop)`.
template <class T>
class [[nodiscard]] patcher {
 public:
  template <class V>
  patcher(T& target, V&& value) : target_(&target), original_() {
    original_.emplace(static_cast<T&&>(target));
    try {
      target = static_cast<V&&>(value);
    } catch (...) {
      target = static_cast<T&&>(*original_);
      throw;
    }
  }
  patcher(patcher&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : target_(other.target_), original_(static_cast<detail::maybe<T>&&>(other.original_)) {
    other.target_ = nullptr;
  }
  patcher(const patcher&) = delete;
  patcher& operator=(const patcher&) = delete;
  patcher& operator=(patcher&&) = delete;
  ~patcher() { stop(); }

  /// Puts the original value back (once; later calls do nothing).
  void stop() {
    if (!target_) return;
    *target_ = static_cast<T&&>(*original_);
    target_ = nullptr;
    original_.reset();
  }
  void operator()() { stop(); }
  /// True until stopped.
  bool active() const noexcept { return target_ != nullptr; }

 private:
  T* target_;
  detail::maybe<T> original_;
};

namespace detail {

template <class M>
inline constexpr bool is_mock_v = false;
template <class S>
inline constexpr bool is_mock_v<Mock<S>> = true;


/// A plain function that forwards to the mock patched into the function-pointer seam Seam.
template <auto& Seam, class S>
struct trampoline;
template <auto& Seam, class R, class... A>
struct trampoline<Seam, R(A...)> {
  static inline Mock<R(A...)>* mock = nullptr;
  // noexcept as the seam's type demands (a side_effect exception then terminates, as the real function would).
  static R call(A... a) noexcept(std::is_nothrow_invocable_v<std::remove_reference_t<decltype(Seam)>, A...>) {
    return (*mock)(static_cast<A&&>(a)...);
  }
};

/// Two patches undone in reverse order (the seam, then the trampoline's mock pointer).
template <class First, class Second>
struct [[nodiscard]] patch_pair {
  First first;
  Second second;
  void stop() {
    second.stop();
    first.stop();
  }
  void operator()() { stop(); }
};

template <class T>
constexpr void check_patchable() {
  static_assert(!std::is_function_v<T>,
                "assay: C++ cannot replace a function: call it through a seam (a function pointer or std::function "
                "variable initialised with the real function) and patch the seam");
  static_assert(!std::is_const_v<T>, "assay: cannot patch a const variable");
}

}  // namespace detail

/// `patch(target, value)`: sets `target` to `value` until the returned guard is destroyed or stopped.
/// `target` is any assignable variable: a global or static, a function pointer, a std::function seam, a pointer to
/// an interface. A Mock as value is installed by reference into a std::function-like seam.
template <class T, class V>
[[nodiscard]] patcher<T> patch(T& target, V&& value) {
  detail::check_patchable<T>();
  if constexpr (detail::is_mock_v<assay::detail::remove_cvref_t<V>>) {
    static_assert(!std::is_pointer_v<T>,
                  "assay: a function pointer cannot point at a mock object: patch the seam by name with "
                  "patch<seam>(mock), which installs a forwarding function");
    static_assert(std::is_lvalue_reference_v<V>, "assay: patch(target, mock) needs a mock that outlives the patch");
    return patcher<T>(target, value.handle());
  } else {
    return patcher<T>(target, static_cast<V&&>(value));
  }
}

/// `patch<seam>(mock)`: routes calls of the function seam (a function pointer or std::function variable) to `mock`.
template <auto& Seam, class S>
[[nodiscard]] auto patch(Mock<S>& mock) {
  using T = std::remove_reference_t<decltype(Seam)>;
  detail::check_patchable<T>();
  if constexpr (std::is_pointer_v<T>) {
    using hop = detail::trampoline<Seam, S>;
    return detail::patch_pair<patcher<Mock<S>*>, patcher<T>>{patcher<Mock<S>*>(hop::mock, &mock),
                                                              patcher<T>(Seam, &hop::call)};
  } else {
    return patcher<T>(Seam, mock.handle());
  }
}

/// `patch<seam>(value)`: as patch(seam, value).
template <auto& Seam, class V>
  requires(!detail::is_mock_v<assay::detail::remove_cvref_t<V>>)
[[nodiscard]] patcher<std::remove_reference_t<decltype(Seam)>> patch(V&& value) {
  return patch(Seam, static_cast<V&&>(value));
}

/// A fresh mock patched into a function seam, named after it: `auto now_func = patch<get_do_rounds_time>();`
/// The mock is the guard: the seam is restored when it goes out of scope.
template <auto& Seam>
class [[nodiscard]] patched : public Mock<detail::signature_of<Seam>> {
  using mock_type = Mock<detail::signature_of<Seam>>;

 public:
  patched() : mock_type(detail::name_of<Seam>()), guard_(patch<Seam>(static_cast<mock_type&>(*this))) {}
  patched(const patched&) = delete;
  patched& operator=(const patched&) = delete;
  /// Restores the seam now (the mock keeps its calls).
  void stop() { guard_.stop(); }

 private:
  decltype(patch<Seam>(std::declval<mock_type&>())) guard_;
};

/// `with patch('mod.seam') as m:` — patches the function seam with a fresh mock and returns it.
template <auto& Seam>
  requires(!std::is_void_v<detail::signature_of<Seam>>)
patched<Seam> patch() {
  detail::check_patchable<std::remove_reference_t<decltype(Seam)>>();
  return patched<Seam>();
}

/// What patch_multiple returns: one patched mock per seam, taken apart with structured bindings.
template <auto&... Seams>
class patched_multiple;
template <>
class patched_multiple<> {
 public:
  void stop() {}
};
template <auto& Seam, auto&... Rest>
class patched_multiple<Seam, Rest...> {
 public:
  patched_multiple() = default;
  patched_multiple(const patched_multiple&) = delete;
  patched_multiple& operator=(const patched_multiple&) = delete;
  template <size_type I>
  auto& get() noexcept {
    if constexpr (I == 0) {
      return first_;
    } else {
      return rest_.template get<I - 1>();
    }
  }
  /// Restores every seam, the last patched first.
  void stop() {
    rest_.stop();
    first_.stop();
  }

 private:
  patched<Seam> first_{};
  patched_multiple<Rest...> rest_{};
};

/// `patch.multiple(module, autospec=True, a=DEFAULT, b=DEFAULT)`: patches each function seam with a fresh mock
/// named after it. `auto [food_func, animals_func] = patch_multiple<get_food_period, get_animals>();`
template <auto&... Seams>
patched_multiple<Seams...> patch_multiple() {
  return patched_multiple<Seams...>();
}

}  // namespace assay::mock

template <auto&... Seams>
struct std::tuple_size<assay::mock::patched_multiple<Seams...>> : std::integral_constant<std::size_t, sizeof...(Seams)> {
};
template <std::size_t I, auto&... Seams>
struct std::tuple_element<I, assay::mock::patched_multiple<Seams...>> {
  using type = std::remove_reference_t<decltype(std::declval<assay::mock::patched_multiple<Seams...>&>().template get<I>())>;
};
