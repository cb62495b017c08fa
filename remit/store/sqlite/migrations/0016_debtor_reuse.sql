-- remit schema, version 16: a direct-debit run takes a debtor's latest
-- snapshot again when nothing in it changed, instead of writing one per
-- debtor and run (issue 22). The mandate's summary row names its latest
-- snapshot; a remittance's slip can no longer find its debtors by the range
-- of their ids, so the remittances before keep what their slips printed.

-- The latest snapshot of the mandate (the greatest its items name); NULL:
-- none known, the next run writes one. The run compares it with the
-- customer and the mandate as they are before it takes it.
ALTER TABLE mandate_collections ADD COLUMN debtor_id INTEGER;
UPDATE mandate_collections SET debtor_id = x.d
  FROM (SELECT mandate_id, max(debtor_id) AS d FROM remittance_items WHERE mandate_id IS NOT NULL GROUP BY mandate_id) x
  WHERE x.mandate_id = mandate_collections.mandate_id;

-- The longest customer code its slip sizes its Client column by, for the
-- remittances made before this version: their runs wrote their debtors'
-- snapshots with consecutive ids, and the slip took the longest of those
-- between the least and the greatest its items name. NULL: the longest of
-- its items' own debtors.
ALTER TABLE remittances ADD COLUMN longest_customer TEXT;
UPDATE remittances SET longest_customer = COALESCE((SELECT d.customer FROM debtor_snapshots d WHERE d.id BETWEEN x.lo AND x.hi
    ORDER BY length(d.customer) DESC, d.customer LIMIT 1), '')
  FROM (SELECT remittance_id, min(debtor_id) AS lo, max(debtor_id) AS hi FROM remittance_items GROUP BY remittance_id) x
  WHERE x.remittance_id = remittances.id;
