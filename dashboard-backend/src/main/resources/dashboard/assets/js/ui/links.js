// The links Vask mails (verify an address, reset a password, accept an invitation) carry their token
// in the fragment (#token=...), which browsers never send to a server or in a Referer.

import * as api from '../api.js';
import { h } from '../dom.js';
import { busy, problemText } from './forms.js';

/** The token of the link this page was opened with, once: it is removed from the address bar and history. */
export function takeToken() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token !== null) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return token;
}

/** A button that mails a new verification link to the signed-in account's address, with its outcome beside it. */
export function resendVerificationButton(email) {
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'btn' }, 'Send a new verification link');
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') {
      return;
    }
    busy(button, true);
    status.textContent = '';
    try {
      await api.post('/api/v1/account/verification-mail');
      status.className = 'status status-success';
      status.textContent = `Sent to ${email}. The link works once; earlier links no longer work.`;
    } catch (error) {
      status.className = 'status status-error';
      status.textContent = problemText(error);
    } finally {
      busy(button, false);
    }
  });
  return h('div', { class: 'actions' }, button, status);
}

/** The notice an account with an unverified address sees, with a way to get a new link. */
export function unverifiedNotice(account, why) {
  return h('div', { class: 'alert alert-warning', role: 'status' },
    h('p', {}, h('strong', {}, 'Your address is not verified yet. '),
      `We mailed a link to ${account.email} when you signed up. ${why}`),
    resendVerificationButton(account.email));
}
