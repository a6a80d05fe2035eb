// The `main` of assay::main: link it and a test binary needs no main of its own.
#include <assay/assay.hpp>

int main(int argc, char** argv) { return assay::main(argc, argv); }
