// Preprocessor loops for ASSAY_MOCK_CLASS (internal): count the method list and visit each item with its index.
#pragma once

#define ASSAY_DETAIL_PP_CAT(a, b) ASSAY_DETAIL_PP_CAT_(a, b)
#define ASSAY_DETAIL_PP_CAT_(a, b) a##b
#define ASSAY_DETAIL_PP_EXPAND(...) __VA_ARGS__
#define ASSAY_DETAIL_PP_HEAD(x, ...) x
#define ASSAY_DETAIL_PP_TAIL(x, ...) __VA_ARGS__

// 1 if the argument is parenthesised, else 0.
#define ASSAY_DETAIL_PP_IS_PAREN(x) ASSAY_DETAIL_PP_IS_PAREN_(ASSAY_DETAIL_PP_IS_PAREN_PROBE x)
#define ASSAY_DETAIL_PP_IS_PAREN_PROBE(...) ~, 1
#define ASSAY_DETAIL_PP_IS_PAREN_(...) ASSAY_DETAIL_PP_IS_PAREN_N(__VA_ARGS__, 0, ~)
#define ASSAY_DETAIL_PP_IS_PAREN_N(x, n, ...) n

// The number of arguments, 1 to 32.
#define ASSAY_DETAIL_PP_COUNT(...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_COUNT_(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1))
#define ASSAY_DETAIL_PP_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, n, ...) n

// m(data, i, i + 1, item) for each item, the last item first and with index 0, so that item i can build on i.
#define ASSAY_DETAIL_PP_FOR_EACH(m, data, ...) \
  ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_PP_FE_, ASSAY_DETAIL_PP_COUNT(__VA_ARGS__))(m, data, __VA_ARGS__))
#define ASSAY_DETAIL_PP_FE_1(m, d, x) m(d, 0, 1, x)
#define ASSAY_DETAIL_PP_FE_2(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_1(m, d, __VA_ARGS__)) m(d, 1, 2, x)
#define ASSAY_DETAIL_PP_FE_3(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_2(m, d, __VA_ARGS__)) m(d, 2, 3, x)
#define ASSAY_DETAIL_PP_FE_4(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_3(m, d, __VA_ARGS__)) m(d, 3, 4, x)
#define ASSAY_DETAIL_PP_FE_5(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_4(m, d, __VA_ARGS__)) m(d, 4, 5, x)
#define ASSAY_DETAIL_PP_FE_6(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_5(m, d, __VA_ARGS__)) m(d, 5, 6, x)
#define ASSAY_DETAIL_PP_FE_7(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_6(m, d, __VA_ARGS__)) m(d, 6, 7, x)
#define ASSAY_DETAIL_PP_FE_8(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_7(m, d, __VA_ARGS__)) m(d, 7, 8, x)
#define ASSAY_DETAIL_PP_FE_9(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_8(m, d, __VA_ARGS__)) m(d, 8, 9, x)
#define ASSAY_DETAIL_PP_FE_10(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_9(m, d, __VA_ARGS__)) m(d, 9, 10, x)
#define ASSAY_DETAIL_PP_FE_11(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_10(m, d, __VA_ARGS__)) m(d, 10, 11, x)
#define ASSAY_DETAIL_PP_FE_12(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_11(m, d, __VA_ARGS__)) m(d, 11, 12, x)
#define ASSAY_DETAIL_PP_FE_13(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_12(m, d, __VA_ARGS__)) m(d, 12, 13, x)
#define ASSAY_DETAIL_PP_FE_14(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_13(m, d, __VA_ARGS__)) m(d, 13, 14, x)
#define ASSAY_DETAIL_PP_FE_15(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_14(m, d, __VA_ARGS__)) m(d, 14, 15, x)
#define ASSAY_DETAIL_PP_FE_16(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_15(m, d, __VA_ARGS__)) m(d, 15, 16, x)
#define ASSAY_DETAIL_PP_FE_17(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_16(m, d, __VA_ARGS__)) m(d, 16, 17, x)
#define ASSAY_DETAIL_PP_FE_18(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_17(m, d, __VA_ARGS__)) m(d, 17, 18, x)
#define ASSAY_DETAIL_PP_FE_19(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_18(m, d, __VA_ARGS__)) m(d, 18, 19, x)
#define ASSAY_DETAIL_PP_FE_20(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_19(m, d, __VA_ARGS__)) m(d, 19, 20, x)
#define ASSAY_DETAIL_PP_FE_21(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_20(m, d, __VA_ARGS__)) m(d, 20, 21, x)
#define ASSAY_DETAIL_PP_FE_22(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_21(m, d, __VA_ARGS__)) m(d, 21, 22, x)
#define ASSAY_DETAIL_PP_FE_23(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_22(m, d, __VA_ARGS__)) m(d, 22, 23, x)
#define ASSAY_DETAIL_PP_FE_24(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_23(m, d, __VA_ARGS__)) m(d, 23, 24, x)
#define ASSAY_DETAIL_PP_FE_25(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_24(m, d, __VA_ARGS__)) m(d, 24, 25, x)
#define ASSAY_DETAIL_PP_FE_26(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_25(m, d, __VA_ARGS__)) m(d, 25, 26, x)
#define ASSAY_DETAIL_PP_FE_27(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_26(m, d, __VA_ARGS__)) m(d, 26, 27, x)
#define ASSAY_DETAIL_PP_FE_28(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_27(m, d, __VA_ARGS__)) m(d, 27, 28, x)
#define ASSAY_DETAIL_PP_FE_29(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_28(m, d, __VA_ARGS__)) m(d, 28, 29, x)
#define ASSAY_DETAIL_PP_FE_30(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_29(m, d, __VA_ARGS__)) m(d, 29, 30, x)
#define ASSAY_DETAIL_PP_FE_31(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_30(m, d, __VA_ARGS__)) m(d, 30, 31, x)
#define ASSAY_DETAIL_PP_FE_32(m, d, x, ...) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_FE_31(m, d, __VA_ARGS__)) m(d, 31, 32, x)
