-- remit schema, version 14, for PostgreSQL: SQLite's migration 0014 (a row
-- per mandate with its collection summary, what a direct-debit run reads
-- of its history), filled from the items as refreshCollections computes it.
CREATE TABLE mandate_collections (
  mandate_id     bigint PRIMARY KEY REFERENCES mandates(id),
  last_on        text COLLATE "C" NOT NULL,    -- its latest counted collection, '' for none
  last_iban      text COLLATE "C" NOT NULL,    -- the account that collection debited
  first_on       text COLLATE "C" NOT NULL,    -- its latest FRST still at the bank (remitted), '' for none
  rejected_first integer NOT NULL              -- 1: it has a FRST rejected before settlement
);
CREATE INDEX mandate_collections_rejected ON mandate_collections(mandate_id) WHERE rejected_first = 1;

INSERT INTO mandate_collections (mandate_id, last_on, last_iban, first_on, rejected_first)
SELECT p.mandate_id, COALESCE(substr(x.k, 1, 10), ''), COALESCE(substr(x.k, 11), ''), COALESCE(x.frst, ''),
	CASE WHEN EXISTS (SELECT 1 FROM remittance_items f WHERE f.mandate_id = p.mandate_id AND f.status = 'rejected'
		AND f.sequence_type = 'FRST') THEN 1 ELSE 0 END
FROM (SELECT DISTINCT mandate_id FROM remittance_items WHERE mandate_id IS NOT NULL) p
LEFT JOIN LATERAL (SELECT max(i.collection_date || i.iban) AS k,
		max(CASE WHEN i.sequence_type = 'FRST' AND i.status = 'remitted' THEN i.collection_date ELSE '' END) AS frst
	FROM remittance_lines i WHERE i.mandate_id = p.mandate_id
		AND i.status IN ('remitted', 'returned') AND NOT (i.sequence_type = 'RCUR' AND EXISTS (
			SELECT 1 FROM remittance_items f WHERE f.mandate_id = i.mandate_id AND f.status = 'rejected' AND f.sequence_type = 'FRST'
				AND f.collection_date < i.collection_date
				AND NOT EXISTS (SELECT 1 FROM remittance_items a WHERE a.mandate_id = f.mandate_id AND a.status IN ('remitted', 'returned')
					AND a.sequence_type = 'FRST' AND a.collection_date > f.collection_date)))) x ON true;
