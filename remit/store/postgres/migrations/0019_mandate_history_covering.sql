-- remit schema, version 19, for PostgreSQL: SQLite's migration 0019 (the
-- index of a mandate's collections made before remit holds their dates and
-- IBANs, so that a mandate's latest one is read from the index alone).
DROP INDEX mandate_history_mandate;
CREATE INDEX mandate_history_mandate ON mandate_history(mandate_id, collected_on, iban);
