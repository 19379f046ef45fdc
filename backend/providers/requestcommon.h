#pragma once

#include "common/result.h"
#include "providers/providertypes.h"

#include <QUrl>

namespace parlance {

// Helpers both dialects' request builders share.
namespace RequestCommon {

// base + "/" + endpoint, whatever slashes the operator wrote.
[[nodiscard]] QUrl endpointUrl(const QUrl &base, QStringView endpoint);

// Rejects what no dialect can send: no messages, images of other types,
// images outside user messages.
[[nodiscard]] Status validate(const ProviderRequest &request);

// The text parts of a message joined by a blank line.
[[nodiscard]] QString joinedText(const ProviderMessage &message);

// data:<mime>;base64,<bytes>
[[nodiscard]] QString dataUrl(const ProviderContentPart &image);

} // namespace RequestCommon

} // namespace parlance
