// Who is signed in, and their role in each tenant. The session itself is the VASK_SESSION cookie
// (HttpOnly, so never seen here); this module keeps what /api/v1/session answered, and hands its CSRF
// token to api.js.

import * as api from './api.js';

let state = null;

export function current() {
  return state;
}

export function account() {
  return state?.account ?? null;
}

function remember(session) {
  state = { account: session.account, expiresAt: session.expiresAt };
  api.rememberCsrfToken(session.csrfToken);
}

/** Reads the current session; null when signed out. */
export async function restore() {
  try {
    remember(await api.get('/api/v1/session', { signedOutIsExpected: true }));
  } catch (error) {
    if (error.status !== 401) {
      throw error;
    }
    forget();
  }
  return state;
}

export async function signIn(email, password) {
  remember(await api.post('/api/v1/session', { email, password }, { signedOutIsExpected: true }));
  return state;
}

/** Ends the session on the server; a session that had already ended counts as signed out. */
export async function signOut() {
  try {
    await api.remove('/api/v1/session', { signedOutIsExpected: true });
  } catch (error) {
    if (error.status !== 401) {
      throw error;
    }
  }
  forget();
}

/** Forgets the session locally (the server already said it is over). */
export function forget() {
  state = null;
  api.rememberCsrfToken('');
}

/** Reloads the account, so that tenants joined or roles changed since sign-in show. */
export async function refreshAccount() {
  const fresh = await api.get('/api/v1/account');
  if (state) {
    state.account = fresh;
  }
  return fresh;
}

export function tenant(id) {
  return state?.account.tenants.find((candidate) => candidate.id === id) ?? null;
}

const RANK = { viewer: 0, developer: 1, admin: 2, owner: 3 };

/** Whether a tenant role is at least the given one (viewer < developer < admin < owner). */
export function can(role, needed) {
  return (RANK[role] ?? -1) >= RANK[needed];
}
