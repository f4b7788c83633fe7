// PCs that asked to take part and wait for the admin (pending, by MAC address), each with an Accept
// button. The book is not in the push stream (it is the gateway's alone, not the cluster's): the
// section asks for it every few seconds while it is shown.
import { html, useState, useEffect } from '/assets/lib/preact-htm.js';
import { get } from './api.js';
import { ask } from './ui.js';
import { time } from './format.js';

const EVERY_MS = 5000;

export function PendingPcs() {
  const [book, setBook] = useState([]);
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    let live = true;
    const load = () => get('/v1/admissions').then(b => { if (live) { setBook(b); setProblem(null); } },
      e => { if (live) setProblem(e.message); });
    load();
    const timer = setInterval(load, EVERY_MS);
    return () => { live = false; clearInterval(timer); };
  }, []);
  const pending = book.filter(e => e.state === 'pending');
  if (!pending.length && !problem) return null;
  return html`<section class="pending" data-testid="pending-pcs" aria-labelledby="pending-title">
    <h3 id="pending-title">PCs waiting to be accepted</h3>
    ${problem && html`<p class="problem">${problem}</p>`}
    <table>
      <thead><tr><th scope="col">MAC</th><th scope="col">LAN</th><th scope="col">first seen</th><th scope="col">last asked</th><th></th></tr></thead>
      <tbody>${pending.map(e => html`<tr data-testid=${'pending-' + e.mac}>
        <td>${e.mac}</td><td>${e.lanIp || '–'}</td><td>${time(e.firstSeen)}</td><td>${time(e.lastSeen)}</td>
        <td><button data-testid=${'accept-' + e.mac} onClick=${() => ask('accept', { pc: e })}>Accept</button></td>
      </tr>`)}</tbody>
    </table>
  </section>`;
}
