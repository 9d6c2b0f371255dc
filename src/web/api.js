// The one way the page talks to captrack: the public JSON API under /api/v1, with the bearer token kept
// in sessionStorage (no cookies, so no CSRF surface). Errors arrive as problem+json and are thrown as
// ApiError carrying the server's `detail` and field `errors`.

const TOKEN_KEY = 'captrack.token';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// ---- the progress indicator: shown when a request takes longer than a moment ----
let inFlight = 0;
let busyTimer = null;
function busy(delta) {
  inFlight += delta;
  const el = document.getElementById('busy');
  if (!el) return;
  if (inFlight > 0 && !busyTimer && el.hidden) {
    busyTimer = setTimeout(() => {
      busyTimer = null;
      if (inFlight > 0) el.hidden = false;
    }, 300);
  } else if (inFlight === 0) {
    clearTimeout(busyTimer);
    busyTimer = null;
    el.hidden = true;
  }
}

/** Called when the server says the token is no longer good (set by app.js). */
let onSignedOut = () => {};
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      // fall through to the generic text
    }
  }
  return { status: response.status, title: response.statusText, detail: `The server answered ${response.status} ${response.statusText}.` };
}

/**
 * Sends a request and returns {status, etag, data, response}. `data` is the parsed JSON (or null).
 * Options: body (sent as JSON), ifMatch (a version number), accept ('json' | 'text' | 'blob').
 * Throws ApiError for any answer that is not 2xx or 304.
 */
export async function request(method, path, { body, ifMatch, accept = 'json', signal } = {}) {
  const headers = { Accept: accept === 'json' ? 'application/json' : '*/*' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  busy(+1);
  try {
    let response;
    try {
      response = await fetch(BASE + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, { title: 'No answer', detail: 'The server could not be reached. Check the connection and try again.' });
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401 && path !== '/auth/login') {
        setToken(null);
        onSignedOut(problem.detail || 'Your session has ended. Sign in again.');
      }
      throw new ApiError(response.status, problem);
    }
    let data = null;
    if (response.status !== 204) {
      if (accept === 'json') data = await response.json();
      else if (accept === 'text') data = await response.text();
      else data = await response.blob();
    }
    const etag = response.headers.get('ETag');
    return { status: response.status, etag, data, response };
  } finally {
    busy(-1);
  }
}

export const get = (path, options) => request('GET', path, options).then((r) => r.data);
export const post = (path, body) => request('POST', path, { body }).then((r) => r.data);
export const patch = (path, body, version) => request('PATCH', path, { body, ifMatch: version }).then((r) => r.data);

/** Every item of a collection, following offset in pages of 500 (the API's largest page). */
export async function getAll(path, { max = 5000 } = {}) {
  const items = [];
  const joiner = path.includes('?') ? '&' : '?';
  for (let offset = 0; offset < max; offset += 500) {
    const page = await get(`${path}${joiner}limit=500&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Fetches `path` with the bearer token and saves the answer as a file named `filename`
 * (a plain link could not carry the Authorization header).
 */
export async function download(path, filename) {
  const { data } = await request('GET', path, { accept: 'blob' });
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
