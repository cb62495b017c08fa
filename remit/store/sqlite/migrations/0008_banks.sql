-- remit schema, version 8: the company's banks (journaux de banque, issue 19).
-- A company collects through several accounts: a receivable's journal picks
-- the bank its remittance goes to (none: the default bank), each bank has its
-- own account in the books (512…), numéro national d'émetteur, value days per
-- type of operation (seed 003: "n est un paramètre différent pour chaque type
-- d'opération et pour chaque banque"), disbursement limit and substitute, and
-- the validated balance (solde validé) a forecast starts from.

CREATE TABLE banks (                                            -- journaux de banque
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  code          TEXT NOT NULL,                                  -- the treasury journal, e.g. BQ1: receivables of that journal go to this bank
  iban          TEXT NOT NULL,
  bic           TEXT NOT NULL DEFAULT '',
  name          TEXT NOT NULL,                                  -- domiciliation: the bank and branch
  account       TEXT NOT NULL,                                  -- general ledger account, 512…
  nne           TEXT NOT NULL DEFAULT '',                       -- numéro national d'émetteur (6 digits), '' for none
  value_days    TEXT NOT NULL DEFAULT '',                       -- per type of operation: sdd=1,lcr=2,chq=1
  limit_cents   INTEGER,                                        -- lowest balance allowed (limite de décaissement), may be negative; NULL: none (0)
  substitute_id INTEGER REFERENCES banks(id),                   -- the bank supplier payments move to below the limit
  is_default    INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)), -- receivables of no bank's journal go here
  balance_cents INTEGER,                                        -- validated balance (solde validé), with its date
  balance_date  TEXT CHECK ((balance_cents IS NULL) = (balance_date IS NULL)), -- YYYY-MM-DD, end of that day
  created_at    TEXT NOT NULL,
  UNIQUE (creditor_id, code)
);
-- At most one default bank per creditor (remit keeps exactly one once any exists).
CREATE UNIQUE INDEX banks_default ON banks (creditor_id) WHERE is_default = 1;

-- The bank a remittance went to; NULL for remittances made before banks:
-- their files name the creditor's account as their parameters recorded it.
ALTER TABLE remittances ADD COLUMN bank_id INTEGER REFERENCES banks(id);

-- An existing database gets its creditor's account as the default bank, BQ
-- (the default journal of the entries), booked on 512000 (the default
-- counterpart; `remit init` books it on entries.counterpart when that is a
-- bank's account, so that the entries stay as they were).
INSERT INTO banks (creditor_id, code, iban, bic, name, account, nne, is_default, created_at)
SELECT id, 'BQ', iban, bic, bank_name, '512000', nne, 1, updated_at
FROM creditors WHERE iban <> '';
