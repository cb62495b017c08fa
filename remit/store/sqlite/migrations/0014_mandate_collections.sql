-- remit schema, version 14: a row per mandate with its collection summary,
-- what a direct-debit run needs of its history (the sequence type, the
-- amendments, the expiry): the date of its latest counted collection and
-- the IBAN it debited, the date of its latest FRST still at the bank, and
-- whether it has a FRST rejected before settlement (then the run and every
-- change of an item's status compute its row again from its items: the
-- rule of countedCollection). A run reads one row a mandate, however long
-- its history (issue 22, target 4).
CREATE TABLE mandate_collections (
  mandate_id     INTEGER PRIMARY KEY REFERENCES mandates(id),
  last_on        TEXT NOT NULL,    -- its latest counted collection, '' for none
  last_iban      TEXT NOT NULL,    -- the account that collection debited
  first_on       TEXT NOT NULL,    -- its latest FRST still at the bank (remitted), '' for none
  rejected_first INTEGER NOT NULL  -- 1: it has a FRST rejected before settlement
);
CREATE INDEX mandate_collections_rejected ON mandate_collections(mandate_id) WHERE rejected_first = 1;

-- Filled from the items: the query of refreshCollections (mandates.go) for
-- every mandate with items.
INSERT INTO mandate_collections (mandate_id, last_on, last_iban, first_on, rejected_first)
SELECT b.mandate_id, COALESCE(b.d, ''),
	COALESCE((SELECT max(d.iban) FROM remittance_items j JOIN debtor_snapshots d ON d.id = j.debtor_id
		WHERE j.mandate_id = b.mandate_id AND j.collection_date = b.d
			AND j.status IN ('remitted', 'returned') AND NOT (j.sequence_type = 'RCUR' AND EXISTS (
				SELECT 1 FROM remittance_items f WHERE f.mandate_id = j.mandate_id AND f.status = 'rejected' AND f.sequence_type = 'FRST'
					AND f.collection_date < j.collection_date
					AND NOT EXISTS (SELECT 1 FROM remittance_items a WHERE a.mandate_id = f.mandate_id AND a.status IN ('remitted', 'returned')
						AND a.sequence_type = 'FRST' AND a.collection_date > f.collection_date)))), ''),
	COALESCE(b.frst, ''), b.rf
FROM (SELECT p.mandate_id, p.rf,
		CASE WHEN p.rf THEN (SELECT max(i.collection_date) FROM remittance_items i WHERE i.mandate_id = p.mandate_id
				AND i.status IN ('remitted', 'returned') AND NOT (i.sequence_type = 'RCUR' AND EXISTS (
					SELECT 1 FROM remittance_items f WHERE f.mandate_id = i.mandate_id AND f.status = 'rejected' AND f.sequence_type = 'FRST'
						AND f.collection_date < i.collection_date
						AND NOT EXISTS (SELECT 1 FROM remittance_items a WHERE a.mandate_id = f.mandate_id AND a.status IN ('remitted', 'returned')
							AND a.sequence_type = 'FRST' AND a.collection_date > f.collection_date))))
			ELSE (SELECT max(d) FROM (
				SELECT max(i.collection_date) AS d FROM remittance_items i WHERE i.mandate_id = p.mandate_id AND i.status = 'remitted'
				UNION ALL
				SELECT max(i.collection_date) FROM remittance_items i WHERE i.mandate_id = p.mandate_id AND i.status = 'returned'))
		END AS d,
		(SELECT max(i.collection_date) FROM remittance_items i WHERE i.mandate_id = p.mandate_id AND i.status = 'remitted'
			AND i.sequence_type = 'FRST') AS frst
	FROM (SELECT m.mandate_id, EXISTS (SELECT 1 FROM remittance_items f WHERE f.mandate_id = m.mandate_id AND f.status = 'rejected'
			AND f.sequence_type = 'FRST') AS rf
		FROM (SELECT DISTINCT mandate_id FROM remittance_items WHERE mandate_id IS NOT NULL) m) p) b;
