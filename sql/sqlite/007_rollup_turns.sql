-- Every write that takes a project's turn (storage::RollupStore::takeTurn) counts it on the project's
-- roll-up row, so that taking the turn always changes that row (see the MySQL migration of the same
-- number: it matters on Galera; SQLite keeps the same schema and statements).
ALTER TABLE project_rollups ADD COLUMN turns BIGINT NOT NULL DEFAULT 0;
