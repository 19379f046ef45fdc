-- The conversation list reads each row's tags from the row itself.
-- tag_list is a copy of the conversation's conversation_tags rows: the tags in
-- ascending order joined by line feeds (a tag never holds one), NULL when
-- there are none. ConversationRepository writes both in the same transaction.
-- Before, the list ran a correlated subquery per row (51 per page), which was
-- about half of PostgreSQL's time for the list (docs/benchmarks.md).
-- conversation_tags stays: it is what the tag filter and the tag counts read.

ALTER TABLE conversations ADD COLUMN tag_list TEXT;

UPDATE conversations c SET tag_list = (
    SELECT string_agg(t.tag, chr(10) ORDER BY t.tag COLLATE "C") FROM conversation_tags t
    WHERE t.user_id = c.user_id AND t.conversation_id = c.id);
