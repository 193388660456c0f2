// Verifying an address: the page the mailed link opens (/dashboard/verify#token=...). It works signed
// in or not: the link itself proves the address.

import * as api from '../api.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { problemText } from '../ui/forms.js';
import { resendVerificationButton, takeToken } from '../ui/links.js';

export default async function verifyPage() {
  const token = takeToken();
  const signedIn = session.current() !== null;
  const next = signedIn
    ? h('p', {}, h('a', { href: href('/invitations') }, 'See invitations to your address'), ' · ', h('a', { href: href('/apps') }, 'Your apps'))
    : h('p', {}, h('a', { href: href('/sign-in') }, 'Sign in'));
  if (!token) {
    return {
      title: 'Verify your address',
      node: h('div', { class: 'auth' }, h('div', { class: 'card' },
        h('h1', {}, 'Verify your address'),
        h('p', {}, 'Open the link in the mail Vask sent to your address: this page then verifies it.'),
        signedIn && !session.account().emailVerified ? resendVerificationButton(session.account().email) : null,
        next)),
    };
  }
  try {
    const verified = await api.post('/api/v1/email-verification', { token }, { signedOutIsExpected: true });
    if (signedIn) {
      await session.refreshAccount();
    }
    return {
      title: 'Address verified',
      node: h('div', { class: 'auth' }, h('div', { class: 'card' },
        h('h1', {}, 'Address verified'),
        h('div', { class: 'alert alert-success', role: 'status' },
          h('p', {}, `${verified.email} is verified. You can now accept invitations to other tenants.`)),
        next)),
    };
  } catch (error) {
    if (!(error instanceof api.ApiError) || error.status >= 500 || error.status === 0) {
      throw error;
    }
    return {
      title: 'Link not valid',
      node: h('div', { class: 'auth' }, h('div', { class: 'card' },
        h('h1', {}, 'This link does not work'),
        h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, problemText(error))),
        signedIn && !session.account().emailVerified ? resendVerificationButton(session.account().email) : null,
        next)),
    };
  }
}
