// SPDX-License-Identifier: MIT
#include "harness.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

namespace qvtest {
namespace {

struct TestCase {
    const char* name;
    TestFn fn;
};

std::vector<TestCase>& registry() {
    static std::vector<TestCase> cases;
    return cases;
}

int g_failures_in_case = 0;

}  // namespace

Registrar::Registrar(const char* name, TestFn fn) noexcept {
    try {
        registry().push_back({name, fn});
    } catch (...) {
        std::fprintf(stderr, "cannot register test %s\n", name);
    }
}

void fail(const char* file, int line, const std::string& message) {
    ++g_failures_in_case;
    std::fprintf(stderr, "  %s:%d: %s\n", file, line, message.c_str());
}

}  // namespace qvtest

int main(int argc, char** argv) {
    using namespace qvtest;
    const char* filter = argc > 1 ? argv[1] : nullptr;
    int passed = 0;
    int failed = 0;
    for (const TestCase& tc : registry()) {
        if (filter != nullptr && std::strstr(tc.name, filter) == nullptr) continue;
        g_failures_in_case = 0;
        std::printf("[ RUN  ] %s\n", tc.name);
        std::fflush(stdout);
        try {
            tc.fn();
        } catch (const AbortTest&) {
            // already reported
        } catch (const std::exception& e) {
            fail(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
        } catch (...) {
            fail(__FILE__, __LINE__, "unexpected non-standard exception");
        }
        if (g_failures_in_case == 0) {
            ++passed;
            std::printf("[  OK  ] %s\n", tc.name);
        } else {
            ++failed;
            std::printf("[ FAIL ] %s\n", tc.name);
        }
        std::fflush(stdout);
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    if (passed + failed == 0) {
        std::fprintf(stderr, "no test case ran\n");
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
