CREATE TABLE user_groups (pool_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (pool_id, name));
CREATE TABLE group_members (pool_id TEXT NOT NULL, group_name TEXT NOT NULL, user_key TEXT NOT NULL,
  PRIMARY KEY (pool_id, group_name, user_key));
CREATE INDEX group_members_user ON group_members (pool_id, user_key);
