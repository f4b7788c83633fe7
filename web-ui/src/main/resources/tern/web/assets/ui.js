// What every view shares of the page's own state: the open dialog and the outcomes of actions.
// Outcomes stay until the reader dismisses them.
import { useState, useEffect } from '/assets/lib/preact-htm.js';

function shared(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(v) { value = typeof v === 'function' ? v(value) : v; listeners.forEach(l => l(value)); },
    use() {
      const [v, set] = useState(value);
      useEffect(() => { listeners.add(set); set(value); return () => listeners.delete(set); }, []);
      return v;
    },
  };
}

export const dialog = shared(null);
export const notices = shared([]);
let noticeIds = 0;

export function notify(ok, text) {
  const id = ++noticeIds;
  notices.set(list => list.concat([{ id, ok, text, at: Date.now() }]));
}

export function dismiss(id) { notices.set(list => list.filter(n => n.id !== id)); }

/** Opens the dialog of one action, e.g. ask('kill', { job }). */
export function ask(kind, target) { dialog.set({ kind, ...target }); }

/** Runs an action and reports its outcome (or the gateway's error) as a notice. */
export async function perform(what, work) {
  try {
    const result = await work();
    notify(true, what + ': done');
    return result;
  } catch (e) {
    notify(false, what + ': ' + e.message);
    return null;
  }
}
