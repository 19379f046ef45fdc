#pragma once

#include "common/money.h"
#include "common/result.h"
#include "domain/message.h"
#include "domain/usage.h"
#include "generation/modelcatalog.h"

#include <QList>
#include <QString>

namespace parlance {

// What goes to the provider for one generation.
struct AssembledContext
{
    QList<Message> messages; // system prompt first (when set), then oldest to newest
    qint64 estimatedInputTokens = 0; // TokenEstimate, request overhead included
    int droppedMessages = 0; // oldest branch messages left out to fit
};

// Fits a conversation branch into a model's context window:
//  - the system prompt is always kept; the newest messages are kept, the
//    oldest dropped first, whole messages only (never split);
//  - after trimming, leading assistant messages are dropped too, so the
//    context starts with a user turn (Anthropic requires it; it also avoids
//    an answer without its question);
//  - messages with no text and no files (a failed empty answer) are skipped;
//  - budget = contextWindow - reservedOutputTokens; if the system prompt plus
//    the last message alone exceed it: context_too_long (422).
// Token counts are TokenEstimate's (within ~20 % of real tokenizers), so keep
// a margin in `reservedOutputTokens` rather than filling the window exactly.
class ContextAssembler
{
public:
    // A file part (image, document reference) costs this many tokens in the
    // estimate; the provider adapter knows the real figure.
    static constexpr qint64 TokensPerFilePart = 800;

    [[nodiscard]] static Result<AssembledContext> assemble(const QString &systemPrompt,
                                                           const QList<Message> &branch,
                                                           qint64 contextWindow,
                                                           qint64 reservedOutputTokens);

    [[nodiscard]] static qint64 estimateMessage(const Message &message);
};

struct Pricing
{
    // What `usage` costs at a deployment's prices: uncached input, cached
    // input (cachedTokens, clamped to 0..inputTokens) and output, each
    // tokens x micros-per-million, summed exactly in 128 bits and divided by
    // one million ONCE, rounding half up to the micro-dollar
    // (Money::costFor). So 1 token at $0.50/M costs 1 micro, at
    // $0.499999/M costs 0, and splitting a request never loses a micro.
    [[nodiscard]] static Money cost(const Usage &usage, const DeploymentPrices &prices);
};

} // namespace parlance
