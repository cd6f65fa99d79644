-- Two journal indexes were looked up only by a value that new card rows never carry, yet every
-- insert added a NULL entry to each: settlement_date (set only by settlement runs from before V7_5,
-- read as "settlement_date = <date>") and original_id (only voids, refunds and reversals have one,
-- read as "original_id = ?"). Partial indexes without the NULLs serve the same queries (the
-- equality implies IS NOT NULL) and cost an ordinary sale nothing. H2 has no partial indexes and
-- keeps the full ones.
CREATE INDEX journal_settlement_marked ON journal (settlement_date) WHERE settlement_date IS NOT NULL;
DROP INDEX journal_settlement;
CREATE INDEX journal_original_linked ON journal (original_id) WHERE original_id IS NOT NULL;
DROP INDEX journal_original_id;
