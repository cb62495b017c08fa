-- remit schema, version 17: no index of the items begins with the mandate.
-- A run's items landed all over remittance_items_mandate, a page write
-- each once it outgrew the cache, so that a run's cost grew with the
-- history (issue 22, target 4). Since version 14 a run reads a mandate's
-- collection summary, not its items; what still looks for a mandate's
-- items (computing its summary again after a reject, a return or a cancel)
-- finds them through each direct-debit remittance, whose keys follow the
-- order the items are written in.
DROP INDEX remittance_items_mandate;
CREATE INDEX remittance_items_remittance_mandate ON remittance_items(remittance_id, mandate_id) WHERE mandate_id IS NOT NULL;
