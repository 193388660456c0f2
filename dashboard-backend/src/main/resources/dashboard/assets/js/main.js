// The dashboard's entry point: reads the settings and the session, then routes. Each page is a module
// whose default export renders it: async (context) => ({ title, node, focus? }). Adding a section
// (usage, VAPID keys, the debug console) is a route here and a module in pages/.

import * as api from './api.js';
import * as flash from './flash.js';
import * as session from './session.js';
import { focus, h } from './dom.js';
import { Router, href } from './router.js';
import { problemText } from './ui/forms.js';
import { renderNav } from './ui/nav.js';
import accountPage from './pages/account.js';
import invitationsPage from './pages/invitations.js';
import membersPage from './pages/members.js';
import operatorPage from './pages/operator.js';
import resetPasswordPage from './pages/reset-password.js';
import verifyPage from './pages/verify.js';
import appPage from './pages/app.js';
import appsPage from './pages/apps.js';
import newAppPage from './pages/new-app.js';
import signInPage from './pages/sign-in.js';
import signUpPage from './pages/sign-up.js';
import { NotFound, notFoundView } from './pages/not-found.js';

const main = document.getElementById('main');
let settings = { signupEnabled: false };

const routes = [
  { path: '/', redirect: '/apps' },
  { path: '/sign-in', page: signInPage, guest: true },
  { path: '/sign-up', page: signUpPage, guest: true },
  // links mailed to an address: they work signed in or not
  { path: '/verify', page: verifyPage, open: true },
  { path: '/reset-password', page: resetPasswordPage, open: true },
  { path: '/invitations', page: invitationsPage, section: 'invitations' },
  { path: '/members', page: membersPage, section: 'members' },
  { path: '/operator', page: operatorPage, section: 'operator' },
  { path: '/apps', page: appsPage, section: 'apps' },
  { path: '/apps/new', page: newAppPage, section: 'apps' },
  { path: '/apps/:appId', page: appPage, section: 'apps', tab: 'connect' },
  { path: '/apps/:appId/keys', page: appPage, section: 'apps', tab: 'keys' },
  { path: '/apps/:appId/settings', page: appPage, section: 'apps', tab: 'settings' },
  { path: '/account', page: accountPage, section: 'account' },
];

const router = new Router(routes, render);
let generation = 0;

async function render(match, navigation) {
  const current = ++generation;
  const { route } = match;
  if (route?.redirect) {
    return router.navigate(route.redirect, { replace: true });
  }
  const signedIn = session.current() !== null;
  if (route && !route.guest && !route.open && !signedIn) {
    return router.navigate(`/sign-in?next=${encodeURIComponent(router.currentPath())}`, { replace: true });
  }
  if (route?.guest && signedIn) {
    return router.navigate('/apps', { replace: true });
  }
  renderNav(session.account(), route?.section, signOut);
  // a dialog belongs to the page it was opened on (Back while it is open leaves it behind otherwise)
  for (const dialog of document.querySelectorAll('dialog[open]')) {
    dialog.close();
  }

  const context = {
    params: match.params,
    query: match.query,
    route,
    settings,
    navigate: (path, options) => router.navigate(path, options),
    reload: () => router.reload(),
  };
  // a "Loading…" only when the page is slow to come, so that fast pages do not flicker
  const slow = setTimeout(() => {
    if (current === generation) {
      main.setAttribute('aria-busy', 'true');
      main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    }
  }, 250);
  let view;
  try {
    view = route ? await route.page(context) : notFoundView();
  } catch (error) {
    view = error instanceof NotFound || error?.status === 404 ? notFoundView(error.message) : errorView(error);
  } finally {
    clearTimeout(slow);
  }
  if (current !== generation) {
    return; // a later navigation took over while this page loaded
  }
  main.removeAttribute('aria-busy');
  main.replaceChildren(view.node);
  document.title = view.title ? `${view.title} · Vask` : 'Vask';
  if (!navigation.keepScroll) {
    window.scrollTo(0, 0);
  }
  if (!navigation.initial || view.focus) {
    const kept = navigation.focusHref
      ? main.querySelector(`a[data-keep-focus][href="${CSS.escape(navigation.focusHref)}"]`)
      : null;
    focus(kept ?? view.focus ?? main.querySelector('h1'));
  }
}

function errorView(error, retry = () => router.reload()) {
  if (!(error instanceof api.ApiError)) {
    console.error(error);
  }
  const again = h('button', { type: 'button', class: 'btn', onclick: retry }, 'Try again');
  return {
    title: 'Something went wrong',
    node: h('div', { class: 'stack' },
      h('h1', {}, 'This page could not be loaded'),
      h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, problemText(error instanceof api.ApiError
        ? error : new api.ApiError(-1, { detail: `Something went wrong in the page: ${error?.message ?? error}` })))),
      h('div', { class: 'actions' }, again, h('a', { href: href('/apps') }, 'Go to your apps'))),
  };
}

async function signOut() {
  await session.signOut();
  flash.set('sign-in', { kind: 'success', text: 'You are signed out.' });
  await router.navigate('/sign-in');
}

function sessionEnded() {
  if (session.current() === null) {
    return;
  }
  session.forget();
  flash.set('sign-in', { kind: 'info', text: 'Your session has ended. Sign in again to continue.' });
  router.navigate(`/sign-in?next=${encodeURIComponent(router.currentPath())}`, { replace: true });
}

async function boot() {
  api.onUnauthenticated(sessionEnded);
  try {
    const [loaded] = await Promise.all([api.get(href('/settings.json')), session.restore()]);
    settings = loaded ?? settings;
  } catch (error) {
    main.replaceChildren(errorView(error, () => window.location.reload()).node);
    return;
  }
  await router.start();
}

boot();
