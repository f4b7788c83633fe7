// PCs that asked to take part and wait for the admin (pending, by MAC address), each with an Accept
// button. They come with the push stream, beside the nodes: a PC shows within a second or two of its
// first request.
import { html } from '/assets/lib/preact-htm.js';
import { pendingList } from './cluster.js';
import { ask } from './ui.js';
import { time } from './format.js';

export function PendingPcs({ state }) {
  const pending = pendingList(state);
  if (!pending.length) return null;
  return html`<section class="pending" data-testid="pending-pcs" aria-labelledby="pending-title">
    <h3 id="pending-title">PCs waiting to be accepted</h3>
    <table>
      <thead><tr><th scope="col">MAC</th><th scope="col">LAN</th><th scope="col">first seen</th><th scope="col">last asked</th><th></th></tr></thead>
      <tbody>${pending.map(e => html`<tr key=${e.mac} data-testid=${'pending-' + e.mac}>
        <td>${e.mac}</td><td>${e.lanIp || '–'}</td><td>${time(e.firstSeen)}</td><td>${time(e.lastSeen)}</td>
        <td><button data-testid=${'accept-' + e.mac} onClick=${() => ask('accept', { pc: e })}>Accept</button></td>
      </tr>`)}</tbody>
    </table>
  </section>`;
}
