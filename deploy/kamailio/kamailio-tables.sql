-- Kamailio's own bookkeeping in the project's database, loaded once before Kamailio starts
-- (`npm run cluster` does): the table-version list its modules check at start, under the name
-- kamailio.cfg gives it (version_table). The tables themselves come with the servers'
-- migrations: kamailio_location (usrloc), the kamailio_subscriber view (auth_db), kamailio_calls.
create table if not exists kamailio_version (
  id serial primary key,
  table_name varchar(32) not null unique,
  table_version integer not null default 0
);
insert into kamailio_version (table_name, table_version)
values ('version', 1), ('kamailio_location', 9), ('kamailio_subscriber', 7)
on conflict (table_name) do update set table_version = excluded.table_version;
