-- remit schema, version 20: once a kept collection is reversed, its items
-- that store no lettering show the receivable's code in lower case dated
-- the reversal (a cancelled remittance's customer lines no longer settle
-- its receivables), where they showed it in upper case dated the
-- collection. Cancelling a remittance whose receivables have no other line
-- then writes no lettering on its items, where it rewrote each of them
-- (issue 22: 100,000 items at each cancel of a monthly remittance).
-- Lettering again writes an item's lettering where it differs from what
-- the view shows without it, as before.

-- The items of the collections reversed before that store no lettering or
-- no date showed the upper-case code or the collection's date: they store
-- it now, and show what they showed.
UPDATE remittance_items SET
    lettering = COALESCE(lettering, substr(char(65 + (receivable_id - 1) / 308915776 % 26, 65 + (receivable_id - 1) / 11881376 % 26,
        65 + (receivable_id - 1) / 456976 % 26, 65 + (receivable_id - 1) / 17576 % 26, 65 + (receivable_id - 1) / 676 % 26,
        65 + (receivable_id - 1) / 26 % 26, 65 + (receivable_id - 1) % 26),
      -max(3, length(ltrim(char(65 + (receivable_id - 1) / 308915776 % 26, 65 + (receivable_id - 1) / 11881376 % 26,
        65 + (receivable_id - 1) / 456976 % 26, 65 + (receivable_id - 1) / 17576 % 26, 65 + (receivable_id - 1) / 676 % 26,
        65 + (receivable_id - 1) / 26 % 26, 65 + (receivable_id - 1) % 26), 'A'))))),
    lettered_on = COALESCE(lettered_on, (SELECT c.date FROM collection_ecritures c WHERE c.remittance_id = remittance_items.remittance_id))
  WHERE remittance_id IN (SELECT remittance_id FROM collection_reversals) AND (lettering IS NULL OR lettered_on IS NULL);

DROP VIEW entries;

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
    -- the receivable's lettering code: its id - 1 in base 26 as letters, at least three (ids below 26^7),
    -- in lower case dated the reversal once the collection is reversed, unless the item stores its lettering
    COALESCE(i.lettering, CASE WHEN v.remittance_id IS NULL THEN substr(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26),
      -max(3, length(ltrim(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26), 'A'))))
      ELSE lower(substr(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26),
      -max(3, length(ltrim(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26), 'A'))))) END),
    COALESCE(i.lettered_on, v.date, c.date), c.created_on
  FROM collection_ecritures c LEFT JOIN collection_reversals v ON v.remittance_id = c.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
    JOIN debtor_snapshots d ON d.id = i.debtor_id
  UNION ALL
  -- a kept reversal: the counterpart line of a kept collection reversed (line 2n - 1)
  SELECT r.first_id + 2 * (i.id - c.first_item) + 1, r.creditor_id, r.number, 2 * (i.id - c.first_item) + 1, 'reversal',
    c.remittance_id, i.id, NULL, NULL, r.reverses, c.journal, c.journal_label, r.date,
    CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)), 'MM', substr(i.due_date, 6, 2))
      ELSE c.counterpart END,
    COALESCE(c.counterpart_label, 'Compte ' || CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END),
    '', '', '', i.document, r.piece_date,
    CASE r.docs WHEN 0 THEN r.label0 ELSE trim(r.label0 || i.document || r.label1
      || CASE WHEN r.docs > 1 THEN i.document || r.label2 ELSE '' END || CASE WHEN r.docs > 2 THEN i.document || r.label3 ELSE '' END,
      char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233,
        8239, 8287, 12288)) END,
    0, i.amount, '', '', r.created_on
  FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
  WHERE c.centralized = 0
  UNION ALL
  -- and its customer line reversed, lettered as the collection's (line 2n, or n + 1 after a centralised line)
  SELECT r.first_id + CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END, r.creditor_id,
    r.number, CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END, 'reversal',
    c.remittance_id, i.id, i.receivable_id, NULL, r.reverses, c.journal, c.journal_label, r.date,
    CASE c.direct WHEN 1 THEN d.customer ELSE c.account END, CASE c.direct WHEN 1 THEN d.name ELSE c.account_label END,
    CASE c.direct WHEN 1 THEN '' ELSE d.customer END, CASE c.direct WHEN 1 THEN '' ELSE d.name END,
    CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)), 'MM', substr(i.due_date, 6, 2))
      ELSE c.counterpart END,
    i.document, r.piece_date,
    CASE r.docs WHEN 0 THEN r.label0 ELSE trim(r.label0 || i.document || r.label1
      || CASE WHEN r.docs > 1 THEN i.document || r.label2 ELSE '' END || CASE WHEN r.docs > 2 THEN i.document || r.label3 ELSE '' END,
      char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233,
        8239, 8287, 12288)) END,
    i.amount, 0,
    -- the receivable's lettering code in lower case dated the reversal, unless the item stores its lettering
    COALESCE(i.lettering, lower(substr(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26),
      -max(3, length(ltrim(char(65 + (i.receivable_id - 1) / 308915776 % 26, 65 + (i.receivable_id - 1) / 11881376 % 26,
        65 + (i.receivable_id - 1) / 456976 % 26, 65 + (i.receivable_id - 1) / 17576 % 26, 65 + (i.receivable_id - 1) / 676 % 26,
        65 + (i.receivable_id - 1) / 26 % 26, 65 + (i.receivable_id - 1) % 26), 'A')))))),
    COALESCE(i.lettered_on, r.date), r.created_on
  FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
    JOIN debtor_snapshots d ON d.id = i.debtor_id;
