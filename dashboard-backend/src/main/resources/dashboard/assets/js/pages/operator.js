// The operator's page: plans (the ceilings of every app of the tenants on them), which tenant is on
// which plan, and who else runs this Vask. Only operators see it; the API refuses everyone else too.

import * as api from '../api.js';
import * as session from '../session.js';
import { announce, focus, h } from '../dom.js';
import { confirmAction } from '../ui/dialog.js';
import { busy, field, formAlert, onSubmit, problemText, text, wholeNumber } from '../ui/forms.js';

const CEILINGS = [
  { name: 'maxConnections', label: 'Connections per app', hint: 'Empty: no ceiling.' },
  { name: 'maxMessageBytes', label: 'Message size (bytes)', hint: '1 to 1048576.' },
  { name: 'maxMessagesPerDay', label: 'Messages per app per day', hint: 'Empty: no ceiling.' },
  { name: 'clientEventsPerSecond', label: 'Client events per second', hint: '1 to 1000, per connection.' },
  { name: 'maxApps', label: 'Apps per tenant', hint: 'Empty: no ceiling.' },
];

function show(value) {
  return value === null || value === undefined ? '—' : value.toLocaleString('en');
}

function plansCard(plans, reload) {
  let editing = null;
  const title = h('h3', { id: 'plan-form-title' }, 'New plan');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create plan');
  const cancel = h('button', { type: 'button', class: 'btn', hidden: true }, 'Cancel');
  const form = h('form', { class: 'card', 'aria-labelledby': 'plan-form-title' },
    title,
    formAlert(),
    field({ label: 'Plan name', name: 'name', maxlength: '100', autocomplete: 'off' }),
    h('div', { class: 'grid-fields' }, CEILINGS.map((ceiling) => field({ label: ceiling.label, name: ceiling.name, type: 'number',
      inputmode: 'numeric', hint: ceiling.hint }))),
    h('div', { class: 'actions' }, submit, cancel));
  const edit = (plan) => {
    editing = plan;
    title.textContent = `Change plan ${plan.name}`;
    submit.textContent = 'Save plan';
    cancel.hidden = false;
    form.elements.namedItem('name').value = plan.name;
    for (const ceiling of CEILINGS) {
      form.elements.namedItem(ceiling.name).value = plan[ceiling.name] ?? '';
    }
    focus(form.elements.namedItem('name'));
  };
  cancel.addEventListener('click', () => reload());
  onSubmit(form, async () => {
    const body = { name: text(form, 'name') };
    for (const ceiling of CEILINGS) {
      body[ceiling.name] = wholeNumber(form, ceiling.name);
    }
    if (editing) {
      await api.put(`/api/v1/operator/plans/${editing.id}`, body);
    } else {
      await api.post('/api/v1/operator/plans', body);
    }
    await reload();
    announce(`Plan ${body.name} saved`);
  });
  const remove = async (plan) => {
    const removed = await confirmAction({
      title: `Delete plan ${plan.name}?`,
      message: h('p', {}, 'Only a plan no tenant is on can be deleted.'),
      confirmLabel: 'Delete plan',
      action: async () => {
        await api.remove(`/api/v1/operator/plans/${plan.id}`);
        return true;
      },
    });
    if (removed) {
      await reload();
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'plans-title' },
    h('h2', { id: 'plans-title' }, 'Plans'),
    h('p', { class: 'card-intro' }, 'A plan caps the limits of every app of the tenants on it: what each node enforces is the lower of the app\'s '
      + 'own limit and the ceiling, and tenant admins cannot set a limit above it. The default plan comes from the configuration '
      + '(VASK_PLAN_*); tenants with no plan are on it.'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table-stack' },
        h('caption', { class: 'visually-hidden' }, 'Plans'),
        h('thead', {}, h('tr', {}, ['Name', ...CEILINGS.map((ceiling) => ceiling.label)].map((label) => h('th', { scope: 'col' }, label)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, plans.map((plan) => h('tr', { dataset: { plan: plan.id === null ? 'default' : String(plan.id) } },
          h('td', { 'data-label': 'Name' }, plan.name),
          CEILINGS.map((ceiling) => h('td', { 'data-label': ceiling.label }, show(plan[ceiling.name]))),
          h('td', { class: 'cell-actions', 'data-label': 'Actions' }, plan.id === null ? h('span', { class: 'hint' }, 'From the configuration') : [
            h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Change plan ${plan.name}`, onclick: () => edit(plan) }, 'Change'), ' ',
            h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Delete plan ${plan.name}`,
              onclick: () => remove(plan) }, 'Delete')])))))),
    form);
}

function tenantsCard(tenants, plans) {
  const rows = tenants.map((tenant) => {
    const status = h('span', { class: 'status', 'aria-live': 'polite' });
    const choice = h('select', { 'aria-label': `Plan of ${tenant.name}` },
      plans.map((plan) => h('option', { value: plan.id === null ? '' : String(plan.id), selected: (plan.id ?? null) === (tenant.planId ?? null) }, plan.name)));
    choice.addEventListener('change', async () => {
      busy(choice, true);
      status.textContent = '';
      try {
        const plan = await api.put(`/api/v1/operator/tenants/${tenant.id}/plan`, { planId: choice.value === '' ? null : Number(choice.value) });
        status.className = 'status status-success';
        status.textContent = `Now on ${plan.name}.`;
        announce(`${tenant.name} is now on plan ${plan.name}`);
      } catch (error) {
        status.className = 'status status-error';
        status.textContent = problemText(error);
      } finally {
        busy(choice, false);
      }
    });
    return h('tr', { dataset: { tenant: String(tenant.id) } },
      h('td', { 'data-label': 'Tenant' }, `${tenant.name} (${tenant.id})`),
      h('td', { 'data-label': 'Owners' }, tenant.owners.join(', ')),
      h('td', { 'data-label': 'Apps' }, String(tenant.apps)),
      h('td', { 'data-label': 'Plan' }, choice, ' ', status));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'tenants-title' },
    h('h2', { id: 'tenants-title' }, 'Tenants'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table-stack' },
        h('caption', { class: 'visually-hidden' }, 'Every tenant and its plan'),
        h('thead', {}, h('tr', {}, ['Tenant', 'Owners', 'Apps', 'Plan'].map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, rows))));
}

function operatorsCard(operators, reload) {
  const form = h('form', { class: 'create-key', 'aria-label': 'Make someone an operator' },
    formAlert(),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'off', spellcheck: 'false',
      hint: 'An account whose address is verified.' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Make operator'));
  onSubmit(form, async () => {
    await api.post('/api/v1/operator/operators', { email: text(form, 'email') });
    await reload();
  });
  const revoke = async (operator) => {
    const done = await confirmAction({
      title: `Take the operator role from ${operator.email}?`,
      message: h('p', {}, 'They keep their account and tenants.'),
      confirmLabel: 'Take the role away',
      action: async () => {
        await api.remove(`/api/v1/operator/operators/${operator.accountId}`);
        return true;
      },
    });
    if (done) {
      await session.refreshAccount();
      await reload();
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'operators-title' },
    h('h2', { id: 'operators-title' }, 'Operators'),
    h('ul', {}, operators.map((operator) => h('li', { dataset: { operator: String(operator.accountId) } },
      operator.email, ' ',
      operators.length > 1 ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline',
        'aria-label': `Take the operator role from ${operator.email}`, onclick: () => revoke(operator) }, 'Remove') : null))),
    form);
}

export default async function operatorPage({ reload }) {
  const account = await session.refreshAccount();
  if (!account.operator) {
    return {
      title: 'Operator',
      node: h('div', { class: 'stack' }, h('h1', {}, 'Operator'),
        h('p', {}, 'Only the operators of this Vask manage plans. The first-start admin is one, and can make others operators.')),
    };
  }
  const [plans, tenants, operators] = await Promise.all([
    api.get('/api/v1/operator/plans'), api.get('/api/v1/operator/tenants'), api.get('/api/v1/operator/operators')]);
  return {
    title: 'Operator',
    node: h('div', { class: 'stack' },
      h('div', { class: 'page-header' }, h('h1', {}, 'Operator')),
      plansCard(plans, reload),
      tenantsCard(tenants, plans),
      operatorsCard(operators, reload)),
  };
}
