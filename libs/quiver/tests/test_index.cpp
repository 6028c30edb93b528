// SPDX-License-Identifier: MIT
// Index bookkeeping: add, duplicate ids, upsert, remove, get, batches, errors.
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "test_util.hpp"

using quiver::DuplicateIdError;
using quiver::Id;
using quiver::Index;
using quiver::Metric;
using quiver::NotFoundError;
using qvtest::ids_of;

QV_TEST(new_index_is_empty) {
    Index index(4, Metric::InnerProduct);
    QV_CHECK_EQ(index.dim(), std::size_t{4});
    QV_CHECK(index.metric() == Metric::InnerProduct);
    QV_CHECK_EQ(index.size(), std::size_t{0});
    QV_CHECK(index.empty());
    QV_CHECK(!index.contains(0));
    QV_CHECK_EQ(std::string(quiver::version()), std::string("0.1.0"));
}

QV_TEST(zero_dimension_is_rejected) {
    QV_CHECK_THROWS(Index(0), std::invalid_argument);
}

QV_TEST(wrong_dimension_is_rejected_and_leaves_index_unchanged) {
    Index index(3);
    index.add(1, {1.0f, 2.0f, 3.0f});
    QV_CHECK_THROWS(index.add(2, {1.0f, 2.0f}), std::invalid_argument);
    QV_CHECK_THROWS(index.add(2, {1.0f, 2.0f, 3.0f, 4.0f}), std::invalid_argument);
    QV_CHECK_THROWS(index.add(2, std::vector<float>{}), std::invalid_argument);
    QV_CHECK_THROWS(index.upsert(1, {1.0f}), std::invalid_argument);
    QV_CHECK_EQ(index.size(), std::size_t{1});
    QV_CHECK(!index.contains(2));
    QV_CHECK_EQ(index.get(1), (std::vector<float>{1.0f, 2.0f, 3.0f}));
}

QV_TEST(non_finite_values_are_rejected) {
    Index index(2);
    QV_CHECK_THROWS(index.add(1, {std::numeric_limits<float>::quiet_NaN(), 0.0f}), std::invalid_argument);
    QV_CHECK_THROWS(index.add(1, {0.0f, -std::numeric_limits<float>::infinity()}), std::invalid_argument);
    QV_CHECK(index.empty());
}

QV_TEST(duplicate_id_is_an_error_and_keeps_the_original) {
    Index index(2);
    index.add(5, {1.0f, 1.0f});
    QV_CHECK_THROWS_EXACTLY(index.add(5, {2.0f, 2.0f}), DuplicateIdError);
    // DuplicateIdError is a std::invalid_argument
    QV_CHECK_THROWS(index.add(5, {2.0f, 2.0f}), std::invalid_argument);
    try {
        index.add(5, {2.0f, 2.0f});
    } catch (const DuplicateIdError& e) {
        QV_CHECK_EQ(e.id(), Id{5});
    }
    QV_CHECK_EQ(index.size(), std::size_t{1});
    QV_CHECK_EQ(index.get(5), (std::vector<float>{1.0f, 1.0f}));
}

QV_TEST(upsert_adds_or_replaces) {
    Index index(2);
    QV_CHECK(!index.upsert(5, {1.0f, 1.0f}));
    QV_CHECK(index.upsert(5, {3.0f, 4.0f}));
    QV_CHECK_EQ(index.size(), std::size_t{1});
    QV_CHECK_EQ(index.get(5), (std::vector<float>{3.0f, 4.0f}));
    const auto r = index.search({0.0f, 0.0f}, 1);
    QV_REQUIRE(r.size() == 1);
    QV_CHECK_EQ(r[0].score, 25.0);
}

QV_TEST(upsert_updates_cosine_norm) {
    Index index(2, Metric::Cosine);
    index.add(1, {1.0f, 0.0f});
    index.upsert(1, {0.0f, 7.0f});
    const auto r = index.search({0.0f, 1.0f}, 1);
    QV_REQUIRE(r.size() == 1);
    QV_CHECK_NEAR(r[0].score, 1.0, 1e-12);
}

QV_TEST(remove_deletes_and_keeps_the_others_intact) {
    Index index(2);
    index.add(1, {1.0f, 0.0f});
    index.add(2, {2.0f, 0.0f});
    index.add(3, {3.0f, 0.0f});
    index.add(4, {4.0f, 0.0f});
    index.remove(2);  // a middle row: the last row moves into its place
    QV_CHECK_EQ(index.size(), std::size_t{3});
    QV_CHECK(!index.contains(2));
    QV_CHECK_EQ(index.get(1), (std::vector<float>{1.0f, 0.0f}));
    QV_CHECK_EQ(index.get(3), (std::vector<float>{3.0f, 0.0f}));
    QV_CHECK_EQ(index.get(4), (std::vector<float>{4.0f, 0.0f}));
    QV_CHECK_EQ(ids_of(index.search({2.0f, 0.0f}, 10)), (std::vector<Id>{1, 3, 4}));
    index.remove(4);  // the last row
    index.remove(1);  // the first row
    QV_CHECK_EQ(ids_of(index.search({0.0f, 0.0f}, 10)), (std::vector<Id>{3}));
    index.remove(3);
    QV_CHECK(index.empty());
    QV_CHECK(index.search({0.0f, 0.0f}, 10).empty());
}

QV_TEST(removed_id_can_be_added_again) {
    Index index(1);
    index.add(1, {1.0f});
    index.remove(1);
    index.add(1, {2.0f});
    QV_CHECK_EQ(index.get(1), (std::vector<float>{2.0f}));
}

QV_TEST(unknown_id_is_not_found) {
    Index index(1);
    index.add(1, {1.0f});
    QV_CHECK_THROWS_EXACTLY(index.remove(2), NotFoundError);
    QV_CHECK_THROWS(index.remove(2), std::out_of_range);
    QV_CHECK_THROWS_EXACTLY(index.get(2), NotFoundError);
    try {
        index.remove(77);
    } catch (const NotFoundError& e) {
        QV_CHECK_EQ(e.id(), Id{77});
    }
    index.remove(1);
    QV_CHECK_THROWS(index.remove(1), NotFoundError);
    QV_CHECK_EQ(index.size(), std::size_t{0});
}

QV_TEST(full_id_range_is_usable) {
    Index index(1);
    const Id big = std::numeric_limits<std::uint64_t>::max();
    index.add(big, {1.0f});
    index.add(0, {1.0f});
    QV_CHECK(index.contains(big));
    QV_CHECK_EQ(ids_of(index.search({1.0f}, 2)), (std::vector<Id>{0, big}));
}

QV_TEST(add_batch_adds_all) {
    Index index(2);
    const std::vector<Id> ids = {10, 11, 12};
    const std::vector<float> values = {0.0f, 0.0f, 1.0f, 1.0f, 2.0f, 2.0f};
    index.add_batch(ids.data(), ids.size(), values.data(), values.size());
    QV_CHECK_EQ(index.size(), std::size_t{3});
    QV_CHECK_EQ(index.get(12), (std::vector<float>{2.0f, 2.0f}));
    index.add_batch(nullptr, 0, nullptr, 0);
    QV_CHECK_EQ(index.size(), std::size_t{3});
}

QV_TEST(add_batch_is_all_or_nothing) {
    Index index(2);
    index.add(1, {9.0f, 9.0f});
    const std::vector<float> values = {0.0f, 0.0f, 1.0f, 1.0f};
    const std::vector<Id> with_existing = {2, 1};
    QV_CHECK_THROWS(index.add_batch(with_existing.data(), 2, values.data(), values.size()), DuplicateIdError);
    const std::vector<Id> repeated = {3, 3};
    QV_CHECK_THROWS(index.add_batch(repeated.data(), 2, values.data(), values.size()), DuplicateIdError);
    const std::vector<Id> fine = {3, 4};
    QV_CHECK_THROWS(index.add_batch(fine.data(), 2, values.data(), 3), std::invalid_argument);
    const std::vector<float> bad = {0.0f, 0.0f, std::numeric_limits<float>::infinity(), 1.0f};
    QV_CHECK_THROWS(index.add_batch(fine.data(), 2, bad.data(), bad.size()), std::invalid_argument);
    QV_CHECK_EQ(index.size(), std::size_t{1});
    QV_CHECK(!index.contains(2));
    QV_CHECK(!index.contains(3));
}

QV_TEST(clear_and_ids) {
    Index index(1);
    index.add(3, {1.0f});
    index.add(1, {2.0f});
    QV_CHECK_EQ(index.ids(), (std::vector<Id>{3, 1}));
    index.clear();
    QV_CHECK(index.empty());
    QV_CHECK(!index.contains(3));
    index.add(3, {1.0f});
    QV_CHECK_EQ(index.size(), std::size_t{1});
}
