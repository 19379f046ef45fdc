#pragma once

#include <QString>
#include <QStringList>

namespace parlance::sim {

// Produces the simulated model's output as a list of tokens, and counts
// prompt tokens. Everything is deterministic: the same request always gives
// the same tokens and the same usage, so tests can assert exact numbers.
class ContentGenerator
{
public:
    // Word-ish pieces the way BPE tokenizers split text: leading whitespace
    // joins the following word; a word is one piece up to eight letters or
    // digits, then another piece per further eight; every other character
    // is its own piece. Concatenating the pieces gives the text back.
    [[nodiscard]] static QStringList splitTokens(QStringView text);

    // Exactly `count` tokens of lorem ipsum, a full stop every twelfth token.
    [[nodiscard]] static QStringList loremTokens(int count);

    // Prompt tokens of a request: 3 per request plus, per message, 4 plus
    // ceil(characters / 4). The same estimate OpenAI documents for chat
    // formats, but deliberately NOT the core's TokenEstimate: a gateway test
    // can then tell provider-reported usage from the gateway's own estimate.
    [[nodiscard]] static qint64 promptTokens(const QStringList &messageTexts);
};

// [[sim: key=value ...]] directives found in a message, with the message's
// text minus the directives (what echo mode repeats).
struct Directives
{
    QList<std::pair<QString, QString>> settings;
    QString remainingText;
    QString error; // a malformed directive; empty when all parsed
};

[[nodiscard]] Directives extractDirectives(const QString &text);

} // namespace parlance::sim
