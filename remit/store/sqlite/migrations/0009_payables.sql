-- remit schema, version 9: supplier payments' first half (issue 20, parts 1
-- to 3): the payables (effets à payer), the grouping rules (règles de
-- regroupement), the groups a pointing or the user formed, and whether a
-- creditor's payables need a bon à payer. Amounts are integer cents (a
-- credit note, avoir, is negative); dates TEXT 'YYYY-MM-DD'; timestamps TEXT
-- 'YYYY-MM-DDTHH:MM:SS'. See README, "Tables other software may write".

-- 1: a payable is pointed only once approved (remit payables approve).
ALTER TABLE creditors ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0 CHECK (approval_required IN (0, 1));

-- What an import read: receivables (remit import) or payables (remit payables import).
ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'receivables' CHECK (kind IN ('receivables', 'payables'));

-- A prepared payment of several payables (regroupement): one transfer or one
-- cheque to one payee. Its payables point to it while they are pointed.
CREATE TABLE payable_groups (
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  method        TEXT NOT NULL CHECK (method IN ('vir', 'chq')),
  manual        INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)), -- 1: remit payables group; 0: the automatic rule when pointing
  created_at    TEXT NOT NULL
);

CREATE TABLE payables (                            -- effets à payer
  id             INTEGER PRIMARY KEY,
  creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
  document       TEXT NOT NULL,                    -- the supplier's document (pièce); one payable per document
  supplier       TEXT NOT NULL,                    -- supplier account, 401…; 411… for a refund to a customer
  name           TEXT NOT NULL,
  street         TEXT NOT NULL DEFAULT '',
  building       TEXT NOT NULL DEFAULT '',
  postcode       TEXT NOT NULL DEFAULT '',
  town           TEXT NOT NULL DEFAULT '',
  country        TEXT NOT NULL DEFAULT '',
  amount         INTEGER NOT NULL CHECK (amount != 0), -- negative for a credit note (avoir)
  currency       TEXT NOT NULL DEFAULT 'EUR',
  issue_date     TEXT NOT NULL DEFAULT '',
  due_date       TEXT NOT NULL,
  method         TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'vir', 'chq')),
  iban           TEXT NOT NULL DEFAULT '',         -- the supplier's account, electronic form
  bic            TEXT NOT NULL DEFAULT '',
  journal        TEXT NOT NULL DEFAULT '',         -- the bank (treasury journal) to pay from; '' the defaults
  priority       INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 99), -- 0 the most urgent
  label          TEXT NOT NULL DEFAULT '',
  discount_rate  INTEGER NOT NULL DEFAULT 0 CHECK (discount_rate BETWEEN 0 AND 9999), -- escompte, basis points: 200 is 2 %
  discount_until TEXT NOT NULL DEFAULT '',         -- the last execution date that takes the discount
  parent         TEXT NOT NULL DEFAULT '',         -- parent account (centrale) paid for a group of suppliers
  approved       INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)), -- bon à payer signed
  approved_at    TEXT NOT NULL DEFAULT '',
  contested      INTEGER NOT NULL DEFAULT 0 CHECK (contested IN (0, 1)), -- in dispute: never pointed
  contest_reason TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pointed', 'remitted', 'paid')),
  group_id       INTEGER REFERENCES payable_groups(id), -- pointed in a group; NULL: a payment of its own
  prepared       INTEGER NOT NULL DEFAULT 0 CHECK (prepared IN (0, 1)), -- 1: its grouping is decided (payables point, group,
                                                   -- ungroup); 0: pointed by an import or a refund, the payment run groups it
  refusal        TEXT NOT NULL DEFAULT '',         -- why the last payment run left it pointed
  refused_at     TEXT NOT NULL DEFAULT '',
  refusal_todo   TEXT NOT NULL DEFAULT '',
  source         TEXT NOT NULL DEFAULT 'import' CHECK (source IN ('import', 'refund')),
  import_id      INTEGER NOT NULL DEFAULT 0,       -- the import that last read its line
  import_line    INTEGER NOT NULL DEFAULT 0,       -- and on which line
  UNIQUE (creditor_id, document),
  CHECK (status != 'pointed' OR contested = 0)
);
CREATE INDEX payables_pointed ON payables(creditor_id, method) WHERE status = 'pointed';
CREATE INDEX payables_group ON payables(group_id) WHERE group_id IS NOT NULL;

-- Règles de regroupement: per method, automatic (applied when pointing) or
-- manual (what remit payables group accepts), for every supplier or one
-- account (a supplier, or a parent account).
CREATE TABLE grouping_rules (
  id            INTEGER PRIMARY KEY,
  creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
  method        TEXT NOT NULL CHECK (method IN ('vir', 'chq')),
  account       TEXT NOT NULL DEFAULT '',          -- '' every supplier; else the supplier or parent the rule is for
  manual        INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  party         TEXT NOT NULL DEFAULT 'supplier' CHECK (party IN ('supplier', 'parent')), -- tiers identiques, or centrale identique
  same_bank     INTEGER NOT NULL DEFAULT 0 CHECK (same_bank IN (0, 1)),
  within_days   INTEGER CHECK (within_days >= 0),   -- due dates at most so many days apart; NULL no limit
  UNIQUE (creditor_id, method, account, manual)
);
