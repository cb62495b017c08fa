-- remit schema, version 6: a slip records how many copies it holds, so that
-- `remit regenerate` prints it again byte for byte (its dates come from the
-- remittance, never from the clock).
ALTER TABLE remittance_files ADD COLUMN copies INTEGER NOT NULL DEFAULT 1; -- bordereau: 1 to 9; 0: printed by an older remit with its print time, which nothing kept

UPDATE remittance_files SET copies = 0 WHERE format = 'bordereau';
