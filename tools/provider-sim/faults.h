#pragma once

#include "behaviour.h"
#include "wireformat.h"

namespace parlance::sim {

// Faults that answer with an error status instead of a response.
[[nodiscard]] bool isStatusFault(FaultKind kind);

// The provider's error reply for a status fault, with retry-after where the
// provider sends one (429 always; overloaded when retry-after > 0).
[[nodiscard]] Reply statusFaultReply(const WireFormat &format, const Behaviour &behaviour);

// Faults that fire inside a response, after `faultAfter` tokens.
[[nodiscard]] bool isMidStreamFault(FaultKind kind);

} // namespace parlance::sim
