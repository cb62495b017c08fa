-- remit schema, version 4: a remittance's collection écriture is one row
-- (collection_ecritures) whose lines are its items, instead of two stored
-- lines per item; the entries view puts those lines back beside the lines
-- stored one by one (entry_lines: returns, fees, reversals, centralised
-- lines and the écritures of remittances that need several).
--
-- A million collections used to add two million stored lines (400 MB and
-- most of a remittance run's time). Everything an écriture's line says is
-- already kept, and never changes: the item (document, amount, due date),
-- its debtor snapshot (customer code and name) and the écriture's row
-- (journal, number, date, accounts, labels). Only the lettering changes
-- (after a return): it is kept on the item.

ALTER TABLE entries RENAME TO entry_lines;

CREATE TABLE collection_ecritures (
  remittance_id     INTEGER PRIMARY KEY REFERENCES remittances(id),
  creditor_id       INTEGER NOT NULL REFERENCES creditors(id),
  number            INTEGER NOT NULL,              -- EcritureNum
  journal           TEXT NOT NULL,
  journal_label     TEXT NOT NULL,
  date              TEXT NOT NULL,                 -- EcritureDate
  first_item        INTEGER NOT NULL,              -- the remittance's first item: item i is payment i - first_item + 1
  first_id          INTEGER NOT NULL,              -- line k of the écriture is entry first_id + k
  last_id           INTEGER NOT NULL,
  centralized       INTEGER NOT NULL CHECK (centralized IN (0, 1)), -- 1: one counterpart line, stored in entry_lines as line 1
  counterpart       TEXT NOT NULL,                 -- with the masks AA and MM filled from each item's due date when masked
  masked            INTEGER NOT NULL CHECK (masked IN (0, 1)),
  counterpart_label TEXT,                          -- NULL: 'Compte ' and the account
  label             TEXT NOT NULL,                 -- counterpart lines
  direct            INTEGER NOT NULL CHECK (direct IN (0, 1)), -- 1: the customer's code is the account
  account           TEXT NOT NULL,                 -- customer lines' collective account (direct = 0)
  account_label     TEXT NOT NULL,
  label0            TEXT NOT NULL,                 -- customer lines' label: label0 field1 label1 field2 label2 field3 label3,
  field1            TEXT CHECK (field1 IN ('doc', 'customer', 'name')), -- trimmed, a field being the item's document,
  label1            TEXT NOT NULL DEFAULT '',      -- the debtor's code or name; no field: label0 as it is
  field2            TEXT CHECK (field2 IN ('doc', 'customer', 'name')),
  label2            TEXT NOT NULL DEFAULT '',
  field3            TEXT CHECK (field3 IN ('doc', 'customer', 'name')),
  label3            TEXT NOT NULL DEFAULT '',
  piece_date        TEXT NOT NULL,
  created_on        TEXT NOT NULL,
  UNIQUE (creditor_id, journal, number)
);

-- The lettering of an item's customer line when it is not the default
-- (its receivable's code in upper case, dated the écriture's date).
ALTER TABLE remittance_items ADD COLUMN lettering TEXT;
ALTER TABLE remittance_items ADD COLUMN lettered_on TEXT;

-- Receivables collected again after a reject, a return or a cancelled
-- remittance: their earlier entries need relettering.
CREATE INDEX remittance_items_again ON remittance_items(receivable_id) WHERE status != 'remitted';

-- Every line, stored or not, with the columns the entries table had.
CREATE VIEW entries AS
  SELECT id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses, journal, journal_label,
    date, account, account_label, aux_account, aux_label, counterpart, piece_ref, piece_date, label, debit, credit, lettering,
    lettered_on, created_on
  FROM entry_lines
  UNION ALL
  -- one counterpart line per payment: line 2n - 1
  SELECT c.first_id + 2 * (i.id - c.first_item) + 1, c.creditor_id, c.number, 2 * (i.id - c.first_item) + 1, 'collection',
    c.remittance_id, i.id, NULL, NULL, 0, c.journal, c.journal_label, c.date,
    CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)), 'MM', substr(i.due_date, 6, 2))
      ELSE c.counterpart END,
    COALESCE(c.counterpart_label, 'Compte ' || CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END),
    '', '', '', i.document, c.piece_date, c.label, i.amount, 0, '', '', c.created_on
  FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id
  WHERE c.centralized = 0
  UNION ALL
  -- the customer line: line 2n, or n + 1 after a centralised line
  SELECT c.first_id + CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END, c.creditor_id,
    c.number, CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END, 'collection',
    c.remittance_id, i.id, i.receivable_id, NULL, 0, c.journal, c.journal_label, c.date,
    CASE c.direct WHEN 1 THEN d.customer ELSE c.account END, CASE c.direct WHEN 1 THEN d.name ELSE c.account_label END,
    CASE c.direct WHEN 1 THEN '' ELSE d.customer END, CASE c.direct WHEN 1 THEN '' ELSE d.name END,
    CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)), 'MM', substr(i.due_date, 6, 2))
      ELSE c.counterpart END,
    i.document, c.piece_date,
    CASE WHEN c.field1 IS NULL THEN c.label0 ELSE trim(c.label0
      || CASE c.field1 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer ELSE d.name END || c.label1
      || COALESCE(CASE c.field2 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer WHEN 'name' THEN d.name END || c.label2, '')
      || COALESCE(CASE c.field3 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer WHEN 'name' THEN d.name END || c.label3, ''),
      -- every character unicode.IsSpace accepts, as strings.TrimSpace
      char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233,
        8239, 8287, 12288)) END,
    0, i.amount,
    -- the receivable's lettering code: its id - 1 in base 26 as letters, at least three (ids below 26^7)
    COALESCE(i.lettering, substr(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26),
      -max(3, length(ltrim(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26), 'A'))))),
    COALESCE(i.lettered_on, c.date), c.created_on
  FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id
    JOIN debtor_snapshots d ON d.id = i.debtor_id;

-- The pointed receivables in id order: an import appends to it and a run
-- takes its entries out in the order it reads them, instead of both
-- reaching all over an index sorted by due date.
DROP INDEX receivables_pointed;
CREATE INDEX receivables_pointed ON receivables(creditor_id, method) WHERE status = 'pointed';
