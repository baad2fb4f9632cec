-- API Gateway REST APIs, each kept whole as one document (resources,
-- methods, authorizers, deployments, stages) so that an invocation reads
-- one row. Listed by id.
CREATE TABLE rest_apis (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
