-- Store-and-forward entries that fail on their own (the switch cannot build the message) rather
-- than because the issuer's link failed: since when their attempts have failed so. NULL: the last
-- attempt, if any, failed on the link (or none failed). Such an entry waits for its retry without
-- holding back the unrelated entries behind it, and past a bound (StoreAndForwardQueue.FAILED_ALONE_STOP)
-- it is not sent again: its state becomes ABANDONED (done_at the time, last_error the reason).
ALTER TABLE saf_queue ADD COLUMN failed_alone_since TIMESTAMP WITH TIME ZONE;
