-- When a repeat of an approval (same terminal, STAN, date, message class) was answered 00 from the
-- journal. The switch answers 96 to an approval whose outcome write was in doubt and owes its
-- reversal; another node, or the same node after a restart, that answers the terminal's repeat
-- from a record that reads APPROVED cannot know that. So a repeat is told the approval stands only
-- after this mark is written while the record is still approved, and an owed reversal applies only
-- while the mark is absent: of the two, exactly one wins, and what the terminal last heard is
-- what the card keeps.
ALTER TABLE journal ADD COLUMN answered_to_repeat_at TIMESTAMP WITH TIME ZONE;
