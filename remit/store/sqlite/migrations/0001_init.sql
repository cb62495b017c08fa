-- remit schema, version 1.
-- Amounts are integer cents; dates are TEXT 'YYYY-MM-DD'; timestamps TEXT 'YYYY-MM-DDTHH:MM:SS'.
-- Other software may insert customers, mandates and receivables directly (see README, "Tables").

CREATE TABLE creditors (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,              -- short code chosen with --creditor
  name          TEXT NOT NULL,                     -- raison sociale
  ics           TEXT NOT NULL DEFAULT '',          -- identifiant créancier SEPA
  nne           TEXT NOT NULL DEFAULT '',          -- numéro national d'émetteur (6 digits)
  siren         TEXT NOT NULL DEFAULT '',
  iban          TEXT NOT NULL DEFAULT '',
  bic           TEXT NOT NULL DEFAULT '',
  bank_name     TEXT NOT NULL DEFAULT '',          -- domiciliation
  street        TEXT NOT NULL DEFAULT '',
  building      TEXT NOT NULL DEFAULT '',
  postcode      TEXT NOT NULL DEFAULT '',
  town          TEXT NOT NULL DEFAULT '',
  country       TEXT NOT NULL DEFAULT '',
  rcur_only     INTEGER NOT NULL DEFAULT 0 CHECK (rcur_only IN (0, 1)),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE customers (                           -- tiers
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  account       TEXT NOT NULL,                     -- compte tiers, e.g. 411DUPONT
  name          TEXT NOT NULL,
  street        TEXT NOT NULL DEFAULT '',
  building      TEXT NOT NULL DEFAULT '',
  postcode      TEXT NOT NULL DEFAULT '',
  town          TEXT NOT NULL DEFAULT '',
  country       TEXT NOT NULL DEFAULT '',
  priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 99),
  iban          TEXT NOT NULL DEFAULT '',
  bic           TEXT NOT NULL DEFAULT '',
  bank_name     TEXT NOT NULL DEFAULT '',          -- domiciliation of the customer's account
  siren         TEXT NOT NULL DEFAULT '',
  UNIQUE (creditor_id, account)
);

CREATE TABLE mandates (
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  rum           TEXT NOT NULL,                     -- référence unique de mandat
  signed_on     TEXT NOT NULL DEFAULT '',
  scheme        TEXT NOT NULL DEFAULT 'CORE' CHECK (scheme IN ('CORE', 'B2B')),
  kind          TEXT NOT NULL DEFAULT 'recurrent' CHECK (kind IN ('recurrent', 'oneoff')),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked', 'revoked', 'expired')),
  status_reason TEXT NOT NULL DEFAULT '',
  iban          TEXT NOT NULL DEFAULT '',          -- debtor account the mandate now points to
  bic           TEXT NOT NULL DEFAULT '',
  previous_iban TEXT NOT NULL DEFAULT '',          -- the account before the last change, for the record
  original_rum  TEXT NOT NULL DEFAULT '',          -- set when the RUM was changed: announced at the next collection
  original_ics  TEXT NOT NULL DEFAULT '',          -- set when the creditor identifier changed
  UNIQUE (creditor_id, rum)
);

CREATE TABLE receivables (                         -- échéances
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  document      TEXT NOT NULL,                     -- pièce (invoice number); one échéance per document
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  issue_date    TEXT NOT NULL DEFAULT '',
  due_date      TEXT NOT NULL,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  currency      TEXT NOT NULL DEFAULT 'EUR',
  method        TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'sdd', 'lcr', 'chq', 'vir', 'esp', 'cb')),
  journal       TEXT NOT NULL DEFAULT '',          -- treasury journal code
  mandate_id    INTEGER REFERENCES mandates(id),
  acceptance    TEXT NOT NULL DEFAULT 'not_accepted' CHECK (acceptance IN ('accepted', 'not_accepted', 'bor')),
  label         TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pointed', 'remitted', 'rejected', 'paid')),
  refusal       TEXT NOT NULL DEFAULT '',          -- why the last remittance run left it pointed
  line_hash     TEXT NOT NULL DEFAULT '',          -- import: hash of the CSV line that wrote it
  import_id     INTEGER NOT NULL DEFAULT 0,        -- import: the import run that last wrote it
  UNIQUE (creditor_id, document)
);
-- The remittance runs read the pointed receivables only: a partial index
-- keeps imports (open receivables) from paying for it.
CREATE INDEX receivables_pointed ON receivables(creditor_id, method, due_date) WHERE status = 'pointed';

CREATE TABLE remittances (                         -- remises
  id            INTEGER PRIMARY KEY,               -- the chronological number; ref = at least 3 digits
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  kind          TEXT NOT NULL CHECK (kind IN ('sdd', 'lcr')),
  scheme        TEXT NOT NULL DEFAULT '',          -- CORE or B2B for sdd
  status        TEXT NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'sent', 'cancelled')),
  msg_id        TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,                     -- the timestamp written in the files
  item_count    INTEGER NOT NULL,
  total         INTEGER NOT NULL,
  params        TEXT NOT NULL DEFAULT '{}',        -- JSON: every option and creditor detail the files were written with
  run_id        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX remittances_creditor ON remittances(creditor_id, kind, status);

CREATE TABLE remittance_files (
  remittance_id INTEGER NOT NULL REFERENCES remittances(id),
  name          TEXT NOT NULL,                     -- file name inside --out
  format        TEXT NOT NULL,                     -- pain.008.001.08, pain.008.001.02, cfonb-lcr, cfonb-debit, bordereau
  sha256        TEXT NOT NULL,
  size          INTEGER NOT NULL,
  PRIMARY KEY (remittance_id, name)
);

CREATE TABLE remittance_items (
  id              INTEGER PRIMARY KEY,
  remittance_id   INTEGER NOT NULL REFERENCES remittances(id),
  receivable_id   INTEGER NOT NULL REFERENCES receivables(id),
  position        INTEGER NOT NULL,                -- order in the file
  block           INTEGER NOT NULL DEFAULT 0,      -- payment block (PmtInf) number in the remittance
  status          TEXT NOT NULL DEFAULT 'remitted' CHECK (status IN ('remitted', 'rejected', 'returned', 'cancelled')),
  amount          INTEGER NOT NULL,
  due_date        TEXT NOT NULL,
  collection_date TEXT NOT NULL,                   -- SDD requested collection date; LCR due date
  end_to_end_id   TEXT NOT NULL,
  document        TEXT NOT NULL,
  label           TEXT NOT NULL DEFAULT '',
  customer        TEXT NOT NULL,                   -- snapshot of what the files say, so regenerate is exact
  name            TEXT NOT NULL,
  street          TEXT NOT NULL DEFAULT '',
  building        TEXT NOT NULL DEFAULT '',
  postcode        TEXT NOT NULL DEFAULT '',
  town            TEXT NOT NULL DEFAULT '',
  country         TEXT NOT NULL DEFAULT '',
  iban            TEXT NOT NULL DEFAULT '',
  bic             TEXT NOT NULL DEFAULT '',
  bank_name       TEXT NOT NULL DEFAULT '',
  siren           TEXT NOT NULL DEFAULT '',
  issue_date      TEXT NOT NULL DEFAULT '',
  acceptance      TEXT NOT NULL DEFAULT '',
  mandate_id      INTEGER REFERENCES mandates(id),
  rum             TEXT NOT NULL DEFAULT '',
  mandate_signed  TEXT NOT NULL DEFAULT '',
  sequence_type   TEXT NOT NULL DEFAULT '',        -- FRST, RCUR, OOFF as written
  amend_iban      TEXT NOT NULL DEFAULT '',        -- amendment: 'SMNDA' or the original IBAN
  amend_rum       TEXT NOT NULL DEFAULT '',
  amend_ics       TEXT NOT NULL DEFAULT '',
  return_reason   TEXT NOT NULL DEFAULT '',
  returned_on     TEXT NOT NULL DEFAULT '',
  settled_before_return INTEGER NOT NULL DEFAULT 0 -- 1 for a return after settlement (camt.054), 0 for a reject
);
CREATE INDEX remittance_items_remittance ON remittance_items(remittance_id, block, position);
CREATE INDEX remittance_items_receivable ON remittance_items(receivable_id);
CREATE INDEX remittance_items_mandate ON remittance_items(mandate_id, status);
CREATE INDEX remittance_items_e2e ON remittance_items(end_to_end_id);

-- Collections of a mandate made before remit managed it (migrations from other software).
-- remit's own collections are the remittance_items rows.
CREATE TABLE mandate_history (
  mandate_id    INTEGER NOT NULL REFERENCES mandates(id),
  collected_on  TEXT NOT NULL,
  iban          TEXT NOT NULL,
  sequence_type TEXT NOT NULL DEFAULT 'RCUR'
);
CREATE INDEX mandate_history_mandate ON mandate_history(mandate_id);

CREATE TABLE imports (
  id            INTEGER PRIMARY KEY,
  file          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  lines         INTEGER NOT NULL,
  inserted      INTEGER NOT NULL,
  updated       INTEGER NOT NULL,
  unchanged     INTEGER NOT NULL,
  rejected      INTEGER NOT NULL
);
