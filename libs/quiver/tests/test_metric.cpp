// SPDX-License-Identifier: MIT
// Search correctness for every metric, with hand-computed expected results.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "test_util.hpp"

using quiver::Id;
using quiver::Index;
using quiver::Metric;
using quiver::SearchResult;

using qvtest::ids_of;

QV_TEST(l2_is_squared_distance_ascending_with_ties_by_id) {
    Index index(2, Metric::L2);
    index.add(1, {0.0f, 0.0f});
    index.add(2, {3.0f, 4.0f});
    index.add(3, {1.0f, 1.0f});
    index.add(4, {-2.0f, 0.0f});
    // query (1, 0): id1 -> 1, id2 -> 4 + 16 = 20, id3 -> 0 + 1 = 1, id4 -> 9
    const auto r = index.search({1.0f, 0.0f}, 4);
    QV_REQUIRE(r.size() == 4);
    QV_CHECK_EQ(ids_of(r), (std::vector<Id>{1, 3, 4, 2}));
    QV_CHECK_EQ(r[0].score, 1.0);
    QV_CHECK_EQ(r[1].score, 1.0);
    QV_CHECK_EQ(r[2].score, 9.0);
    QV_CHECK_EQ(r[3].score, 20.0);
}

QV_TEST(l2_fractional_values) {
    Index index(3, Metric::L2);
    index.add(7, {0.5f, -1.5f, 2.0f});
    index.add(8, {0.0f, 0.0f, 0.0f});
    // query (1, 1, 1): id7 -> 0.25 + 6.25 + 1 = 7.5, id8 -> 3
    const auto r = index.search({1.0f, 1.0f, 1.0f}, 2);
    QV_REQUIRE(r.size() == 2);
    QV_CHECK_EQ(r[0].id, Id{8});
    QV_CHECK_NEAR(r[0].score, 3.0, 1e-12);
    QV_CHECK_EQ(r[1].id, Id{7});
    QV_CHECK_NEAR(r[1].score, 7.5, 1e-12);
}

QV_TEST(inner_product_descending) {
    Index index(2, Metric::InnerProduct);
    index.add(10, {1.0f, 0.0f});
    index.add(20, {0.0f, 1.0f});
    index.add(30, {2.0f, 2.0f});
    index.add(40, {-1.0f, -1.0f});
    // query (1, 2): id10 -> 1, id20 -> 2, id30 -> 6, id40 -> -3
    const auto r = index.search({1.0f, 2.0f}, 10);
    QV_REQUIRE(r.size() == 4);
    QV_CHECK_EQ(ids_of(r), (std::vector<Id>{30, 20, 10, 40}));
    QV_CHECK_EQ(r[0].score, 6.0);
    QV_CHECK_EQ(r[1].score, 2.0);
    QV_CHECK_EQ(r[2].score, 1.0);
    QV_CHECK_EQ(r[3].score, -3.0);
}

QV_TEST(inner_product_is_not_normalised) {
    Index index(2, Metric::InnerProduct);
    index.add(1, {1.0f, 0.0f});
    index.add(2, {10.0f, 10.0f});
    // query (1, 0): id1 -> 1, id2 -> 10: the long vector wins despite the angle
    const auto r = index.search({1.0f, 0.0f}, 1);
    QV_REQUIRE(r.size() == 1);
    QV_CHECK_EQ(r[0].id, Id{2});
    QV_CHECK_EQ(r[0].score, 10.0);
}

QV_TEST(cosine_descending_scale_invariant) {
    Index index(2, Metric::Cosine);
    index.add(1, {1.0f, 0.0f});
    index.add(2, {0.0f, 2.0f});
    index.add(3, {3.0f, 3.0f});
    index.add(4, {-1.0f, 0.0f});
    index.add(5, {5.0f, 0.0f});
    // query (2, 0): id1 -> 1, id2 -> 0, id3 -> 1/sqrt(2), id4 -> -1, id5 -> 1
    const auto r = index.search({2.0f, 0.0f}, 5);
    QV_REQUIRE(r.size() == 5);
    QV_CHECK_EQ(ids_of(r), (std::vector<Id>{1, 5, 3, 2, 4}));
    QV_CHECK_NEAR(r[0].score, 1.0, 1e-12);
    QV_CHECK_NEAR(r[1].score, 1.0, 1e-12);
    QV_CHECK_NEAR(r[2].score, 1.0 / std::sqrt(2.0), 1e-7);
    QV_CHECK_NEAR(r[3].score, 0.0, 1e-12);
    QV_CHECK_NEAR(r[4].score, -1.0, 1e-12);
}

QV_TEST(cosine_three_dimensions) {
    Index index(3, Metric::Cosine);
    index.add(1, {1.0f, 2.0f, 2.0f});   // norm 3
    index.add(2, {0.0f, 3.0f, 4.0f});   // norm 5
    // query (2, 1, 2), norm 3: id1 -> (2 + 2 + 4) / 9 = 8/9, id2 -> (3 + 8) / 15 = 11/15
    const auto r = index.search({2.0f, 1.0f, 2.0f}, 2);
    QV_REQUIRE(r.size() == 2);
    QV_CHECK_EQ(r[0].id, Id{1});
    QV_CHECK_NEAR(r[0].score, 8.0 / 9.0, 1e-9);
    QV_CHECK_EQ(r[1].id, Id{2});
    QV_CHECK_NEAR(r[1].score, 11.0 / 15.0, 1e-9);
}

QV_TEST(cosine_rejects_zero_vectors) {
    Index index(2, Metric::Cosine);
    QV_CHECK_THROWS(index.add(1, {0.0f, 0.0f}), std::invalid_argument);
    QV_CHECK_EQ(index.size(), std::size_t{0});
    index.add(1, {1.0f, 0.0f});
    QV_CHECK_THROWS(index.search({0.0f, 0.0f}, 1), std::invalid_argument);
}

QV_TEST(ties_are_broken_by_ascending_id_for_every_metric) {
    for (const Metric metric : {Metric::L2, Metric::InnerProduct, Metric::Cosine}) {
        Index index(2, metric);
        for (const Id id : {Id{9}, Id{3}, Id{7}, Id{1}}) index.add(id, {1.0f, 1.0f});
        index.add(5, {-4.0f, 3.0f});
        const auto r = index.search({1.0f, 1.0f}, 5);
        QV_REQUIRE(r.size() == 5);
        QV_CHECK_EQ(ids_of(r), (std::vector<Id>{1, 3, 7, 9, 5}));
    }
}

QV_TEST(k_larger_than_size_returns_everything) {
    Index index(1, Metric::L2);
    index.add(1, {1.0f});
    index.add(2, {5.0f});
    const auto r = index.search({4.0f}, 100);
    QV_CHECK_EQ(ids_of(r), (std::vector<Id>{2, 1}));
}

QV_TEST(k_zero_and_empty_index_return_nothing) {
    Index index(2, Metric::InnerProduct);
    QV_CHECK(index.search({1.0f, 1.0f}, 3).empty());
    index.add(1, {1.0f, 1.0f});
    QV_CHECK(index.search({1.0f, 1.0f}, 0).empty());
}

QV_TEST(k_selects_the_best) {
    Index index(1, Metric::L2);
    for (Id id = 0; id < 100; ++id) index.add(id, {static_cast<float>(id)});
    const auto r = index.search({42.2f}, 3);
    QV_CHECK_EQ(ids_of(r), (std::vector<Id>{42, 43, 41}));
}

QV_TEST(query_dimension_and_values_are_checked) {
    Index index(3, Metric::L2);
    index.add(1, {1.0f, 2.0f, 3.0f});
    QV_CHECK_THROWS(index.search({1.0f, 2.0f}, 1), std::invalid_argument);
    QV_CHECK_THROWS(index.search({1.0f, 2.0f, 3.0f, 4.0f}, 1), std::invalid_argument);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    QV_CHECK_THROWS(index.search({1.0f, nan, 3.0f}, 1), std::invalid_argument);
    QV_CHECK_THROWS(index.search({inf, 2.0f, 3.0f}, 1), std::invalid_argument);
}

QV_TEST(metric_names_round_trip) {
    for (const Metric metric : {Metric::L2, Metric::InnerProduct, Metric::Cosine}) {
        QV_CHECK(quiver::metric_from_string(quiver::to_string(metric)) == metric);
    }
    QV_CHECK_EQ(std::string(quiver::to_string(Metric::L2)), std::string("l2"));
    QV_CHECK_EQ(std::string(quiver::to_string(Metric::InnerProduct)), std::string("ip"));
    QV_CHECK_EQ(std::string(quiver::to_string(Metric::Cosine)), std::string("cosine"));
    QV_CHECK_THROWS(quiver::metric_from_string("euclid"), std::invalid_argument);
    QV_CHECK_THROWS(quiver::metric_from_string("L2"), std::invalid_argument);
    QV_CHECK_THROWS(Index(2, static_cast<Metric>(9)), std::invalid_argument);
    QV_CHECK(quiver::higher_is_better(Metric::Cosine));
    QV_CHECK(!quiver::higher_is_better(Metric::L2));
}
