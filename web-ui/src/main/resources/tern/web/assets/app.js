// The admin page: its session, its one push stream, and which view the address names.
import { html, render, useState, useEffect } from '/assets/lib/preact-htm.js';
import { get, post, useCsrf } from './api.js';
import { connect } from './cluster.js';
import { time } from './format.js';
import { Dialogs } from './actions.js';
import { notices, dismiss } from './ui.js';
import { Overview } from './overview.js';
import { Jobs } from './jobs.js';
import { Job } from './job.js';
import { Migrations } from './migrations.js';
import { Log } from './log.js';

const VIEWS = [['overview', 'Overview'], ['jobs', 'Jobs'], ['migrations', 'Migrations'], ['log', 'Log']];

/** '#/jobs/j3' -> ['jobs', 'j3']; no address is the overview. */
export function route(hash) {
  const parts = (hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length ? parts : ['overview'];
}

function useRoute() {
  const [r, setR] = useState(route(location.hash));
  useEffect(() => {
    const on = () => setR(route(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}

function Notices() {
  const list = notices.use();
  return html`<div class="notices" aria-live="polite">${list.map(n => html`<div key=${n.id} role=${n.ok ? 'status' : 'alert'}
      class=${'notice ' + (n.ok ? 'ok' : 'failed')} data-testid="notice" data-ok=${String(n.ok)}>
    <time>${time(n.at)}</time> <span data-testid="notice-text">${n.text}</span>
    <button class="dismiss" aria-label="dismiss" data-testid="notice-dismiss" onClick=${() => dismiss(n.id)}>×</button></div>`)}</div>`;
}

function View({ state, path }) {
  const [view, id] = path;
  if (view === 'overview' && !id) return html`<${Overview} state=${state} />`;
  if (view === 'jobs' && id) return html`<${Job} state=${state} id=${id} />`;
  if (view === 'jobs') return html`<${Jobs} state=${state} />`;
  if (view === 'migrations') return html`<${Migrations} state=${state} />`;
  if (view === 'log') return html`<${Log} state=${state} />`;
  return html`<section class="unknown" data-testid="unknown-page"><h2>no page ${'#/' + path.join('/')}</h2>
    <p><a href="#/overview">The overview</a></p></section>`;
}

function App({ session }) {
  const path = useRoute();
  const [state, setState] = useState(null);
  const [link, setLink] = useState('connecting');
  useEffect(() => connect(setState, l => {
    setLink(l);
    // a stream the gateway refused for good: the session may be gone (get() sends the reader to the login)
    if (l === 'closed') get('/ui/session').catch(() => {});
  }), []);
  const logout = async () => {
    try { await post('/ui/logout'); } finally { location.assign('/login'); }
  };
  return html`<header class="top">
      <h1><a href="#/overview">Tern</a></h1>
      <nav aria-label="views">${VIEWS.map(([v, label]) => html`<a href=${'#/' + v} data-testid=${'nav-' + v}
        aria-current=${path[0] === v ? 'page' : null}>${label}</a>`)}</nav>
      <span class=${'link ' + link} data-testid="link-state" title=${state ? 'as of ' + time(state.at) : ''}>${link}</span>
      <button data-testid="logout" onClick=${logout}>Log out</button>
    </header>
    <${Notices} />
    <main>${state ? html`<${View} state=${state} path=${path} />` : html`<p class="loading">Waiting for the cluster's state…</p>`}</main>
    ${state && html`<${Dialogs} state=${state} defaults=${session.defaults || { uid: 65534, gid: 65534, cwd: '/tmp' }} />`}`;
}

get('/ui/session').then(session => {
  useCsrf(session.csrf);
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} session=${session} />`, root);
}, e => { document.getElementById('app').textContent = 'Cannot reach the gateway: ' + e.message; });
