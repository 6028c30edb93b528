// SPDX-License-Identifier: MIT
// A deliberately tiny test harness, so the tests need nothing but a C++17
// compiler (no GoogleTest on CI runners).
//
//   QV_TEST(name) { ... }                 defines and registers a test case
//   QV_CHECK(cond)                        non-fatal check
//   QV_REQUIRE(cond)                      fatal check: ends the test case
//   QV_CHECK_EQ(a, b)                     non-fatal, prints both values
//   QV_CHECK_NEAR(a, b, tol)              |a - b| <= tol
//   QV_CHECK_THROWS(expr, Type)           expr throws Type (or a subclass)
//   QV_CHECK_THROWS_EXACTLY(expr, Type)   expr throws exactly Type
//
// The executable runs every case (or those whose name contains argv[1]),
// prints "N passed, N failed" and exits non-zero on any failure or if no
// case ran.
#pragma once

#include <cmath>
#include <exception>
#include <sstream>
#include <string>
#include <typeinfo>

namespace qvtest {

using TestFn = void (*)();

struct Registrar {
    Registrar(const char* name, TestFn fn) noexcept;
};

/// Thrown by QV_REQUIRE to end the current test case.
struct AbortTest {};

void fail(const char* file, int line, const std::string& message);

template <class T>
std::string show(const T& value) {
    std::ostringstream os;
    os << value;
    return os.str();
}

}  // namespace qvtest

#define QV_TEST(name)                                                   \
    static void qv_test_##name();                                       \
    static const ::qvtest::Registrar qv_registrar_##name(#name, &qv_test_##name); \
    static void qv_test_##name()

#define QV_CHECK(cond)                                                  \
    do {                                                                \
        if (!(cond)) ::qvtest::fail(__FILE__, __LINE__, "check failed: " #cond); \
    } while (0)

#define QV_REQUIRE(cond)                                                \
    do {                                                                \
        if (!(cond)) {                                                  \
            ::qvtest::fail(__FILE__, __LINE__, "requirement failed: " #cond); \
            throw ::qvtest::AbortTest{};                                \
        }                                                               \
    } while (0)

#define QV_CHECK_EQ(a, b)                                               \
    do {                                                                \
        const auto& qv_a = (a);                                         \
        const auto& qv_b = (b);                                         \
        if (!(qv_a == qv_b))                                            \
            ::qvtest::fail(__FILE__, __LINE__,                          \
                           std::string("expected " #a " == " #b ", got ") + \
                               ::qvtest::show(qv_a) + " vs " + ::qvtest::show(qv_b)); \
    } while (0)

#define QV_CHECK_NEAR(a, b, tol)                                        \
    do {                                                                \
        const double qv_a = static_cast<double>(a);                     \
        const double qv_b = static_cast<double>(b);                     \
        if (!(std::fabs(qv_a - qv_b) <= static_cast<double>(tol)))      \
            ::qvtest::fail(__FILE__, __LINE__,                          \
                           std::string("expected " #a " ~= " #b ", got ") + \
                               ::qvtest::show(qv_a) + " vs " + ::qvtest::show(qv_b)); \
    } while (0)

#define QV_CHECK_THROWS_IMPL(expr, Type, exact)                         \
    do {                                                                \
        bool qv_threw = false;                                          \
        try {                                                           \
            static_cast<void>(expr);                                    \
        } catch (const Type& qv_e) {                                    \
            qv_threw = true;                                            \
            if constexpr (exact) {                                      \
                if (typeid(qv_e) != typeid(Type))                       \
                    ::qvtest::fail(__FILE__, __LINE__,                  \
                                   std::string(#expr " threw a subclass of " #Type ": ") + qv_e.what()); \
            }                                                           \
        } catch (const std::exception& qv_e) {                          \
            qv_threw = true;                                            \
            ::qvtest::fail(__FILE__, __LINE__,                          \
                           std::string(#expr " threw ") + typeid(qv_e).name() + \
                               " instead of " #Type ": " + qv_e.what()); \
        }                                                               \
        if (!qv_threw)                                                  \
            ::qvtest::fail(__FILE__, __LINE__, #expr " did not throw " #Type); \
    } while (0)

#define QV_CHECK_THROWS(expr, Type) QV_CHECK_THROWS_IMPL(expr, Type, false)
#define QV_CHECK_THROWS_EXACTLY(expr, Type) QV_CHECK_THROWS_IMPL(expr, Type, true)
