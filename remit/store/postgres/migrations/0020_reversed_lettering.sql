-- remit schema, version 20, for PostgreSQL: SQLite's migration 0020 (once
-- a kept collection is reversed, its items that store no lettering show
-- the receivable's code in lower case dated the reversal; the items of the
-- collections reversed before that store none store what they showed).

UPDATE remittance_items i SET
    lettering = COALESCE(i.lettering, (SELECT right(l.code, greatest(3, length(ltrim(l.code, 'A')))) FROM (SELECT
      chr(65 + ((i.receivable_id - 1) / 308915776 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 11881376 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 456976 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 17576 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 676 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 26 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) % 26)::int) AS code) l)),
    lettered_on = COALESCE(i.lettered_on, c.date)
  FROM collection_ecritures c
  WHERE c.remittance_id = i.remittance_id AND i.remittance_id IN (SELECT remittance_id FROM collection_reversals)
    AND (i.lettering IS NULL OR i.lettered_on IS NULL);

DROP VIEW entries;

-- Every line, stored or not, with the columns of entry_lines: the same rows
-- as SQLite's view, computed with PostgreSQL's functions (chr for char,
-- btrim for trim, right for a negative substr, greatest for a scalar max).
CREATE VIEW entries AS
  SELECT id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses, journal, journal_label,
    date, account, account_label, aux_account, aux_label, counterpart, piece_ref, piece_date, label, debit, credit, lettering,
    lettered_on, created_on
  FROM entry_lines
  UNION ALL
  -- one counterpart line per payment: line 2n - 1
  SELECT c.first_id + 2 * (i.id - c.first_item) + 1, c.creditor_id, c.number, 2 * (i.id - c.first_item) + 1, 'collection',
    c.remittance_id, i.id, NULL, NULL, 0, c.journal, c.journal_label, c.date,
    m.counterpart, COALESCE(c.counterpart_label, 'Compte ' || m.counterpart),
    '', '', '', i.document, c.piece_date, c.label, i.amount, 0, '', '', c.created_on
  FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id
    CROSS JOIN LATERAL (SELECT CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END AS counterpart) m
  WHERE c.centralized = 0
  UNION ALL
  -- the customer line: line 2n, or n + 1 after a centralised line
  SELECT c.first_id + n.line, c.creditor_id, c.number, n.line, 'collection',
    c.remittance_id, i.id, i.receivable_id, NULL, 0, c.journal, c.journal_label, c.date,
    CASE c.direct WHEN 1 THEN d.customer ELSE c.account END, CASE c.direct WHEN 1 THEN d.name ELSE c.account_label END,
    CASE c.direct WHEN 1 THEN '' ELSE d.customer END, CASE c.direct WHEN 1 THEN '' ELSE d.name END,
    m.counterpart, i.document, c.piece_date,
    CASE WHEN c.field1 IS NULL THEN c.label0 ELSE btrim(c.label0
      || CASE c.field1 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer ELSE d.name END || c.label1
      || COALESCE(CASE c.field2 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer WHEN 'name' THEN d.name END || c.label2, '')
      || COALESCE(CASE c.field3 WHEN 'doc' THEN i.document WHEN 'customer' THEN d.customer WHEN 'name' THEN d.name END || c.label3, ''),
      -- every character unicode.IsSpace accepts, as strings.TrimSpace
      chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193)
        || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
        || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END,
    0, i.amount,
    -- the receivable's lettering code: its id - 1 in base 26 as letters, at least three (ids below 26^7),
    -- in lower case dated the reversal once the collection is reversed, unless the item stores its lettering
    COALESCE(i.lettering, CASE WHEN v.remittance_id IS NULL THEN right(l.code, greatest(3, length(ltrim(l.code, 'A'))))
      ELSE lower(right(l.code, greatest(3, length(ltrim(l.code, 'A'))))) END),
    COALESCE(i.lettered_on, v.date, c.date), c.created_on
  FROM collection_ecritures c LEFT JOIN collection_reversals v ON v.remittance_id = c.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
    JOIN debtor_snapshots d ON d.id = i.debtor_id
    CROSS JOIN LATERAL (SELECT CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END AS line) n
    CROSS JOIN LATERAL (SELECT CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END AS counterpart) m
    CROSS JOIN LATERAL (SELECT chr(65 + ((i.receivable_id - 1) / 308915776 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 11881376 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 456976 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 17576 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 676 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 26 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) % 26)::int) AS code) l
  UNION ALL
  -- a kept reversal: the counterpart line of a kept collection reversed (line 2n - 1)
  SELECT r.first_id + 2 * (i.id - c.first_item) + 1, r.creditor_id, r.number, 2 * (i.id - c.first_item) + 1, 'reversal',
    c.remittance_id, i.id, NULL, NULL, r.reverses, c.journal, c.journal_label, r.date,
    m.counterpart, COALESCE(c.counterpart_label, 'Compte ' || m.counterpart),
    '', '', '', i.document, r.piece_date,
    CASE r.docs WHEN 0 THEN r.label0 ELSE btrim(r.label0 || i.document || r.label1
      || CASE WHEN r.docs > 1 THEN i.document || r.label2 ELSE '' END || CASE WHEN r.docs > 2 THEN i.document || r.label3 ELSE '' END,
      chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193)
        || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
        || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END,
    0, i.amount, '', '', r.created_on
  FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
    CROSS JOIN LATERAL (SELECT CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END AS counterpart) m
  WHERE c.centralized = 0
  UNION ALL
  -- and its customer line reversed, lettered as the collection's (line 2n, or n + 1 after a centralised line)
  SELECT r.first_id + n.line, r.creditor_id, r.number, n.line, 'reversal',
    c.remittance_id, i.id, i.receivable_id, NULL, r.reverses, c.journal, c.journal_label, r.date,
    CASE c.direct WHEN 1 THEN d.customer ELSE c.account END, CASE c.direct WHEN 1 THEN d.name ELSE c.account_label END,
    CASE c.direct WHEN 1 THEN '' ELSE d.customer END, CASE c.direct WHEN 1 THEN '' ELSE d.name END,
    m.counterpart, i.document, r.piece_date,
    CASE r.docs WHEN 0 THEN r.label0 ELSE btrim(r.label0 || i.document || r.label1
      || CASE WHEN r.docs > 1 THEN i.document || r.label2 ELSE '' END || CASE WHEN r.docs > 2 THEN i.document || r.label3 ELSE '' END,
      chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193)
        || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
        || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)) END,
    i.amount, 0,
    -- the receivable's lettering code in lower case dated the reversal, unless the item stores its lettering
    COALESCE(i.lettering, lower(right(l.code, greatest(3, length(ltrim(l.code, 'A')))))),
    COALESCE(i.lettered_on, r.date), r.created_on
  FROM collection_reversals r JOIN collection_ecritures c ON c.remittance_id = r.remittance_id
    JOIN remittance_items i ON i.remittance_id = c.remittance_id
    JOIN debtor_snapshots d ON d.id = i.debtor_id
    CROSS JOIN LATERAL (SELECT CASE c.centralized WHEN 1 THEN i.id - c.first_item + 2 ELSE 2 * (i.id - c.first_item) + 2 END AS line) n
    CROSS JOIN LATERAL (SELECT CASE c.masked WHEN 1 THEN replace(replace(c.counterpart, 'AA', substr(i.due_date, 3, 2)),
      'MM', substr(i.due_date, 6, 2)) ELSE c.counterpart END AS counterpart) m
    CROSS JOIN LATERAL (SELECT chr(65 + ((i.receivable_id - 1) / 308915776 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 11881376 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 456976 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 17576 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) / 676 % 26)::int) || chr(65 + ((i.receivable_id - 1) / 26 % 26)::int)
      || chr(65 + ((i.receivable_id - 1) % 26)::int) AS code) l;
