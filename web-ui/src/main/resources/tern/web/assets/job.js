// One job: what it is, where it has been, what the balancer thinks of it, and its output.
import { html, useState, useEffect } from '/assets/lib/preact-htm.js';
import { get, enc } from './api.js';
import { migrationList } from './cluster.js';
import { age, bytes, command, cpu, seconds, time, ENDED } from './format.js';
import { JobActions, ageOf } from './jobs.js';
import { MigrationRows } from './migrations.js';
import { Output } from './output.js';
import { ask } from './ui.js';

/** The balancer's verdicts on the job: the ones the stream brought, and older ones asked for once. */
function useVerdicts(id, streamed) {
  const [older, setOlder] = useState([]);
  useEffect(() => {
    setOlder([]);
    get(`/v1/events?job=${enc(id)}&limit=200`).then(setOlder, () => setOlder([]));
  }, [id]);
  const bySeq = new Map();
  older.concat(streamed.filter(e => e.jobId === id)).forEach(e => bySeq.set(e.seq, e));
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

function Verdicts({ verdicts }) {
  if (!verdicts.length) return html`<p class="empty">The balancer has said nothing of this job yet.</p>`;
  return html`<div class="scroll"><table data-testid="job-verdicts">
    <thead><tr><th scope="col">when</th><th scope="col">verdict</th><th scope="col">from → to</th><th scope="col">cost</th>
      <th scope="col">gain</th><th scope="col">expected remaining</th><th scope="col">payback</th><th scope="col">why</th></tr></thead>
    <tbody>${verdicts.map(e => {
      const f = e.figures || {};
      return html`<tr key=${e.seq}><td>${time(e.at)}</td><td>${f.verdict || e.kind}</td><td>${f.from || e.node || ''}${f.to ? ' → ' + f.to : ''}</td>
        <td class="num">${seconds(f.costSeconds)}</td><td class="num">${seconds(f.gainSeconds)}</td>
        <td class="num">${seconds(f.expectedRemainingSeconds)}</td><td class="num">${f.to ? seconds(f.paybackSeconds) : ''}</td>
        <td>${f.reason || e.message}</td></tr>`;
    })}</tbody>
  </table></div>`;
}

export function Job({ state, id }) {
  const job = state.jobs[id];
  const verdicts = useVerdicts(id, state.events);
  if (!job) {
    return html`<section class="unknown" data-testid="unknown-job"><h2>unknown job ${id}</h2>
      <p>The gateway lists no job ${id} (ended jobs are kept an hour). <a href="#/jobs">All jobs</a></p></section>`;
  }
  const ended = ENDED.has(job.state);
  const migrations = migrationList(state).filter(m => m.jobId === id).reverse();
  const fact = (label, value, testid) => html`<dt>${label}</dt><dd data-testid=${testid}>${value == null || value === '' ? '–' : value}</dd>`;
  return html`<section data-testid="view-job">
    <h2>${job.id} <span class=${'badge ' + job.state} data-testid="job-view-state">${job.state}</span></h2>
    <p class="cmd-line"><code>${command(job)}</code></p>
    <div class="toolbar"><${JobActions} job=${job} />
      ${!ended && html`<button data-testid="expose" onClick=${() => ask('expose', { job })}>Expose a port…</button>`}</div>
    <dl class="facts">
      ${fact('node', job.node, 'job-view-node')}${fact('user', (job.user ? job.user + ' ' : '') + `(uid ${job.uid}, gid ${job.gid})`)}
      ${fact('VIP', job.vip)}${fact('started', time(job.startedAt))}${fact(ended ? 'ran for' : 'age', age(ageOf(job, state.at)))}
      ${fact('CPU', cpu(job.cpu))}${fact('memory', bytes(job.rssBytes))}${fact('anonymous memory', bytes(job.anonBytes))}
      ${fact('migrations', job.migrations)}${fact('working directory', job.cwd)}
      ${ended && fact('ended', time(job.endedAt))}${job.exitCode != null && fact('exit code', job.exitCode)}
      ${job.error && fact('error', job.error)}${job.note && fact('note', job.note)}
    </dl>
    <h3>Exposed ports</h3>
    ${(job.exposed || []).length ? html`<ul class="ports" data-testid="job-ports">${job.exposed.map(p => html`<li key=${p.port}>
        ${p.port} → public ${p.public}
        ${!ended && html`<button data-testid=${'unexpose-' + p.port} onClick=${() => ask('unexpose', { job, port: p })}>Unexpose</button>`}</li>`)}</ul>`
      : html`<p class="empty">None.</p>`}
    <h3>Migrations</h3>
    ${migrations.length ? html`<${MigrationRows} migrations=${migrations} />` : html`<p class="empty">It has not moved.</p>`}
    <h3>The balancer's verdicts</h3>
    <${Verdicts} verdicts=${verdicts} />
    <${Output} key=${id} job=${id} running=${!ended} />
  </section>`;
}
