-- remit schema, version 13: the index of a mandate's items holds their
-- collection dates, sequence types and debtor snapshots, so that a run
-- finds each mandate's latest counted collection (and its first still
-- pending) in the index, without reading every earlier item of the mandate
-- and its snapshot: with a year of monthly remittances a run read twelve
-- items and twelve snapshots a mandate (issue 22, target 4).
DROP INDEX remittance_items_mandate;
CREATE INDEX remittance_items_mandate ON remittance_items(mandate_id, status, collection_date, sequence_type, debtor_id);
