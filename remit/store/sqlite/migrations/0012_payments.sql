-- remit schema, version 12: supplier payments paid (issue 20, parts 4 to
-- 6): a remittance may be a remise of SEPA credit transfers (sct, pain.001)
-- or a run of lettres-chèques (chq-out) besides direct debits (sdd) and
-- bills (lcr); each of its payments is a transfer or a cheque to one payee
-- settling one or more payables (payment_lines). A payable is never in two
-- payments that stand: payment_lines_once.
-- (remittances.kind takes 'sct' and 'chq-out': the Go step of this
-- migration widens its CHECK, see widenPaymentKinds; their écritures are
-- of entry_lines.kind 'payment', which version 11 allows.)

CREATE TABLE payments (                            -- one transfer or cheque of a remittance: a group of payables to one payee
  id             INTEGER PRIMARY KEY,
  creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
  remittance_id  INTEGER REFERENCES remittances(id), -- NULL only inside the run that plans it
  method         TEXT NOT NULL CHECK (method IN ('vir', 'chq')),
  bank           TEXT NOT NULL,                    -- the bank (treasury journal) that pays
  bank_note      TEXT NOT NULL DEFAULT '',         -- why it is not the bank first planned (limit, substitute), or ''
  block          INTEGER NOT NULL DEFAULT 0,       -- payment block (PmtInf) number in the remittance
  position       INTEGER NOT NULL,                 -- order in its block
  status         TEXT NOT NULL DEFAULT 'remitted' CHECK (status IN ('remitted', 'rejected', 'returned', 'cancelled')),
  execution_date TEXT NOT NULL,                    -- ReqdExctnDt
  due_date       TEXT NOT NULL,                    -- the earliest due date of its invoices
  end_to_end_id  TEXT NOT NULL,                    -- its reference, unique
  payee          TEXT NOT NULL,                    -- the account paid: the supplier, or the parent account
  name           TEXT NOT NULL,                    -- what the file says of the payee, so regenerate is exact
  street         TEXT NOT NULL DEFAULT '',
  building       TEXT NOT NULL DEFAULT '',
  postcode       TEXT NOT NULL DEFAULT '',
  town           TEXT NOT NULL DEFAULT '',
  country        TEXT NOT NULL DEFAULT '',
  iban           TEXT NOT NULL DEFAULT '',
  bic            TEXT NOT NULL DEFAULT '',
  currency       TEXT NOT NULL DEFAULT 'EUR',
  total          INTEGER NOT NULL,                 -- its invoices less its credit notes
  discount       INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0), -- the discounts taken
  amount         INTEGER NOT NULL CHECK (amount > 0), -- what is paid: total - discount
  remittance_info TEXT NOT NULL DEFAULT '',        -- RmtInf/Ustrd as written; a cheque's reference line
  cheque_number  TEXT NOT NULL DEFAULT '',         -- a cheque's number, as printed last
  return_reason  TEXT NOT NULL DEFAULT '',
  returned_on    TEXT NOT NULL DEFAULT '',
  CHECK (amount = total - discount)
);
CREATE INDEX payments_remittance ON payments(remittance_id, block, position);
CREATE UNIQUE INDEX payments_e2e ON payments(end_to_end_id);

CREATE TABLE payment_lines (                       -- the payables a payment settles
  payment_id     INTEGER NOT NULL REFERENCES payments(id),
  payable_id     INTEGER NOT NULL REFERENCES payables(id),
  document       TEXT NOT NULL,                    -- as the payment settled it
  supplier       TEXT NOT NULL,
  label          TEXT NOT NULL DEFAULT '',
  issue_date     TEXT NOT NULL DEFAULT '',
  due_date       TEXT NOT NULL,
  amount         INTEGER NOT NULL,                 -- negative for a credit note
  discount       INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
  discount_rate  INTEGER NOT NULL DEFAULT 0,       -- basis points
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), -- 0 once its payment is rejected, returned or cancelled
  PRIMARY KEY (payment_id, payable_id)
);
-- A payable is in one standing payment at most: never paid twice.
CREATE UNIQUE INDEX payment_lines_once ON payment_lines(payable_id) WHERE active = 1;

-- The register of the cheques printed (lettres-chèques): each number of a
-- bank's cheque book is used once; a spoiled cheque is void, and its
-- payment printed again under another number.
CREATE TABLE issued_cheques (
  creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
  bank           TEXT NOT NULL,                    -- the bank (journal) the cheque is drawn on
  number         INTEGER NOT NULL CHECK (number BETWEEN 1 AND 9999999),
  payment_id     INTEGER NOT NULL REFERENCES payments(id),
  status         TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
  printed_at     TEXT NOT NULL,
  file           TEXT NOT NULL DEFAULT '',         -- the PDF that printed it
  voided_at      TEXT NOT NULL DEFAULT '',
  void_reason    TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (creditor_id, bank, number)
);
CREATE INDEX issued_cheques_payment ON issued_cheques(payment_id);

-- Accounting: a payment's écriture (kind payment) debits the supplier's
-- documents (401), credits the discounts taken (765) and the bank (512);
-- its supplier lines name the payable they settle (payable_id: their
-- lettering follows it), its lines the payment (payment_id).
ALTER TABLE entry_lines ADD COLUMN payment_id INTEGER REFERENCES payments(id); -- a payment's lines (and their reversals)
ALTER TABLE entry_lines ADD COLUMN payable_id INTEGER REFERENCES payables(id); -- set on supplier lines (the lettering follows it)
CREATE INDEX entries_payable ON entry_lines(payable_id) WHERE payable_id IS NOT NULL;
