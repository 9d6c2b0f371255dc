-- Every write that takes a project's turn (storage::RollupStore::takeTurn) counts it on the project's
-- roll-up row, so that taking the turn always changes that row. On Galera that puts the row in every
-- such write set, and two nodes' writers of one project are certified against each other even when the
-- roll-up values they compute are the ones already stored; the refresh can then write over the row in
-- place (one statement) instead of deleting and inserting it (two).
ALTER TABLE project_rollups ADD COLUMN turns BIGINT NOT NULL DEFAULT 0;
