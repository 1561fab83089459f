// The three checks every parcel passes before it leaves the bench (DESIGN.md):
// customer, contents (items and weight) and express. All are pure functions of
// (order, parcel so far, reading, config) -> CheckResult; every failure carries
// a stable reason code (checks_reasons.h, docs/checks.md), a message for the
// packer and details of what was expected and what was seen.
#pragma once

#include "packline/station/address_rules.h"
#include "packline/station/checks_contents.h"
#include "packline/station/checks_customer.h"
#include "packline/station/checks_express.h"
#include "packline/station/checks_reasons.h"
#include "packline/station/checks_weight.h"
