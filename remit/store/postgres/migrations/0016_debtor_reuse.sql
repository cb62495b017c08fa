-- remit schema, version 16, for PostgreSQL: SQLite's migration 0016 (a
-- direct-debit run takes a debtor's latest snapshot again when nothing in
-- it changed): the mandate's summary row names its latest snapshot, and
-- the remittances made before keep the longest customer code their slips
-- printed (the range of their debtors' ids); NULL for the later ones.
ALTER TABLE mandate_collections ADD COLUMN debtor_id bigint;
UPDATE mandate_collections s SET debtor_id = x.d
  FROM (SELECT mandate_id, max(debtor_id) AS d FROM remittance_items WHERE mandate_id IS NOT NULL GROUP BY mandate_id) x
  WHERE x.mandate_id = s.mandate_id;

ALTER TABLE remittances ADD COLUMN longest_customer text COLLATE "C";
UPDATE remittances r SET longest_customer = COALESCE((SELECT d.customer FROM debtor_snapshots d WHERE d.id BETWEEN x.lo AND x.hi
    ORDER BY length(d.customer) DESC, d.customer LIMIT 1), '')
  FROM (SELECT remittance_id, min(debtor_id) AS lo, max(debtor_id) AS hi FROM remittance_items GROUP BY remittance_id) x
  WHERE x.remittance_id = r.id;
