#include "maintenance/maintenancelog.h"

Q_LOGGING_CATEGORY(lcMaintenance, "parlance.maintenance")
