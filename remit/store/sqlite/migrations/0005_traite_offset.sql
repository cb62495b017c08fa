-- remit schema, version 5: where a creditor's printer puts the traites. The
-- alignment page (remit traites --alignment --offset-x … --offset-y …) finds
-- the offset that puts the values into the boxes of the pre-printed forms;
-- remit keeps it for the creditor and applies it to every traite printed.

ALTER TABLE creditors ADD COLUMN traite_offset_x INTEGER NOT NULL DEFAULT 0;  -- tenths of a millimetre, positive to the right
ALTER TABLE creditors ADD COLUMN traite_offset_y INTEGER NOT NULL DEFAULT 0;  -- tenths of a millimetre, positive downwards
