-- Voids, refunds and completions name their original by the RRN the switch gave it (field 37 of
-- the original's answer), and what is linked to an original (its voids and refunds) is found by
-- original_id: both run once per such request, so they get an index each.
CREATE INDEX journal_terminal_rrn ON journal (terminal_id, switch_rrn);
CREATE INDEX journal_original_id ON journal (original_id);
