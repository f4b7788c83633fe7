// The page's requests to the gateway: the session cookie goes by itself (same origin), and every
// request that changes something carries the anti-forgery token the session was given.

let csrf = null;

export function useCsrf(token) { csrf = token; }

/** The gateway's answer as JSON, or an Error whose message is the gateway's own "error". */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Tern-CSRF'] = csrf || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { error: text }; }
  if (res.status === 401 && path !== '/ui/login') location.assign('/login');
  if (!res.ok) throw new Error((data && data.error) || res.status + ' ' + res.statusText);
  return data;
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const del = path => call('DELETE', path);

export const enc = encodeURIComponent;
