#include "generation/contextassembler.h"

#include "common/tokenestimate.h"
#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

qint64 ContextAssembler::estimateMessage(const Message &message)
{
    qint64 tokens = TokenEstimate::PerMessageOverhead;
    for (const ContentPart &part : message.content)
        tokens += part.isText() ? TokenEstimate::forText(part.text) : TokensPerFilePart;
    return tokens;
}

Result<AssembledContext> ContextAssembler::assemble(const QString &systemPrompt,
                                                    const QList<Message> &branch,
                                                    qint64 contextWindow,
                                                    qint64 reservedOutputTokens)
{
    const auto tooLong = [](const QString &message) {
        return ApiError { QString(errc::ContextTooLong), message, std::nullopt };
    };
    const qint64 budget = contextWindow - std::max<qint64>(reservedOutputTokens, 0);
    qint64 used = TokenEstimate::PerRequestOverhead;
    if (!systemPrompt.isEmpty())
        used += TokenEstimate::forMessage(systemPrompt);

    // Newest first; stop at the first message that does not fit, so that the
    // kept messages stay contiguous (no hole in the middle of the dialogue).
    const auto isEmpty = [](const Message &message) {
        return std::all_of(message.content.cbegin(), message.content.cend(),
                           [](const ContentPart &p) { return p.isText() && p.text.isEmpty(); });
    };
    const auto sendable = std::count_if(branch.cbegin(), branch.cend(),
                                        [&](const Message &m) { return !isEmpty(m); });
    QList<const Message *> kept;
    for (auto it = branch.crbegin(); it != branch.crend(); ++it) {
        const Message &message = *it;
        if (isEmpty(message))
            continue; // nothing to send (a failed answer without text)
        const qint64 cost = estimateMessage(message);
        if (used + cost > budget) {
            if (kept.isEmpty()) {
                return tooLong(u"The message is too long for this model's context window "
                               "(about %1 tokens needed, %2 available)."_s.arg(used + cost)
                                   .arg(std::max<qint64>(budget, 0)));
            }
            break;
        }
        used += cost;
        kept.append(&message);
    }
    // Oldest kept first; a leading assistant turn would answer nothing.
    std::reverse(kept.begin(), kept.end());
    while (kept.size() > 1 && kept.first()->role == Message::Role::Assistant) {
        used -= estimateMessage(*kept.first());
        kept.removeFirst();
    }

    AssembledContext out;
    if (!systemPrompt.isEmpty()) {
        Message system;
        system.role = Message::Role::System;
        system.content = { ContentPart::fromText(systemPrompt) };
        out.messages.append(system);
    }
    for (const Message *message : std::as_const(kept))
        out.messages.append(*message);
    out.estimatedInputTokens = used;
    out.droppedMessages = int(sendable - kept.size());
    if (used > budget) // only when the prompt alone does not fit and nothing was kept
        return tooLong(u"The system prompt is too long for this model's context window."_s);
    return out;
}

Money Pricing::cost(const Usage &usage, const DeploymentPrices &prices)
{
    const qint64 cached = std::clamp<qint64>(usage.cachedTokens, 0, usage.inputTokens);
    return Money::costFor({
        { usage.inputTokens - cached, prices.inputMicrosPerMillion },
        { cached, prices.cachedMicrosPerMillion },
        { usage.outputTokens, prices.outputMicrosPerMillion },
    });
}

} // namespace parlance
