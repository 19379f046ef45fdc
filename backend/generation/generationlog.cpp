#include "generation/generationlog.h"

namespace parlance {
Q_LOGGING_CATEGORY(lcGeneration, "parlance.generation")
} // namespace parlance
