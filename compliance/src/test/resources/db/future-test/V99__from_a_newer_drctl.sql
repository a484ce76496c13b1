-- Stands for a migration only a newer drctl knows; tests apply it to prove older binaries refuse the store.
CREATE TABLE newer_feature (id INTEGER NOT NULL PRIMARY KEY);
