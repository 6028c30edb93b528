// SPDX-License-Identifier: MIT
// Umbrella header: everything the quiver library offers.
#pragma once

#include "quiver/errors.hpp"
#include "quiver/format.hpp"
#include "quiver/index.hpp"
#include "quiver/metric.hpp"
#include "quiver/version.hpp"
