-- remit schema, version 13, for PostgreSQL: SQLite's migration 0013 (the
-- index of a mandate's items holds their collection dates, sequence types
-- and debtor snapshots).
DROP INDEX remittance_items_mandate;
CREATE INDEX remittance_items_mandate ON remittance_items(mandate_id, status, collection_date, sequence_type, debtor_id);
