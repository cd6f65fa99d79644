-- An advice (stand-in approval, completion advice) the issuer answered with a decline. The advice
-- is acknowledged all the same (an advice response is an acknowledgement: repeating it changes
-- nothing), but the terminal was told 00 and the issuer did not post it, so the journal says so
-- for audits and operators: the response code the issuer gave, and when.
ALTER TABLE journal ADD COLUMN advice_declined_code VARCHAR(2);
ALTER TABLE journal ADD COLUMN advice_declined_at TIMESTAMP WITH TIME ZONE;
