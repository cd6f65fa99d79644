-- The working keys of each terminal's latest sign-on, as key blocks under the LMK (never clear), so
-- that a node started again, or another node the terminal reaches, serves it under those keys
-- without a new sign-on. keys_generation is the sign-on that issued them: they are taken up only
-- while it is still the terminal's latest (generation). A sign-off counts as a sign-on here (its
-- generation ends the sessions at every node) and leaves no keys.
ALTER TABLE terminal_sign_on ADD COLUMN keys_generation BIGINT;
ALTER TABLE terminal_sign_on ADD COLUMN pin_key_block VARCHAR(512);
ALTER TABLE terminal_sign_on ADD COLUMN mac_key_block VARCHAR(512);
ALTER TABLE terminal_sign_on ADD COLUMN data_key_block VARCHAR(512);
ALTER TABLE terminal_sign_on ADD COLUMN keys_issued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE terminal_sign_on ADD COLUMN keys_issued_on DATE;
