// Migrations: those in flight with their phase, the history with each phase's share, and freeze
// time against job memory beside the balancer's learned cost model.
import { html, useMemo } from '/assets/lib/preact-htm.js';
import { migrationList, nodeList } from './cluster.js';
import { bytes, ms, time } from './format.js';
import { FreezeChart, PhaseBar, PhaseLegend } from './charts.js';

export function MigrationRows({ migrations }) {
  return html`<div class="scroll"><table class="migrations" data-testid="migrations-table">
    <thead><tr><th scope="col">id</th><th scope="col">job</th><th scope="col">from → to</th><th scope="col">started</th>
      <th scope="col">phases</th><th scope="col">freeze</th><th scope="col">predicted</th><th scope="col">memory</th>
      <th scope="col">moved</th><th scope="col">result</th><th scope="col">cause</th></tr></thead>
    <tbody>${migrations.map(m => html`<tr key=${m.id} data-testid=${'migration-' + m.id} data-state=${m.state}>
      <td>${m.id}</td><td><a href=${'#/jobs/' + m.jobId}>${m.jobId}</a></td><td>${m.from} → ${m.to}</td><td>${time(m.startedAt)}</td>
      <td class="bar">${m.state === 'running'
        ? html`<span data-testid=${'phase-' + m.id}>${m.phase || 'starting'}</span>`
        : html`<${PhaseBar} phasesMs=${m.phasesMs} />`}</td>
      <td class="num" data-testid=${'freeze-' + m.id}>${ms(m.freezeMs)}</td><td class="num">${ms(m.predictedFreezeMs)}</td>
      <td class="num">${bytes(m.anonBytes)}</td>
      <td class="num">${m.state === 'running' ? bytes(m.bytesSent) + ' so far' : bytes(m.bytesMoved)}</td>
      <td><span class=${'badge ' + m.state}>${m.state}</span></td><td class="cause">${m.error || ''}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

function InFlight({ migrations }) {
  if (!migrations.length) return html`<p class="empty" data-testid="in-flight-none">No migration is running.</p>`;
  return html`<ul class="in-flight" data-testid="in-flight">${migrations.map(m => html`<li key=${m.id} data-testid=${'in-flight-' + m.id}>
    <b>${m.jobId}</b> ${m.from} → ${m.to}: <span class="phase" data-testid=${'in-flight-phase-' + m.id}>${m.phase || 'starting'}</span>${', '}
    ${bytes(m.bytesSent || 0)} of ${bytes(m.anonBytes)} sent</li>`)}</ul>`;
}

/** The link the migrations crossed (their median), else the first node's: the cost model's line needs one. */
function linkBytesPerSecond(migrations, nodes) {
  const seen = migrations.map(m => m.linkBytesPerSecond).filter(v => v > 0).sort((a, b) => a - b);
  if (seen.length) return seen[Math.floor(seen.length / 2)];
  const m = nodes.map(n => /^([0-9.]+)\s*([kmg]?)bit/i.exec(n.link || '')).find(Boolean);
  return m ? Number(m[1]) * { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()] / 8 : null;
}

export function Migrations({ state }) {
  const all = migrationList(state);
  const running = all.filter(m => m.state === 'running');
  const learned = (state.balance || {}).learned || {};
  const committed = all.filter(m => m.state === 'committed' && m.freezeMs != null);
  const link = linkBytesPerSecond(all, nodeList(state));
  // the chart is redrawn only when what it shows changes, not on every push
  const key = committed.map(m => m.id).join() + '|' + learned.migrationFixedSeconds + '|' + learned.migrationSlope + '|' + link;
  const chart = useMemo(() => ({
    points: committed.map(m => ({ bytes: m.anonBytes || 0, freezeMs: m.freezeMs })),
    model: learned.migrationFixedSeconds != null && link
      ? b => (learned.migrationFixedSeconds + learned.migrationSlope * b / link) * 1000 : null,
  }), [key]);
  return html`<section data-testid="view-migrations">
    <h2>Migrations</h2>
    <h3>In flight</h3>
    <${InFlight} migrations=${running} />
    <h3>Freeze against job memory</h3>
    ${committed.length ? html`<${FreezeChart} points=${chart.points} model=${chart.model} />`
      : html`<p class="empty">No migration has committed yet.</p>`}
    <h3>History</h3>
    <${PhaseLegend} />
    ${all.length ? html`<${MigrationRows} migrations=${[...all].reverse()} />` : html`<p class="empty">None yet.</p>`}
  </section>`;
}
