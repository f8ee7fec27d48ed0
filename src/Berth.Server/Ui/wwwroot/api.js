// The UI's only door to the registry: same-origin fetches to Berth's JSON API (/api/v1), with the credentials the
// user typed kept for this tab only (sessionStorage), never in a cookie a cross-site page could ride on.
const KEY = 'berth.authorization';

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export function authorization() { return sessionStorage.getItem(KEY); }

export function logout() { sessionStorage.removeItem(KEY); }

/** Logs in with a user and password: a token from the built-in issuer when it exists, else Basic (htpasswd). */
export async function login(user, password) {
  const basic = 'Basic ' + btoa(unescape(encodeURIComponent(`${user}:${password}`)));
  // The UI's header asks Berth to leave out the challenge, so a wrong password does not open the browser's dialog.
  const token = await fetch('/auth/token', { headers: { Authorization: basic, 'X-Berth-Request': 'ui' }, cache: 'no-store' });
  if (token.ok) {
    const body = await token.json();
    sessionStorage.setItem(KEY, 'Bearer ' + (body.token || body.access_token));
  } else if (token.status === 404) {
    sessionStorage.setItem(KEY, basic);
  } else {
    throw new ApiError(token.status, token.status === 429 ? 'Too many failed logins; wait and try again.' : 'Wrong user name or password.');
  }
  await get('session');
}

async function call(method, path, params) {
  const url = new URL(`/api/v1/${path}`, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Accept: 'application/json', 'X-Berth-Request': 'ui' };
  const auth = authorization();
  if (auth) headers.Authorization = auth;
  const response = await fetch(url, { method, headers, cache: 'no-store' });
  if (response.status === 401) throw new Unauthorized();
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).errors[0].message; } catch { /* not a registry error body */ }
    throw new ApiError(response.status, message);
  }
  return response.status === 204 ? null : response.json();
}

export const get = (path, params) => call('GET', path, params);
export const remove = (path, params) => call('DELETE', path, params);
