// Create an account (POST /api/v1/accounts), which owns a tenant of its own, then sign in with it.

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { field, formAlert, onSubmit, optionalText, text } from '../ui/forms.js';

export default async function signUpPage({ settings, navigate }) {
  if (!settings.signupEnabled) {
    return {
      title: 'Sign up',
      node: h('div', { class: 'auth' },
        h('div', { class: 'card' },
          h('h1', {}, 'Sign-up is closed'),
          h('p', {}, 'This Vask does not take sign-ups. Ask an admin of your team\'s tenant to invite you.'),
          h('p', {}, h('a', { href: href('/sign-in') }, 'Sign in')))),
    };
  }
  const form = h('form', { 'aria-labelledby': 'sign-up-title' },
    formAlert(),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'email', spellcheck: 'false' }),
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password',
      hint: '10 characters or more, and hard to guess. A few unrelated words make a good one.' }),
    field({ label: 'Tenant name', name: 'tenantName', optional: true, autocomplete: 'organization', maxlength: '100',
      hint: 'Your apps belong to a tenant, which you can share with your team later. Defaults to the part of your email before the @.' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create account'));
  onSubmit(form, async () => {
    const email = text(form, 'email');
    const password = form.elements.namedItem('password').value;
    await api.post('/api/v1/accounts', { email, password, tenantName: optionalText(form, 'tenantName') }, { signedOutIsExpected: true });
    try {
      await session.signIn(email, password);
    } catch (error) {
      flash.set('sign-in', { kind: 'success', text: `Your account was created, but signing in failed: ${error.message}` });
      flash.set('sign-in-email', email);
      await navigate('/sign-in', { replace: true });
      return;
    }
    flash.set('apps', { kind: 'success', text: `Welcome to Vask. Create your first app to get its keys. We mailed a link to ${email}: `
      + 'open it to verify your address, which you need before you can join other tenants.' });
    await navigate('/apps', { replace: true });
  });
  return {
    title: 'Create an account',
    focus: form.elements.namedItem('email'),
    node: h('div', { class: 'auth' },
      h('div', { class: 'card' }, h('h1', { id: 'sign-up-title' }, 'Create your Vask account'), form),
      h('p', { class: 'auth-footer' }, 'Already have an account? ', h('a', { href: href('/sign-in') }, 'Sign in'))),
  };
}
