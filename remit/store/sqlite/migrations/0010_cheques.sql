-- remit schema, version 10: remises de chèques (issue 19, part 3). A
-- received cheque (method chq) carries its number and the drawer's bank
-- (établissement tiré); a remittance of kind 'chq' deposits the pointed
-- cheques at a bank, and each of its items keeps what its slip printed.
-- (remittances.kind takes 'chq': the Go step of this migration widens its
-- CHECK, see widenRemittanceKinds.)

ALTER TABLE receivables ADD COLUMN cheque_number TEXT NOT NULL DEFAULT '';      -- chq: the cheque's number (up to 7 digits)
ALTER TABLE receivables ADD COLUMN drawer_bank TEXT NOT NULL DEFAULT '';        -- chq: the bank the cheque is drawn on
ALTER TABLE remittance_items ADD COLUMN cheque_number TEXT NOT NULL DEFAULT ''; -- as the remise's slip printed them
ALTER TABLE remittance_items ADD COLUMN drawer_bank TEXT NOT NULL DEFAULT '';
