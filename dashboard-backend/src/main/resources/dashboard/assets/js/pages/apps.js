// The apps of every tenant the reader belongs to, grouped by tenant.

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { time } from '../format.js';
import { href } from '../router.js';

export function roleBadge(role) {
  return h('span', { class: 'badge', title: 'Your role in this tenant' }, role);
}

function appCard(app) {
  return h('li', { class: 'app-card' },
    h('a', { href: href(`/apps/${app.id}`) }, app.name),
    h('p', { class: 'app-card-meta' },
      h('span', {}, 'App id ', h('code', {}, String(app.id))),
      app.enabled ? null : h('span', { class: 'badge badge-warning' }, 'Disabled'),
      h('span', {}, 'Created ', time(app.createdAt, { withTime: false }))));
}

export default async function appsPage() {
  const [account, apps] = await Promise.all([session.refreshAccount(), api.get('/api/v1/apps')]);
  const tenants = [...account.tenants].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const canCreate = tenants.some((tenant) => session.can(tenant.role, 'developer'));
  const notice = flash.take('apps');

  const header = h('div', { class: 'page-header' },
    h('h1', {}, 'Apps'),
    canCreate ? h('a', { class: 'btn btn-primary', href: href('/apps/new') }, 'Create app') : null);

  let body;
  if (tenants.length === 0) {
    body = h('div', { class: 'empty' },
      h('h2', {}, 'You are not a member of any tenant'),
      h('p', {}, 'Apps belong to tenants. Ask an admin of your team\'s tenant to add you.'));
  } else if (apps.length === 0 && tenants.length === 1) {
    body = h('div', { class: 'empty' },
      h('h2', {}, 'No apps yet'),
      h('p', {}, 'An app has its own id, keys, settings and limits. Your clients connect to it with pusher-js, and your '
        + 'servers publish to it with any official Pusher server library.'),
      canCreate
        ? h('a', { class: 'btn btn-primary', href: href('/apps/new') }, 'Create your first app')
        : h('p', {}, 'Viewers cannot create apps; ask a developer or an admin of this tenant.'));
  } else {
    body = h('div', {}, tenants.map((tenant) => {
      const own = apps.filter((app) => app.tenantId === tenant.id);
      const headingId = `tenant-${tenant.id}`;
      return h('section', { class: 'tenant', 'aria-labelledby': headingId },
        h('div', { class: 'tenant-heading' }, h('h2', { id: headingId }, tenant.name), roleBadge(tenant.role)),
        own.length
          ? h('ul', { class: 'app-list' }, own.map(appCard))
          : h('p', { class: 'hint' }, 'No apps in this tenant yet. ',
            session.can(tenant.role, 'developer') ? h('a', { href: href(`/apps/new?tenant=${tenant.id}`) }, 'Create one') : null));
    }));
  }
  return {
    title: 'Apps',
    node: h('div', {},
      header,
      notice ? h('div', { class: `alert alert-${notice.kind}`, role: 'status' }, h('p', {}, notice.text)) : null,
      body),
  };
}
