// A small client-side router over the History API. Paths are written without the /dashboard prefix
// ('/apps/:appId/keys'); links in the page are ordinary <a href="/dashboard/..."> elements, which the
// router takes over on a plain click (a middle click or Ctrl-click still opens a new tab).

export const BASE = '/dashboard';

/** The URL of a dashboard path: href('/apps/1') is '/dashboard/apps/1'. */
export function href(path) {
  return BASE + path;
}

function compile(pattern) {
  const keys = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), keys };
}

export class Router {
  /**
   * @param routes [{ path, ...anything }]: the first route whose path matches wins
   * @param render async (match, navigation) => void, where match is { route, params, query, path }
   *        (route null when nothing matches) and navigation is { initial, focusHref }
   */
  constructor(routes, render) {
    this.routes = routes.map((route) => ({ ...route, ...compile(route.path) }));
    this.renderRoute = render;
  }

  start() {
    document.addEventListener('click', (event) => this.onClick(event));
    window.addEventListener('popstate', () => this.render({ initial: false }));
    return this.render({ initial: true });
  }

  /** The current path within the dashboard, with its query and fragment: '/apps/1?x=y', '/invitations#token=...'. */
  currentPath() {
    const path = window.location.pathname.slice(BASE.length) || '/';
    return path + window.location.search + window.location.hash;
  }

  navigate(path, { replace = false, focusHref = null } = {}) {
    const url = href(path);
    if (replace) {
      window.history.replaceState(null, '', url);
    } else if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.pushState(null, '', url);
    }
    return this.render({ initial: false, focusHref });
  }

  /** Renders the current location again (after a change that the page must show). */
  reload() {
    return this.render({ initial: false, keepScroll: true });
  }

  match(pathname, search) {
    const path = (pathname.slice(BASE.length) || '/').split('#')[0];
    const query = new URLSearchParams(search);
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (found) {
        const params = {};
        route.keys.forEach((key, index) => {
          params[key] = decodeURIComponent(found[index + 1]);
        });
        return { route, params, query, path };
      }
    }
    return { route: null, params: {}, query, path };
  }

  render(navigation) {
    const match = this.match(window.location.pathname, window.location.search);
    return this.renderRoute(match, navigation);
  }

  onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) {
      return;
    }
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !(url.pathname === BASE || url.pathname.startsWith(BASE + '/'))) {
      return;
    }
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) {
      return; // an in-page anchor
    }
    event.preventDefault();
    const path = (url.pathname.slice(BASE.length) || '/') + url.search;
    this.navigate(path, { focusHref: link.getAttribute('href') });
  }
}
