-- EMV chip data (field 55) a queued reversal carries to its issuer: the tags of the terminal's
-- reversal (9F10, 95, 9F36...) that hold no card data. The switch strips 5A (PAN), 57 (track 2
-- equivalent), the other card-data tags and every tag it does not know before writing it here.
-- NULL for advices and for reversals without chip data.
ALTER TABLE saf_queue ADD COLUMN icc_data BYTEA;
