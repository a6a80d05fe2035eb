// Everything a test file needs: TestCase, TEST, fixtures, assertions, repr and assay::main.
#pragma once

#include <assay/case.hpp>

namespace assay {

/// `unittest.main()`: parses the command line, runs the selected tests and returns the exit status.
int main(int argc, char** argv);

}  // namespace assay
