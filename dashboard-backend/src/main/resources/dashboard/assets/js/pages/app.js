// One app: a header (name, status, id, tenant) and three tabs as addresses of their own:
// /apps/:id (getting started), /apps/:id/keys and /apps/:id/settings.

import * as api from '../api.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { NotFound } from './not-found.js';
import connectSection from './app-connect.js';
import keysSection from './app-keys.js';
import settingsSection from './app-settings.js';

const TABS = [
  { id: 'connect', label: 'Getting started', path: '' },
  { id: 'keys', label: 'Keys', path: '/keys' },
  { id: 'settings', label: 'Settings', path: '/settings' },
];

const SECTIONS = { connect: connectSection, keys: keysSection, settings: settingsSection };

export function notFoundMessage(id) {
  return `There is no app ${id}, or it belongs to a tenant you are not a member of.`;
}

export default async function appPage(context) {
  const id = context.params.appId;
  if (!/^\d{1,18}$/.test(id)) {
    throw new NotFound(notFoundMessage(id));
  }
  let loaded;
  try {
    loaded = await Promise.all([api.request('GET', `/api/v1/apps/${id}`), api.get(`/api/v1/apps/${id}/keys`)]);
  } catch (error) {
    if (error.status === 404) {
      throw new NotFound(notFoundMessage(id));
    }
    throw error;
  }
  const [{ data: app, etag }, keys] = loaded;
  let tenant = session.tenant(app.tenantId);
  if (!tenant) {
    await session.refreshAccount();
    tenant = session.tenant(app.tenantId);
  }

  const title = h('span', {}, app.name);
  const crumb = h('li', { 'aria-current': 'page' }, app.name);
  const status = h('span', {});
  const state = {
    app,
    etag,
    keys,
    tenant,
    role: tenant?.role ?? 'viewer',
    /** Shows a changed app in the header (after a rename, enable or disable). */
    setApp(next, nextEtag) {
      state.app = next;
      state.etag = nextEtag ?? state.etag;
      title.textContent = next.name;
      crumb.textContent = next.name;
      status.replaceChildren(next.enabled ? h('span', { class: 'badge badge-success' }, 'Enabled')
        : h('span', { class: 'badge badge-warning' }, 'Disabled'));
      document.title = `${next.name} · Vask`;
    },
  };
  state.setApp(app, etag);

  const tab = context.route.tab;
  const section = await SECTIONS[tab](context, state);
  const multiTenant = (session.account()?.tenants.length ?? 0) > 1;
  return {
    title: app.name,
    node: h('div', {},
      h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
        h('ol', {},
          h('li', {}, h('a', { href: href('/apps') }, 'Apps')),
          multiTenant && tenant ? h('li', {}, tenant.name) : null,
          crumb)),
      h('div', { class: 'page-header' },
        h('div', {},
          h('h1', {}, title, status),
          h('p', { class: 'page-meta' },
            h('span', {}, 'App id ', h('code', {}, String(app.id))),
            tenant ? h('span', {}, `Tenant ${tenant.name}`) : null,
            h('span', {}, `Your role: ${state.role}`)))),
      h('nav', { 'aria-label': 'App sections' },
        h('div', { class: 'tabs' }, TABS.map((item) => h('a', {
          href: href(`/apps/${app.id}${item.path}`),
          'aria-current': item.id === tab ? 'page' : null,
          'data-keep-focus': '',
        }, item.label)))),
      section),
  };
}
