-- remit schema, version 3: what a remittance said about its debtors is kept
-- once per debtor and run (debtor_snapshots) instead of on every item, and
-- the remittance_lines view puts items and snapshots back together.

CREATE TABLE debtor_snapshots (                    -- a debtor as a remittance run wrote it in its files
  id             INTEGER PRIMARY KEY,
  customer_id    INTEGER NOT NULL REFERENCES customers(id),
  mandate_id     INTEGER REFERENCES mandates(id),    -- SEPA direct debits; NULL for LCR
  customer       TEXT NOT NULL,                      -- account code
  name           TEXT NOT NULL,
  street         TEXT NOT NULL DEFAULT '',
  building       TEXT NOT NULL DEFAULT '',
  postcode       TEXT NOT NULL DEFAULT '',
  town           TEXT NOT NULL DEFAULT '',
  country        TEXT NOT NULL DEFAULT '',
  iban           TEXT NOT NULL DEFAULT '',           -- the account debited
  bic            TEXT NOT NULL DEFAULT '',
  bank_name      TEXT NOT NULL DEFAULT '',
  siren          TEXT NOT NULL DEFAULT '',
  rum            TEXT NOT NULL DEFAULT '',
  mandate_signed TEXT NOT NULL DEFAULT ''
);

ALTER TABLE remittance_items ADD COLUMN debtor_id INTEGER REFERENCES debtor_snapshots(id);
-- The treasury journal the item was remitted from: its écritures are booked there.
ALTER TABLE remittance_items ADD COLUMN journal TEXT NOT NULL DEFAULT '';
UPDATE remittance_items SET journal = (SELECT r.journal FROM receivables r WHERE r.id = remittance_items.receivable_id);

-- Items written by an earlier remit: one snapshot each, same id.
INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, street, building, postcode, town, country,
    iban, bic, bank_name, siren, rum, mandate_signed)
  SELECT i.id, r.customer_id, i.mandate_id, i.customer, i.name, i.street, i.building, i.postcode, i.town, i.country,
    i.iban, i.bic, i.bank_name, i.siren, i.rum, i.mandate_signed
  FROM remittance_items i JOIN receivables r ON r.id = i.receivable_id;
UPDATE remittance_items SET debtor_id = id;

ALTER TABLE remittance_items DROP COLUMN customer;
ALTER TABLE remittance_items DROP COLUMN name;
ALTER TABLE remittance_items DROP COLUMN street;
ALTER TABLE remittance_items DROP COLUMN building;
ALTER TABLE remittance_items DROP COLUMN postcode;
ALTER TABLE remittance_items DROP COLUMN town;
ALTER TABLE remittance_items DROP COLUMN country;
ALTER TABLE remittance_items DROP COLUMN iban;
ALTER TABLE remittance_items DROP COLUMN bic;
ALTER TABLE remittance_items DROP COLUMN bank_name;
ALTER TABLE remittance_items DROP COLUMN siren;
ALTER TABLE remittance_items DROP COLUMN rum;
ALTER TABLE remittance_items DROP COLUMN mandate_signed;

-- Most EndToEndIds are the document itself: returns find those through the
-- receivable, and the index keeps only the others.
DROP INDEX remittance_items_e2e;
CREATE INDEX remittance_items_e2e ON remittance_items(end_to_end_id) WHERE end_to_end_id != document;

-- Returns find an item's collection line through its receivable; exports
-- read every line anyway.
DROP INDEX entries_item;
DROP INDEX entries_date;

-- An item with what its files said about the debtor: read this to see a remittance.
CREATE VIEW remittance_lines AS
  SELECT i.id, i.remittance_id, i.receivable_id, i.position, i.block, i.status, i.amount, i.due_date, i.collection_date,
    i.end_to_end_id, i.document, i.label, i.journal, d.customer, d.name, d.street, d.building, d.postcode, d.town, d.country,
    d.iban, d.bic, d.bank_name, d.siren, i.issue_date, i.acceptance, i.mandate_id, d.rum, d.mandate_signed, i.sequence_type,
    i.amend_iban, i.amend_rum, i.amend_ics, i.return_reason, i.returned_on, i.settled_before_return, i.debtor_id
  FROM remittance_items i JOIN debtor_snapshots d ON d.id = i.debtor_id;
