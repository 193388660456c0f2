-- Web Push with rotating VAPID keys. An app has at most one VAPID key pair: rotating deletes the old
-- pair (its private key is gone, not flagged) and, by cascade, every push subscription made with it.

-- Old keys are destroyed, never kept: drop any retired pair and the column that allowed them.
delete from vapid_keys where retired_at is not null;
drop index vapid_keys_one_current_per_app;
alter table vapid_keys drop constraint vapid_keys_retired_after_created;
alter table vapid_keys drop column retired_at;
create unique index vapid_keys_one_per_app on vapid_keys (app_id);

-- Per-app Web Push settings: how often the key rotates, and the JWT "sub" contact (mailto: or https:).
alter table apps add column vapid_rotation_period interval not null default interval '30 days';
alter table apps add column vapid_subject text;
-- server-to-user events fall back to Web Push for a user with no open connection
alter table apps add column push_fallback_enabled boolean not null default false;
alter table apps add constraint apps_vapid_rotation_period
    check (vapid_rotation_period between interval '1 hour' and interval '3650 days');
alter table apps add constraint apps_vapid_subject_format
    check (vapid_subject is null or (length(vapid_subject) <= 255 and vapid_subject ~ '^(mailto:|https://)'));

-- A browser's PushSubscription, bound to the key it was made with: deleting the key deletes it.
-- p256dh is the 65-byte uncompressed P-256 point, auth the 16-byte secret, both raw bytes.
create table push_subscriptions (
    id                    bigint generated always as identity primary key,
    app_id                bigint      not null references apps (id) on delete cascade,
    user_id               text        not null,
    endpoint              text        not null,
    p256dh                bytea       not null,
    auth                  bytea       not null,
    vapid_key_id          bigint      not null references vapid_keys (id) on delete cascade,
    expiration_time       timestamptz,
    created_at            timestamptz not null default now(),
    last_success_at       timestamptz,
    consecutive_failures  integer     not null default 0,
    constraint push_subscriptions_user_id_length check (length(user_id) between 1 and 200),
    constraint push_subscriptions_endpoint_https check (endpoint ~ '^https?://' and length(endpoint) <= 2048),
    constraint push_subscriptions_p256dh_length check (length(p256dh) = 65),
    constraint push_subscriptions_auth_length check (length(auth) = 16),
    constraint push_subscriptions_failures check (consecutive_failures >= 0)
);
create unique index push_subscriptions_endpoint on push_subscriptions (app_id, endpoint);
create index push_subscriptions_user on push_subscriptions (app_id, user_id);
create index push_subscriptions_key on push_subscriptions (vapid_key_id);

-- Push counters beside the other daily usage figures.
alter table app_usage_daily add column pushes_sent bigint not null default 0;
alter table app_usage_daily add column pushes_failed bigint not null default 0;
alter table app_usage_daily add column pushes_gone bigint not null default 0;
alter table app_usage_daily add constraint app_usage_daily_pushes_non_negative
    check (pushes_sent >= 0 and pushes_failed >= 0 and pushes_gone >= 0);

-- A new key reaches every node's cache (and, from there, every open connection of the app) through the
-- same change feed as apps and keys.
create trigger vapid_keys_notify_change
    after insert or update or delete on vapid_keys
    for each row execute function vask_notify_app_change();
