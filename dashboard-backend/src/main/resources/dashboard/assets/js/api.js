// The management API (/api/v1) as the pages use it: JSON in and out, the session cookie, the CSRF
// token on every write, and RFC 9457 problems turned into ApiError.

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A refused or failed request: the problem's `detail` and its per-field `errors`. */
export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.type = typeof problem.type === 'string' ? problem.type : '';
    this.errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && e.field) : [];
    this.retryAfter = retryAfter;
  }

  /** The problem type's last segment, such as "validation" or "stale-version". */
  get kind() {
    return this.type.slice(this.type.lastIndexOf('/') + 1);
  }

  /** An error raised by the page itself, shaped like the API's validation problems. */
  static invalid(field, message) {
    return new ApiError(400, { detail: message, errors: [{ field, message }] });
  }
}

function defaultMessage(status) {
  if (status === 0) {
    return 'Vask could not be reached. Check your connection, then try again.';
  }
  if (status === 401) {
    return 'You are not signed in.';
  }
  if (status === 403) {
    return 'Your role does not allow this.';
  }
  if (status === 404) {
    return 'It does not exist, or it belongs to a tenant you are not a member of.';
  }
  if (status >= 500) {
    return `Vask answered with an error (HTTP ${status}). Try again; if it keeps happening, the server's log says why.`;
  }
  return `The request was refused (HTTP ${status}).`;
}

let unauthenticated = () => {};

/** Called when a request meets 401: the session ended (expired, signed out elsewhere, password changed). */
export function onUnauthenticated(handler) {
  unauthenticated = handler;
}

// The session's CSRF token, as the session's answer (sign-in, or GET /api/v1/session on load) gave it.
// Kept in memory only, never read from a cookie: a cookie can be planted by a sibling subdomain or over
// plain HTTP, and its name changes with HTTPS; the answer comes from this session alone.
let csrfToken = '';

/** Keeps the token from the session's answer; an empty one forgets it (signed out). */
export function rememberCsrfToken(token) {
  csrfToken = token || '';
}

/**
 * Sends a request and answers `{ data, etag }`; throws ApiError when the answer is not 2xx.
 * Options: `body` (sent as JSON), `ifMatch`, and `signedOutIsExpected` (a 401 is the caller's to
 * handle, as on the sign-in page, instead of sending the reader to sign in again).
 */
export async function request(method, path, { body, ifMatch, signedOutIsExpected = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (!SAFE_METHODS.has(method) && csrfToken) {
    headers['X-XSRF-TOKEN'] = csrfToken;
  }
  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0);
  }
  const data = await readBody(response);
  if (!response.ok) {
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    const error = new ApiError(response.status, data && typeof data === 'object' ? data : {},
      Number.isFinite(retryAfter) ? retryAfter : null);
    if (response.status === 401 && !signedOutIsExpected) {
      unauthenticated(error);
    }
    throw error;
  }
  return { data, etag: response.headers.get('ETag') };
}

async function readBody(response) {
  if (response.status === 204 || response.status === 304) {
    return null;
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function get(path, options) {
  return (await request('GET', path, options)).data;
}

export async function post(path, body, options = {}) {
  return (await request('POST', path, { ...options, body })).data;
}

export async function put(path, body, options = {}) {
  return (await request('PUT', path, { ...options, body })).data;
}

export async function patch(path, body, options = {}) {
  return request('PATCH', path, { ...options, body });
}

export async function remove(path, options) {
  return (await request('DELETE', path, options)).data;
}
