-- remit schema, version 10, for PostgreSQL: remises de chèques, as SQLite's
-- migration 0010_cheques.sql makes them (remittances.kind takes 'chq').

ALTER TABLE receivables ADD COLUMN cheque_number text COLLATE "C" NOT NULL DEFAULT '';      -- chq: the cheque's number (up to 7 digits)
ALTER TABLE receivables ADD COLUMN drawer_bank text COLLATE "C" NOT NULL DEFAULT '';        -- chq: the bank the cheque is drawn on
ALTER TABLE remittance_items ADD COLUMN cheque_number text COLLATE "C" NOT NULL DEFAULT ''; -- as the remise's slip printed them
ALTER TABLE remittance_items ADD COLUMN drawer_bank text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remittances DROP CONSTRAINT remittances_kind_check;
ALTER TABLE remittances ADD CONSTRAINT remittances_kind_check CHECK (kind IN ('sdd', 'lcr', 'chq'));
