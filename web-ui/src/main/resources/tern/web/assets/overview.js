// The cluster at a glance: every node with its load, the totals, and the balancer.
import { html } from '/assets/lib/preact-htm.js';
import { nodeList, jobList, migrationList } from './cluster.js';
import { bytes, cpu, seconds, ENDED } from './format.js';
import { Sparkline } from './charts.js';
import { ask } from './ui.js';
import { PendingPcs } from './admissions.js';

function Meter({ used, total, label }) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return html`<meter min="0" max="1" value=${share} low="0.7" high="0.9" optimum="0.2" aria-label=${label}></meter>`;
}

function NodeCard({ node, history }) {
  const down = node.state === 'down';
  return html`<article class=${'node ' + node.state} data-testid=${'node-' + node.name}>
    <header>
      <h3>${node.name}</h3>
      <span class=${'badge ' + node.state} data-testid=${'node-state-' + node.name}>${node.state}${node.drainedBy ? ' (' + node.drainedBy + ')' : ''}</span>
    </header>
    ${node.reason && html`<p class="reason" data-testid=${'node-reason-' + node.name}>${node.reason}</p>`}
    <dl>
      <dt>CPU</dt><dd>${cpu(node.cpuUsed)} of ${cpu(node.cpuCapacity)} <${Meter} used=${node.cpuUsed} total=${node.cpuCapacity} label="CPU use" /></dd>
      <dt>Memory</dt><dd>${bytes(node.memUsedBytes)} of ${bytes(node.memTotalBytes)}
        <${Meter} used=${node.memUsedBytes} total=${node.memTotalBytes} label="memory use" /></dd>
      <dt>Jobs</dt><dd data-testid=${'node-jobs-' + node.name}>${node.jobs}</dd>
      <dt>Link</dt><dd>${node.link || '–'}</dd>
      <dt>LAN</dt><dd>${node.lanIp || '–'}</dd>
      <dt>CPU model</dt><dd data-testid=${'node-cpu-' + node.name}
        title=${node.cpu ? 'features jobs started here may use: ' + node.cpu.features.join(' ') : ''}>${node.cpu ? node.cpu.model : '–'}</dd>
    </dl>
    <${Sparkline} points=${history} capacity=${node.cpuCapacity} testid=${'spark-' + node.name} />
    ${!down && node.state !== 'refused' && html`<div class="actions">${node.state === 'draining'
      ? html`<button data-testid=${'undrain-' + node.name} onClick=${() => ask('undrain', { node })}>Undrain</button>`
      : html`<button data-testid=${'drain-' + node.name} onClick=${() => ask('drain', { node })}>Drain</button>`}</div>`}
  </article>`;
}

function Totals({ state }) {
  const nodes = nodeList(state), live = nodes.filter(n => n.state !== 'down');
  const sum = k => live.reduce((s, n) => s + (n[k] || 0), 0);
  const jobs = jobList(state), running = jobs.filter(j => !ENDED.has(j.state));
  const inFlight = migrationList(state).filter(m => m.state === 'running').length;
  const count = s => nodes.filter(n => n.state === s).length;
  return html`<section class="totals" data-testid="totals" aria-label="cluster totals">
    <div><b>${count('up')}</b> up · <b>${count('draining')}</b> draining · <b>${count('down')}</b> down</div>
    <div>CPU <b>${cpu(sum('cpuUsed'))}</b> of ${cpu(sum('cpuCapacity'))}</div>
    <div>Memory <b>${bytes(sum('memUsedBytes'))}</b> of ${bytes(sum('memTotalBytes'))}</div>
    <div><b data-testid="total-jobs">${running.length}</b> job${running.length === 1 ? '' : 's'} running</div>
    <div><b>${inFlight}</b> migration${inFlight === 1 ? '' : 's'} in flight</div>
  </section>`;
}

const LEARNED = {
  migrationFixedSeconds: ['fixed part of a migration\'s freeze', v => seconds(v)],
  migrationSlope: ['freeze per byte, times the link\'s time', v => v.toFixed(2) + ' ×'],
  migrationSamples: ['migrations it learned from', v => v],
  programsKnown: ['programs whose lifetimes it knows', v => v],
  maxLocalIoMiBPerSecond: ['local I/O that pins a job', v => v + ' MiB/s'],
};

function Learned({ learned }) {
  const rows = Object.entries(learned || {}).filter(([, v]) => typeof v !== 'object');
  const lifetimes = learned && learned.lifetimes;
  return html`<dl class="learned">
    ${rows.map(([k, v]) => html`<dt>${LEARNED[k] ? LEARNED[k][0] : k}</dt><dd>${LEARNED[k] ? LEARNED[k][1](v) : String(v)}</dd>`)}
  </dl>
  ${lifetimes && typeof lifetimes === 'object' && html`<table class="lifetimes"><caption>Known program lifetimes</caption>
    <thead><tr><th scope="col">program</th><th scope="col">lifetimes seen (median)</th></tr></thead>
    <tbody>${Object.entries(lifetimes).map(([p, v]) => html`<tr><td>${p}</td><td>${typeof v === 'object' ? JSON.stringify(v) : seconds(v)}</td></tr>`)}</tbody>
  </table>`}`;
}

export function Overview({ state }) {
  const b = state.balance || {};
  return html`<section data-testid="view-overview">
    <h2>Overview</h2>
    <${Totals} state=${state} />
    <${PendingPcs} state=${state} />
    <div class="nodes">${nodeList(state).map(n => html`<${NodeCard} key=${n.name} node=${n} history=${state.cpuHistory[n.name]} />`)}</div>
    <section class="balancer" aria-labelledby="balancer-title">
      <h3 id="balancer-title">Balancer <span class=${'badge ' + (b.enabled ? 'up' : 'draining')} data-testid="balance-state">${b.enabled ? 'on' : 'off'}</span></h3>
      <button data-testid="balance-toggle" onClick=${() => ask('balance', { on: !b.enabled })}>Turn ${b.enabled ? 'off' : 'on'}</button>
      <${Learned} learned=${b.learned} />
    </section>
  </section>`;
}
