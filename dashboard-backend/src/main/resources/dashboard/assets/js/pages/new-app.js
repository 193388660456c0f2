// Create an app in one of the reader's tenants, with its first key, as Pusher does.

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { field, formAlert, onSubmit, select, text } from '../ui/forms.js';

export default async function newAppPage({ query, navigate }) {
  const account = await session.refreshAccount();
  const tenants = account.tenants.filter((tenant) => session.can(tenant.role, 'developer'))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const title = 'Create an app';
  if (tenants.length === 0) {
    return {
      title,
      node: h('div', { class: 'stack' },
        h('h1', {}, title),
        h('p', {}, 'Creating apps needs the developer role or above in a tenant; you are a viewer everywhere. '
          + 'Ask an admin of your tenant.'),
        h('p', {}, h('a', { href: href('/apps') }, 'Back to your apps'))),
    };
  }
  const wanted = Number(query.get('tenant'));
  const tenantField = tenants.length > 1
    ? select({
      label: 'Tenant',
      name: 'tenantId',
      options: tenants.map((tenant) => ({ value: tenant.id, label: `${tenant.name} (${tenant.role})` })),
      value: tenants.some((tenant) => tenant.id === wanted) ? wanted : tenants[0].id,
      hint: 'Who the app belongs to. Its members see and manage it, with their role in the tenant.',
    })
    : h('input', { type: 'hidden', name: 'tenantId', value: tenants[0].id });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-app-title' },
    formAlert(),
    field({ label: 'Name', name: 'name', maxlength: '100', autocomplete: 'off', hint: 'For you and your team, such as "Chat (production)". You can rename it later.' }),
    tenantField,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create app'),
      h('a', { class: 'btn', href: href('/apps') }, 'Cancel')));
  onSubmit(form, async () => {
    const tenantId = Number(form.elements.namedItem('tenantId').value);
    const { data: app } = await api.request('POST', `/api/v1/tenants/${tenantId}/apps`, { body: { name: text(form, 'name') } });
    try {
      await api.post(`/api/v1/apps/${app.id}/keys`, {});
      flash.set('app', { kind: 'success', text: `${app.name} is ready. Connect a client with the code below, then publish from your server.` });
    } catch (error) {
      flash.set('app', { kind: 'error', text: `The app was created, but its first key was not: ${error.message} Create one on the Keys tab.` });
    }
    await navigate(`/apps/${app.id}`);
  });
  return {
    title,
    focus: form.elements.namedItem('name'),
    node: h('div', {},
      h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
        h('ol', {}, h('li', {}, h('a', { href: href('/apps') }, 'Apps')), h('li', { 'aria-current': 'page' }, 'New app'))),
      h('div', { class: 'page-header' }, h('h1', { id: 'new-app-title' }, title)),
      tenants.length === 1 ? h('p', { class: 'page-meta' }, h('span', {}, `In tenant ${tenants[0].name}`)) : null,
      form),
  };
}
