-- An outcome update can be HOT (no index entries; V11_20) only if the new row version fits in the
-- page of the old one. Rows are appended and answered within milliseconds, so a full page
-- (fillfactor 100) left room for few of them. Leaving a fifth of each page free for the one
-- outcome version each row gets; the old version is pruned by the next access to the page. Applies
-- to pages written from now on; existing ones keep their fill.
ALTER TABLE journal SET (fillfactor = 80);
