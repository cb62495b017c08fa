-- remit schema, version 15: a mandate's collection summary keeps what it
-- was before the run that last changed it, and that run's remittance
-- (undo_remittance, NULL once anything else changed the row): cancelling
-- that remittance puts the row back as it was instead of computing it
-- again from the mandate's items, a few seeks a mandate (issue 22, targets
-- 4 and 5).
ALTER TABLE mandate_collections ADD COLUMN undo_remittance INTEGER;
ALTER TABLE mandate_collections ADD COLUMN undo_last_on TEXT NOT NULL DEFAULT '';
ALTER TABLE mandate_collections ADD COLUMN undo_last_iban TEXT NOT NULL DEFAULT '';
ALTER TABLE mandate_collections ADD COLUMN undo_first_on TEXT NOT NULL DEFAULT '';
