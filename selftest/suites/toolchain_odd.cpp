// Test ids with characters that break other frameworks' CTest integration: the module (the file's stem,
// set here with #line) holds `;`, brackets, a bracket-argument closer, `%`, `$`, `#`, a quote and spaces.
#include <assay/assay.hpp>

#line 5 "odd dir/semi;colon [br]=]%20$HOME #'q.cpp"

class Plain : public assay::TestCase<Plain> {
  TEST(test_passes) {}
  TEST(test_skipped, assay::skip("skipped in an odd module")) {}
};
