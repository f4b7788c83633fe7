// Who did what (the audit log) beside what the balancer decided (its events), newest first.
import { html } from '/assets/lib/preact-htm.js';
import { time } from './format.js';

export function Log({ state }) {
  const audit = [...state.audit].reverse(), events = [...state.events].reverse();
  return html`<section data-testid="view-log">
    <h2>Log</h2>
    <div class="side-by-side">
      <section aria-labelledby="audit-title"><h3 id="audit-title">Audit</h3>
        <ol class="log" data-testid="audit-list">${audit.map(a => html`<li key=${a.seq != null ? a.seq : a.at + a.action + a.target} class=${a.outcome === 'ok' ? '' : 'failed'}>
          <time>${time(a.at)}</time> <b>${a.action}</b> ${a.target || ''}${' '}
          <span class="meta">from ${a.from}${a.via ? ' by ' + a.via : ''}</span> <span class="outcome">${a.outcome}</span></li>`)}</ol>
        ${!audit.length && html`<p class="empty">Nothing yet.</p>`}
      </section>
      <section aria-labelledby="events-title"><h3 id="events-title">Balancer</h3>
        <ol class="log" data-testid="events-list">${events.map(e => html`<li key=${e.seq}>
          <time>${time(e.at)}</time> <b>${e.kind}</b> ${e.jobId && html`<a href=${'#/jobs/' + e.jobId}>${e.jobId}</a>`} ${e.message}</li>`)}</ol>
        ${!events.length && html`<p class="empty">Nothing yet.</p>`}
      </section>
    </div>
  </section>`;
}
