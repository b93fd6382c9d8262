-- Runs once, when the postgres container initialises an empty data directory
-- (mounted into /docker-entrypoint-initdb.d/). One database per service: no service
-- reads another's tables. Each service's `chancery migrate <name>` creates the tables.
CREATE DATABASE visits;
CREATE DATABASE trips;
CREATE DATABASE contracts;
CREATE DATABASE outreach;
CREATE DATABASE notifications;
CREATE DATABASE console; -- the staff console's sessions only (decision 0090)
