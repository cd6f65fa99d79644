-- An uploaded line is one transaction, not one STAN: a terminal may use one STAN for two
-- transactions of a batch whose message classes differ (a 0200 purchase and a 0220 completion
-- advice; the journal's key includes the class), or across two business days. Keyed by
-- (terminal, batch, STAN), the second such line was dropped and the reconciliation blamed a
-- terminal that was right. A 0320 sent again after a timeout must still add nothing, and a line
-- carries nothing that tells a repeat from another transaction but its content, so identical lines
-- (same STAN, card and amount) are one line. pan_token is NULL when the switch could not compute it:
-- NULLS NOT DISTINCT so that such a line, sent again, is still one line. The key's index starts
-- with (terminal_id, batch_number), which the reconciliation reads the batch's lines by.
ALTER TABLE batch_upload_line DROP CONSTRAINT batch_upload_line_key;
ALTER TABLE batch_upload_line ADD CONSTRAINT batch_upload_line_key
    UNIQUE NULLS NOT DISTINCT (terminal_id, batch_number, stan, masked_pan, pan_token, amount_minor);
