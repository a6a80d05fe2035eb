// Everything of assay::mock a test needs: Mock, call, ANY, DEFAULT, sentinel, autospec, class mocks and patch.
#pragma once

#include <assay/mock/mock.hpp>
#include <assay/mock/patch.hpp>
#include <assay/mock/spec.hpp>
