-- remit schema, version 15, for PostgreSQL: SQLite's migration 0015 (a
-- mandate's collection summary keeps what it was before the run that last
-- changed it, for that run's cancel).
ALTER TABLE mandate_collections ADD COLUMN undo_remittance bigint;
ALTER TABLE mandate_collections ADD COLUMN undo_last_on text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE mandate_collections ADD COLUMN undo_last_iban text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE mandate_collections ADD COLUMN undo_first_on text COLLATE "C" NOT NULL DEFAULT '';
