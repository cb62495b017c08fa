-- remit schema, version 17, for PostgreSQL: SQLite's migration 0017 (no
-- index of the items begins with the mandate: its upkeep grew with the
-- history; a mandate's items are found through each direct-debit
-- remittance).
DROP INDEX remittance_items_mandate;
CREATE INDEX remittance_items_remittance_mandate ON remittance_items(remittance_id, mandate_id) WHERE mandate_id IS NOT NULL;
