-- remit schema, version 7: when a refusal was first reported, and what to do
-- about it. A run that refuses a pointed receivable for the reasons an
-- earlier run gave keeps refused_at: its refusal is already reported, and
-- `remit run` does not fail on it every night (see README, "The nightly
-- job"). Both columns mean something only while refusal is not empty.

ALTER TABLE receivables ADD COLUMN refused_at TEXT NOT NULL DEFAULT '';    -- YYYY-MM-DDTHH:MM:SS, the run that first gave this refusal
ALTER TABLE receivables ADD COLUMN refusal_todo TEXT NOT NULL DEFAULT '';  -- later, correct or unpoint (remit.Todo)
