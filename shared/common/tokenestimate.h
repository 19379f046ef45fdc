#pragma once

#include <QStringView>
#include <QtGlobal>

namespace parlance {

// A fast estimate of how many tokens a BPE tokenizer (the cl100k/o200k family
// that OpenAI-compatible models use; others land in the same range) makes of
// a text, for trimming context to a model's window and for usage a provider did
// not report (such usage is marked `estimated`). One pass, no allocation,
// no vocabulary.
//
// The heuristic mirrors how those tokenizers pre-split text:
//  - a Latin word (split further at camelCase humps) is one token up to
//    eight letters, then about one more per four letters;
//  - digits go in groups of three;
//  - a punctuation run is one token plus a quarter per further mark (runs
//    such as "({\"" or "});" are mostly one token), and it swallows the line
//    breaks right after it; a lone mark directly before a word joins that
//    word (".get", "(self", "_id") and is free;
//  - a single space belongs to the next word and is free; a longer run of
//    spaces (indentation) is a token, and so is a line break run;
//  - each CJK character (Han, kana, Hangul, CJK punctuation) is a token;
//  - letters of other scripts (Cyrillic, Greek, Arabic, ...) cost 0.4 tokens
//    each, at least one per word; other symbols one token, and characters
//    outside the Basic Multilingual Plane (emoji) two.
// Measured against cl100k_base and o200k_base on tests/data/tokenestimate/
// (prose, chat, code, JSON, markdown, CSV, logs, CJK, Cyrillic, emoji), it
// stays within 20 % of the range the two tokenizers span, mostly within 6 %
// (they differ from each other by up to 40 % on non-Latin scripts, so no
// estimate can be closer to both). Single short strings can be further off.
class TokenEstimate
{
public:
    // Tokens a chat format adds around each message (role marker and
    // separators), as OpenAI documents for its chat models.
    static constexpr qint64 PerMessageOverhead = 4;
    // Tokens that prime the assistant's reply, once per request.
    static constexpr qint64 PerRequestOverhead = 3;

    [[nodiscard]] static qint64 forText(QStringView text);
    [[nodiscard]] static qint64 forMessage(QStringView text)
    {
        return forText(text) + PerMessageOverhead;
    }
};

} // namespace parlance
