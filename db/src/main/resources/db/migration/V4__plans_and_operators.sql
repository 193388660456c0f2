-- Vask plans and operators: ceilings the operator sets per tenant, the operator role, and who
-- created each tenant and app (accounts may create only so many).

-- Operators run the platform: they manage plans, give tenants a plan and grant the role to others.
alter table accounts add column operator boolean not null default false;
-- The first-start admin (the first account) is the first operator, as a fresh first start makes it.
update accounts set operator = true where id = (select min(id) from accounts);

-- A plan: the ceilings of every app of the tenants on it. Null means no ceiling. Tenants with no
-- plan get the default plan of the configuration (vask.plans.default.*), which is not stored here.
create table plans (
    id                        bigint generated always as identity primary key,
    name                      text        not null,
    max_connections           integer,
    max_message_bytes         integer     not null,
    max_messages_per_day      bigint,
    max_apps                  integer,
    client_events_per_second  integer     not null,
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now(),
    constraint plans_name_length check (length(btrim(name)) between 1 and 100),
    constraint plans_max_connections check (max_connections is null or max_connections between 0 and 10000000),
    constraint plans_max_message_bytes check (max_message_bytes between 1 and 1048576),
    constraint plans_max_messages_per_day check (max_messages_per_day is null or max_messages_per_day >= 0),
    constraint plans_max_apps check (max_apps is null or max_apps >= 0),
    constraint plans_client_events_per_second check (client_events_per_second between 1 and 1000)
);
create unique index plans_name_unique on plans (lower(name));

alter table tenants add column plan_id bigint references plans (id) on delete restrict;
create index tenants_plan on tenants (plan_id);

-- Who created a tenant or an app, for the per-account caps. Null for rows older than this column
-- and for rows whose creator was deleted.
alter table tenants add column created_by bigint references accounts (id) on delete set null;
create index tenants_created_by on tenants (created_by);
alter table apps add column created_by bigint references accounts (id) on delete set null;
create index apps_created_by on apps (created_by);

-- A plan's ceilings bound what every node applies to the apps of its tenants. A change of a plan,
-- or of a tenant's plan, announces each affected app on vask_app_changes, as a change of the app does.
create function vask_notify_plan_change() returns trigger
    language plpgsql as
$$
declare
    changed_app bigint;
begin
    if tg_table_name = 'plans' then
        for changed_app in select a.id from apps a join tenants t on t.id = a.tenant_id where t.plan_id = new.id loop
            perform pg_notify('vask_app_changes', changed_app::text);
        end loop;
    elsif new.plan_id is distinct from old.plan_id then
        for changed_app in select a.id from apps a where a.tenant_id = new.id loop
            perform pg_notify('vask_app_changes', changed_app::text);
        end loop;
    end if;
    return null;
end;
$$;

create trigger plans_notify_change
    after update on plans
    for each row execute function vask_notify_plan_change();

create trigger tenants_notify_plan_change
    after update of plan_id on tenants
    for each row execute function vask_notify_plan_change();
