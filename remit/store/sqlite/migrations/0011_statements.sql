-- remit schema, version 11: bank statements (relevés de compte, CFONB 120 and
-- camt.053), the suspense account (compte d'attente) and write-offs (abandons
-- de créance), issue 19 parts 4 and 5.
--
-- A statement imported is kept with each of its lines and what each was
-- matched to; the operations it confirms get their date de constatation
-- (seed 003: the last step of every treasury operation, "la constatation en
-- banque"), and its closing balance becomes the bank's validated balance.

CREATE TABLE statements (                                       -- relevés imported
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  bank_id       INTEGER NOT NULL REFERENCES banks(id),
  statement_key TEXT NOT NULL,                                  -- the relevé's identity, whatever file or format it came in
  format        TEXT NOT NULL CHECK (format IN ('cfonb120', 'camt.053.001.02', 'camt.053.001.08')),
  file          TEXT NOT NULL DEFAULT '',                       -- the file's name
  file_sha256   TEXT NOT NULL DEFAULT '',
  file_line     INTEGER NOT NULL DEFAULT 0,                     -- line of its record 01, or of its <Stmt>
  ref           TEXT NOT NULL DEFAULT '',                       -- camt.053 Stmt/Id
  msg_id        TEXT NOT NULL DEFAULT '',                       -- camt.053 GrpHdr/MsgId
  sequence      TEXT NOT NULL DEFAULT '',                       -- camt.053 ElctrncSeqNb
  account       TEXT NOT NULL,                                  -- IBAN (else the account as the file names it)
  currency      TEXT NOT NULL,
  from_date     TEXT NOT NULL,                                  -- first day of its period
  to_date       TEXT NOT NULL,                                  -- date of its closing balance
  opening       INTEGER NOT NULL,                               -- ancien solde, cents (negative: overdrawn)
  opening_date  TEXT NOT NULL,
  closing       INTEGER NOT NULL,                               -- nouveau solde, cents
  booked        INTEGER NOT NULL,                               -- number of booked lines
  digest        TEXT NOT NULL,                                  -- SHA-256 of the booked amounts, part of statement_key
  balance_set   INTEGER NOT NULL CHECK (balance_set IN (0, 1)), -- 1: its closing balance became the bank's validated balance
  imported_at   TEXT NOT NULL,
  UNIQUE (creditor_id, statement_key)
);
CREATE INDEX statements_bank ON statements(bank_id, to_date);

CREATE TABLE statement_lines (                                  -- one per movement of a statement
  id            INTEGER PRIMARY KEY,                            -- the line's number (remit suspense allocate 17)
  statement_id  INTEGER NOT NULL REFERENCES statements(id),
  position      INTEGER NOT NULL,                               -- order in the statement, from 1
  file_line     INTEGER NOT NULL,                               -- line of its record 04, or of its <Ntry>
  entry_status  TEXT NOT NULL DEFAULT 'BOOK',                   -- BOOK; camt.053 PDNG, INFO, FUTR are not booked
  booked_on     TEXT NOT NULL,                                  -- date de constatation: booking date, else value date
  value_date    TEXT NOT NULL DEFAULT '',
  amount        INTEGER NOT NULL,                               -- cents: positive credits the account
  code          TEXT NOT NULL DEFAULT '',                       -- CFONB operation code (A1, B3, 05…) or ISO PMNT/IDDT/ESDD
  label         TEXT NOT NULL DEFAULT '',                       -- libellé, or AddtlNtryInf
  details       TEXT NOT NULL DEFAULT '',                       -- what the line says beyond its label: payer, references
  reference     TEXT NOT NULL DEFAULT '',                       -- camt.053 AcctSvcrRef or NtryRef; CFONB zone référence
  number        TEXT NOT NULL DEFAULT '',                       -- CFONB numéro d'écriture
  op            TEXT NOT NULL DEFAULT '',                       -- the type of operation its code says: sdd, lcr, chq, vir…
  outcome       TEXT NOT NULL CHECK (outcome IN ('lot-credited', 'items-credited', 'returned', 'paid', 'fee', 'unmatched', 'not-booked')),
  return_reason TEXT NOT NULL DEFAULT '',                       -- returned: AM04, MD06, or the CFONB code motif de rejet
  reason        TEXT NOT NULL DEFAULT '',                       -- why unmatched, or a note on the match
  suspense      INTEGER NOT NULL DEFAULT 0 CHECK (suspense IN (0, 1)), -- an unmatched credit, booked to the suspense account
  UNIQUE (statement_id, position)
);
CREATE INDEX statement_lines_suspense ON statement_lines(statement_id) WHERE suspense = 1;

CREATE TABLE statement_targets (                                -- what each line was matched to
  line_id       INTEGER NOT NULL REFERENCES statement_lines(id),
  position      INTEGER NOT NULL,                               -- order, from 1
  remittance_id INTEGER REFERENCES remittances(id),             -- a lot credited (with block and lot_date) or an item's remittance
  block         INTEGER NOT NULL DEFAULT 0,
  lot_date      TEXT NOT NULL DEFAULT '',
  item_id       INTEGER REFERENCES remittance_items(id),        -- an item credited or returned on its own
  receivable_id INTEGER REFERENCES receivables(id),             -- a receivable paid by the line
  return_id     INTEGER REFERENCES returns(id),                 -- the return the line recorded, or confirmed
  amount        INTEGER NOT NULL,                               -- cents
  PRIMARY KEY (line_id, position)
);
CREATE INDEX statement_targets_return ON statement_targets(return_id) WHERE return_id IS NOT NULL;

CREATE TABLE allocations (                                      -- vidage du compte d'attente
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  line_id       INTEGER NOT NULL REFERENCES statement_lines(id), -- the suspense line
  receivable_id INTEGER NOT NULL REFERENCES receivables(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),            -- cents
  allocated_on  TEXT NOT NULL,                                  -- the entry's date
  created_at    TEXT NOT NULL
);
CREATE INDEX allocations_line ON allocations(line_id);
CREATE INDEX allocations_receivable ON allocations(receivable_id);

CREATE TABLE writeoffs (                                        -- abandons de créance (passage en pertes)
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  receivable_id INTEGER NOT NULL UNIQUE REFERENCES receivables(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),            -- the open amount written off, cents
  vat           INTEGER NOT NULL DEFAULT 0 CHECK (vat >= 0),    -- the VAT recovered in it, cents
  reason        TEXT NOT NULL CHECK (reason <> ''),             -- liquidation judiciaire, certificat d'irrécouvrabilité…
  written_on    TEXT NOT NULL,                                  -- the entry's date
  created_at    TEXT NOT NULL
);

-- Date de constatation: the day a statement showed the item credited ('' until then).
ALTER TABLE remittance_items ADD COLUMN credited_on TEXT NOT NULL DEFAULT '';
-- The day a statement credited the remittance's last lot ('' until then): a
-- statement looks for its lots among the remittances not yet credited.
ALTER TABLE remittances ADD COLUMN credited_on TEXT NOT NULL DEFAULT '';

-- Three checks widen and a NOT NULL goes (the Go step of this migration,
-- widenTreasuryChecks, rewrites the tables' statements in place):
-- receivables.status takes 'written_off' (never collected again),
-- returns.source 'statement' (a return first seen on a statement),
-- entry_lines.kind the treasury écritures, 'suspense' (a credit to the
-- suspense account), 'allocation' (vidage du compte d'attente), 'payment'
-- (a transfer paying receivables) and 'writeoff' (passage en pertes),
-- which belong to no remittance: entry_lines.remittance_id may be NULL.
