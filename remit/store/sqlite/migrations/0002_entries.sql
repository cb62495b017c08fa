-- remit schema, version 2: accounting entries and bank returns.
-- Amounts are integer cents; dates are TEXT 'YYYY-MM-DD'; timestamps TEXT 'YYYY-MM-DDTHH:MM:SS'.

-- Returns: one row per remittance item that came back unpaid (pain.002 reject,
-- camt.054 return, or a reject entered by hand). An item comes back at most once.
CREATE TABLE returns (
  id             INTEGER PRIMARY KEY,
  creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
  item_id        INTEGER NOT NULL UNIQUE REFERENCES remittance_items(id),
  source         TEXT NOT NULL CHECK (source IN ('manual', 'pain.002', 'camt.054')),
  file           TEXT NOT NULL DEFAULT '',          -- the imported file's name
  file_sha256    TEXT NOT NULL DEFAULT '',
  bank_msg_id    TEXT NOT NULL DEFAULT '',          -- the bank file's MsgId
  end_to_end_id  TEXT NOT NULL DEFAULT '',          -- as the bank gave it
  reason         TEXT NOT NULL,                     -- ISO 20022 or CFONB reason code: AM04, MD01, …
  additional_info TEXT NOT NULL DEFAULT '',
  returned_on    TEXT NOT NULL,                     -- date of the reject or return
  settled        INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1)), -- 1: returned after settlement
  fee            INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),        -- bank fee, cents
  mandate_effect TEXT NOT NULL DEFAULT '',          -- what it did to the mandate, for the record
  created_at     TEXT NOT NULL
);
CREATE INDEX returns_creditor ON returns(creditor_id, returned_on);

-- Accounting entries (écritures). Lines sharing a number form one écriture, which balances.
-- Entries are never updated except their lettering, and never deleted: a cancelled
-- remittance's entries are reversed by new ones.
CREATE TABLE entries (
  id             INTEGER PRIMARY KEY,
  creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
  number         INTEGER NOT NULL,                  -- EcritureNum, a continuous sequence per creditor and journal
  line           INTEGER NOT NULL,                  -- order inside the écriture
  kind           TEXT NOT NULL CHECK (kind IN ('collection', 'return', 'fee', 'reversal')),
  remittance_id  INTEGER NOT NULL REFERENCES remittances(id),
  item_id        INTEGER REFERENCES remittance_items(id), -- NULL on a centralised counterpart line
  receivable_id  INTEGER REFERENCES receivables(id),      -- set on customer lines (the lettering follows it)
  return_id      INTEGER REFERENCES returns(id),
  reverses       INTEGER NOT NULL DEFAULT 0,        -- for a reversal: the number of the écriture it reverses (same journal)
  journal        TEXT NOT NULL,                     -- JournalCode
  journal_label  TEXT NOT NULL,                     -- JournalLib
  date           TEXT NOT NULL,                     -- EcritureDate
  account        TEXT NOT NULL,                     -- CompteNum
  account_label  TEXT NOT NULL,                     -- CompteLib
  aux_account    TEXT NOT NULL DEFAULT '',          -- CompAuxNum: the customer account code
  aux_label      TEXT NOT NULL DEFAULT '',          -- CompAuxLib
  counterpart    TEXT NOT NULL DEFAULT '',          -- on customer lines: the account the other side used
  piece_ref      TEXT NOT NULL,                     -- PieceRef
  piece_date     TEXT NOT NULL,                     -- PieceDate
  label          TEXT NOT NULL,                     -- EcritureLib
  debit          INTEGER NOT NULL DEFAULT 0 CHECK (debit >= 0),
  credit         INTEGER NOT NULL DEFAULT 0 CHECK (credit >= 0),
  lettering      TEXT NOT NULL DEFAULT '',          -- EcritureLet: upper case complete, lower case partial
  lettered_on    TEXT NOT NULL DEFAULT '',          -- DateLet
  created_on     TEXT NOT NULL,                     -- ValidDate: the day remit recorded it
  CHECK ((debit = 0) != (credit = 0)),
  UNIQUE (creditor_id, journal, number, line)
);
CREATE INDEX entries_remittance ON entries(remittance_id, journal, number);
CREATE INDEX entries_receivable ON entries(receivable_id);
CREATE INDEX entries_date ON entries(creditor_id, date);
CREATE INDEX entries_item ON entries(item_id);
