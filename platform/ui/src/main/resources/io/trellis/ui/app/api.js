// Calls to this origin's API with the token the user signed in with (kept for this tab only).
const KEY = 'trellis.token';

export class Unauthorized extends Error {}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** GETs or sends JSON to {@code path} (same origin only); throws Unauthorized on a 401, Error with the API's message otherwise. */
export async function api(path, { method = 'GET', body } = {}) {
  if (!path.startsWith('/')) throw new Error('API paths are absolute: ' + path);
  const headers = { 'Accept': 'application/json' };
  const t = token();
  if (t) headers['Authorization'] = 'Bearer ' + t;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, credentials: 'omit', body: body === undefined ? undefined
      : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (response.status === 401) throw new Unauthorized((json && json.message) || 'sign in with a token');
  if (!response.ok) {
    const error = new Error((json && json.message) || `${method} ${path} answered ${response.status}`);
    error.status = response.status;
    error.body = json;
    throw error;
  }
  return json;
}

/** The query string of the non-empty entries of {@code params}. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
