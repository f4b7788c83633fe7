// The jobs table: sortable by any column, filtered by any text in a row and by state.
import { html, useState } from '/assets/lib/preact-htm.js';
import { jobList } from './cluster.js';
import { age, bytes, command, cpu, ports, sortBy, ENDED } from './format.js';
import { ask } from './ui.js';

/** A job's age in seconds as of the cluster's own clock (the latest push), so it moves with the stream. */
export const ageOf = (job, now) => ((job.endedAt || now) - job.startedAt) / 1000;

const COLUMNS = [
  ['id', 'id'], ['node', 'node'], ['state', 'state'], ['user', 'user'], ['age', 'age'], ['cpu', 'CPU'],
  ['rssBytes', 'memory'], ['vip', 'VIP'], ['ports', 'ports'], ['command', 'command'],
];

export function JobActions({ job }) {
  if (ENDED.has(job.state)) return null;
  return html`<span class="row-actions">
    <button data-testid=${'migrate-' + job.id} disabled=${job.state !== 'running'} onClick=${() => ask('migrate', { job })}>Migrate</button>
    <button data-testid=${'kill-' + job.id} class="danger" disabled=${job.state === 'killing'} onClick=${() => ask('kill', { job })}>Kill</button>
  </span>`;
}

export function Jobs({ state }) {
  const [sort, setSort] = useState({ key: 'id', descending: true });
  const [text, setText] = useState('');
  const [which, setWhich] = useState('active');
  const rows = jobList(state)
    .filter(j => which === 'all' || (which === 'ended') === ENDED.has(j.state))
    .map(j => ({ ...j, job: j, user: j.user || 'uid ' + j.uid, age: ageOf(j, state.at), ports: ports(j), command: command(j) }))
    .filter(r => !text || COLUMNS.some(([k]) => String(r[k] == null ? '' : r[k]).toLowerCase().includes(text.toLowerCase())));
  const sorted = sortBy(rows, sort.key, sort.descending);
  const header = ([key, label]) => {
    const on = sort.key === key;
    return html`<th scope="col" aria-sort=${on ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button class="sort" data-testid=${'sort-' + key}
        onClick=${() => setSort({ key, descending: on ? !sort.descending : false })}>${label}${on ? (sort.descending ? ' ▾' : ' ▴') : ''}</button></th>`;
  };
  return html`<section data-testid="view-jobs">
    <h2>Jobs</h2>
    <div class="toolbar">
      <input type="search" aria-label="filter jobs" placeholder="filter: any text in a row" data-testid="job-filter"
        value=${text} onInput=${e => setText(e.target.value)} />
      <select aria-label="which jobs" data-testid="job-which" value=${which} onChange=${e => setWhich(e.target.value)}>
        <option value="active">not ended</option><option value="ended">ended</option><option value="all">all</option>
      </select>
      <button class="primary" data-testid="start-job" onClick=${() => ask('start', {})}>Start a job…</button>
    </div>
    <div class="scroll">
      <table class="jobs" data-testid="jobs-table">
        <thead><tr>${COLUMNS.map(header)}<th scope="col">actions</th></tr></thead>
        <tbody>${sorted.map(r => html`<tr key=${r.id} data-testid=${'job-' + r.id} data-state=${r.state} data-node=${r.node}>
          <td><a href=${'#/jobs/' + r.id}>${r.id}</a></td>
          <td data-testid=${'job-node-' + r.id}>${r.node}</td>
          <td><span class=${'badge ' + r.state} data-testid=${'job-state-' + r.id}>${r.state}</span></td>
          <td>${r.user}</td><td class="num">${age(r.age)}</td><td class="num">${cpu(r.cpu)}</td>
          <td class="num">${bytes(r.rssBytes)}</td><td>${r.vip}</td><td>${r.ports}</td>
          <td class="cmd" title=${r.command}>${r.command}</td>
          <td><${JobActions} job=${r.job} /></td>
        </tr>`)}</tbody>
      </table>
      ${!sorted.length && html`<p class="empty">No ${which === 'active' ? 'running ' : which === 'ended' ? 'ended ' : ''}jobs${text ? ' match “' + text + '”' : ''}.</p>`}
    </div>
  </section>`;
}
