// An app's settings: toggles (saved as soon as they are switched), Web Push (its key, rotation period and
// subject, "rotate now"), limits (admins and owners), name, enable or disable, delete. Each change is a PATCH of
// the fields it touches.

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { announce, h, uid } from '../dom.js';
import { time } from '../format.js';
import { copyButton } from '../ui/copy.js';
import { confirmAction } from '../ui/dialog.js';
import { busy, field, formAlert, onSubmit, optionalText, problemText, text, wholeNumber } from '../ui/forms.js';

const FEATURES = [
  {
    name: 'clientEvents',
    label: 'Client events',
    hint: 'Clients may send client- events to the other subscribers of private and presence channels, without going through your server.',
  },
  {
    name: 'userAuthenticationRequired',
    label: 'User authentication required',
    hint: 'A socket must sign in (pusher.signin()), or subscribe to a private or presence channel, within 30 seconds of connecting; otherwise it is closed (4009).',
  },
  {
    name: 'watchlistEvents',
    label: 'Watchlist events',
    hint: 'Signed-in users get online and offline events for the users on their watchlist.',
  },
  {
    name: 'subscriptionCount',
    label: 'Subscription counting',
    hint: 'Subscribers of public and private channels receive the channel\'s subscriber count (pusher:subscription_count).',
  },
  {
    name: 'webPush',
    label: 'Web Push',
    hint: 'Gives the app a VAPID key for Web Push; its sockets hear the key as vask:vapid. Switching it off deletes the key and every push subscription made with it.',
  },
  {
    name: 'pushFallback',
    label: 'Push fallback',
    hint: 'Server-to-user events reach a user who has no open connection as a Web Push notification (needs Web Push).',
  },
];

const LIMITS = [
  { name: 'maxConnections', label: 'Connections', nullable: true, min: 0, max: 10000000,
    hint: 'Sockets open at once, across all nodes. Empty: up to your plan\'s ceiling.' },
  { name: 'maxMessageBytes', label: 'Message size (bytes)', min: 1, max: 1048576,
    hint: 'The largest event payload, from servers and from clients. At most your plan\'s ceiling.' },
  { name: 'clientEventsPerSecond', label: 'Client events per second', min: 1, max: 1000,
    hint: 'Per connection. At most your plan\'s ceiling.' },
  { name: 'maxPresenceMembers', label: 'Presence members', min: 1, max: 10000,
    hint: 'Members per presence channel. 1 to 10000.' },
  { name: 'maxMessagesPerDay', label: 'Messages per day', nullable: true, min: 0, max: 1000000000000,
    hint: 'Messages the HTTP API accepts per UTC day. Empty: up to your plan\'s ceiling.' },
];

function appPath(state) {
  return `/api/v1/apps/${state.app.id}`;
}

function featureSwitches(state, canChange) {
  const rows = FEATURES.map((feature) => {
    const id = uid(feature.name);
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      id,
      name: `features.${feature.name}`,
      'aria-describedby': `${id}-hint ${id}-status`,
      disabled: !canChange,
    });
    input.checked = state.app.features[feature.name];
    const status = h('p', { class: 'status', id: `${id}-status`, 'aria-live': 'polite' });
    let saving = false;
    // while a change is on its way, further clicks do nothing (the switch keeps its focus meanwhile)
    input.addEventListener('click', (event) => {
      if (saving) {
        event.preventDefault();
      }
    });
    input.addEventListener('change', async () => {
      const wanted = input.checked;
      saving = true;
      input.setAttribute('aria-busy', 'true');
      status.className = 'status';
      status.textContent = 'Saving…';
      try {
        const { data, etag } = await api.patch(appPath(state), { features: { [feature.name]: wanted } });
        state.setApp(data, etag);
        input.checked = data.features[feature.name];
        status.className = 'status status-success';
        status.textContent = `Saved: ${feature.label.toLowerCase()} ${input.checked ? 'on' : 'off'}.`;
        if (feature.name === 'webPush') {
          state.webPushChanged?.();
        }
      } catch (error) {
        input.checked = !wanted;
        status.className = 'status status-error';
        status.textContent = `Not saved: ${problemText(error)}`;
      } finally {
        saving = false;
        input.removeAttribute('aria-busy');
      }
    });
    return h('li', { class: 'switch-row' },
      h('div', { class: 'switch-text' },
        h('label', { for: id }, feature.label),
        h('p', { class: 'hint', id: `${id}-hint` }, feature.hint),
        status),
      input);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'features-title' },
    h('h2', { id: 'features-title' }, 'Features'),
    h('p', { class: 'card-intro' }, canChange
      ? 'Changes are saved as you switch them and reach every node within about a second.'
      : 'Viewers can see these settings but not change them.'),
    h('ul', { class: 'switches' }, rows));
}

function vapidPath(state) {
  return `/api/v1/apps/${state.app.id}/vapid`;
}

// Web Push: the current key, when it was made and when the schedule replaces it, the period and the subject
// (developers and above change them), and "Rotate now" behind a confirmation that says what it destroys.
function webPushCard(state, canChange) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'web-push-title', dataset: { section: 'web-push' } });
  const heading = () => h('h2', { id: 'web-push-title' }, 'Web Push key');
  const render = (vapid) => {
    if (!vapid.webPush) {
      card.replaceChildren(heading(), h('p', { class: 'card-intro' },
        'Web Push is off: the app has no VAPID key. Switch Web Push on under Features to give it one.'));
      return;
    }
    const status = h('p', { class: 'status', 'aria-live': 'polite' });
    const form = h('form', { 'aria-labelledby': 'web-push-title' },
      formAlert(),
      h('fieldset', { disabled: !canChange },
        h('legend', { class: 'visually-hidden' }, 'Rotation settings'),
        h('div', { class: 'grid-fields' },
          field({ label: 'Rotation period', name: 'rotationPeriod', value: vapid.rotationPeriod, autocomplete: 'off', spellcheck: 'false',
            hint: 'An ISO-8601 duration from PT1H to P3650D: P30D is 30 days, PT12H 12 hours.' }),
          field({ label: 'Subject', name: 'subject', optional: true, value: vapid.subject ?? '', autocomplete: 'off', spellcheck: 'false',
            hint: 'Where push services can reach you: a mailto: address or an https: URL.' }))));
    if (canChange) {
      form.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save Web Push settings'), status));
    }
    onSubmit(form, async () => {
      status.textContent = '';
      const { data } = await api.patch(vapidPath(state), {
        rotationPeriod: text(form, 'rotationPeriod'),
        subject: optionalText(form, 'subject'),
      });
      render(data);
      const saved = card.querySelector('.actions .status');
      if (saved) {
        saved.className = 'status status-success';
        saved.textContent = 'Web Push settings saved.';
      }
    });
    const rotate = h('button', { type: 'button', class: 'btn btn-danger-outline' }, 'Rotate now…');
    rotate.addEventListener('click', async () => {
      const rotated = await confirmAction({
        title: 'Rotate the Web Push key now?',
        message: h('div', {},
          h('p', {}, 'A new key pair replaces the current one at once. This destroys the current private key and every push '
            + 'subscription made with it: pushes to those browsers stop until they subscribe again with the new key.'),
          h('p', {}, 'Open pages hear the new key as vask:vapid and can subscribe again at once; other browsers do when your '
            + 'page next loads. It cannot be undone.')),
        confirmLabel: 'Rotate key',
        action: () => api.post(`${vapidPath(state)}/rotate`),
      });
      if (rotated) {
        render(rotated);
        announce('Web Push key rotated');
      }
    });
    card.replaceChildren(
      heading(),
      h('p', { class: 'card-intro' }, 'Browsers subscribe with this public key. Vask replaces it on schedule, and at once when you rotate it.'),
      h('dl', { class: 'credentials' },
        h('dt', {}, 'Public key'),
        h('dd', {}, h('code', { dataset: { vapidKey: 'current' } }, vapid.publicKey), copyButton(() => vapid.publicKey, 'public key')),
        h('dt', {}, 'Made'),
        h('dd', {}, time(vapid.createdAt)),
        h('dt', {}, 'Next rotation'),
        h('dd', {}, time(vapid.nextRotationAt))),
      form,
      canChange ? h('div', { class: 'actions' }, rotate) : null);
  };
  const load = async () => {
    try {
      render(await api.get(vapidPath(state)));
    } catch (error) {
      card.replaceChildren(heading(), h('p', { class: 'status status-error' }, `Could not read the Web Push key: ${problemText(error)}`));
    }
  };
  state.webPushChanged = load;
  card.append(heading());
  load();
  return card;
}

function limitsForm(state, canChange) {
  const form = h('form', { 'aria-labelledby': 'limits-title' });
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const fill = () => {
    for (const limit of LIMITS) {
      const value = state.app.limits[limit.name];
      form.elements.namedItem(`limits.${limit.name}`).value = value === null || value === undefined ? '' : String(value);
    }
  };
  const fieldset = h('fieldset', { disabled: !canChange },
    h('legend', { class: 'visually-hidden' }, 'Limits'),
    h('div', { class: 'grid-fields' }, LIMITS.map((limit) => field({
      label: limit.label,
      name: `limits.${limit.name}`,
      type: 'number',
      inputmode: 'numeric',
      step: '1',
      min: String(limit.min),
      max: String(limit.max),
      placeholder: limit.nullable ? 'No limit' : null,
      hint: limit.hint,
    }))));
  form.append(formAlert(), fieldset);
  if (canChange) {
    form.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save limits'), status));
  }
  fill();
  onSubmit(form, async () => {
    status.textContent = '';
    const limits = {};
    for (const limit of LIMITS) {
      limits[limit.name] = wholeNumber(form, `limits.${limit.name}`);
    }
    try {
      const { data, etag } = await api.patch(appPath(state), { limits }, { ifMatch: state.etag });
      state.setApp(data, etag);
      fill();
      status.className = 'status status-success';
      status.textContent = 'Limits saved.';
    } catch (error) {
      if (error.status === 412) {
        const { data, etag } = await api.request('GET', appPath(state));
        state.setApp(data, etag);
        fill();
        throw new api.ApiError(412, {
          detail: 'Someone changed this app since you opened it. The form now shows its current limits: make your change again.',
        });
      }
      throw error;
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'limits-title' },
    h('h2', { id: 'limits-title' }, 'Limits'),
    h('p', { class: 'card-intro' }, canChange
      ? 'New limits apply to new work on every node within about a second; sockets already open stay open.'
      : `Only admins and owners of the tenant can change limits; your role is ${state.role}.`),
    form);
}

function renameForm(state) {
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const form = h('form', { 'aria-labelledby': 'name-title' },
    formAlert(),
    field({ label: 'App name', name: 'name', maxlength: '100', autocomplete: 'off', value: state.app.name }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Rename app'), status));
  onSubmit(form, async () => {
    status.textContent = '';
    const { data, etag } = await api.patch(appPath(state), { name: text(form, 'name') });
    state.setApp(data, etag);
    form.elements.namedItem('name').value = data.name;
    status.className = 'status status-success';
    status.textContent = 'Renamed.';
  });
  return h('section', { class: 'card', 'aria-labelledby': 'name-title' },
    h('h2', { id: 'name-title' }, 'Name'),
    h('p', { class: 'card-intro' }, 'Only you and your team see it; clients and servers use the app id.'),
    form);
}

function statusCard(state) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'status-title' });
  const render = () => {
    const { app } = state;
    const message = h('p', { class: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'button', class: app.enabled ? 'btn btn-danger-outline' : 'btn btn-primary' },
      app.enabled ? 'Disable app' : 'Enable app');
    const changed = (result) => {
      state.setApp(result.data, result.etag);
      render();
      card.querySelector('button')?.focus();
      announce(result.data.enabled ? 'App enabled' : 'App disabled');
    };
    button.addEventListener('click', async () => {
      if (button.getAttribute('aria-busy') === 'true') {
        return;
      }
      message.textContent = '';
      if (app.enabled) {
        const result = await confirmAction({
          title: `Disable ${app.name}?`,
          message: h('p', {}, 'Vask closes the app\'s sockets (4003) and refuses its new connections and HTTP API calls until '
            + 'you enable it again. Its keys and settings stay.'),
          confirmLabel: 'Disable app',
          action: () => api.patch(appPath(state), { enabled: false }),
        });
        if (result) {
          changed(result);
        }
        return;
      }
      busy(button, true);
      try {
        changed(await api.patch(appPath(state), { enabled: true }));
      } catch (error) {
        busy(button, false);
        message.className = 'status status-error';
        message.textContent = `Not enabled: ${problemText(error)}`;
      }
    });
    card.replaceChildren(
      h('h2', { id: 'status-title' }, 'Status'),
      h('p', { class: 'card-intro' }, app.enabled
        ? 'Enabled: the app takes connections and HTTP API calls.'
        : 'Disabled: Vask refuses the app\'s connections and HTTP API calls.'),
      h('div', { class: 'actions' }, button, message));
  };
  render();
  return card;
}

function deleteCard(state, navigate) {
  const button = h('button', { type: 'button', class: 'btn btn-danger' }, 'Delete app…');
  button.addEventListener('click', async () => {
    const { app } = state;
    const deleted = await confirmAction({
      title: `Delete ${app.name}?`,
      message: h('p', {}, 'This deletes the app with its keys and usage, and closes its sockets on every node. It cannot be undone.'),
      confirmLabel: 'Delete app',
      typed: app.name,
      typedLabel: `Type the app's name, ${app.name}, to confirm`,
      action: () => api.remove(appPath(state)),
    });
    if (deleted) {
      flash.set('apps', { kind: 'success', text: `${app.name} was deleted.` });
      await navigate('/apps');
    }
  });
  return h('section', { class: 'card card-danger', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title' }, 'Delete app'),
    h('p', { class: 'card-intro' }, 'Deletes the app with its keys and usage. Clients and servers using it stop working at once.'),
    h('div', { class: 'actions' }, button));
}

export default async function settingsSection(context, state) {
  const developer = session.can(state.role, 'developer');
  const admin = session.can(state.role, 'admin');
  return h('div', { class: 'stack' },
    featureSwitches(state, developer),
    webPushCard(state, developer),
    limitsForm(state, admin),
    developer ? renameForm(state) : null,
    developer ? statusCard(state) : null,
    developer ? deleteCard(state, context.navigate) : null);
}
