// What the page knows of the cluster: the gateway's snapshot, with each delta merged in. merge() is
// pure (the stream's order is the only order); connect() is the one place that listens.

const KEEP_LIST = 500;
const CPU_WINDOW_MS = 10 * 60 * 1000;

const byKey = (list, key) => Object.fromEntries((list || []).map(x => [x[key], x]));

export function fromSnapshot(s) {
  return {
    at: s.at,
    nodes: byKey(s.nodes, 'name'),
    jobs: byKey(s.jobs, 'id'),
    migrations: byKey(s.migrations, 'id'),
    balance: s.balance || {},
    pending: byKey(s.pending, 'mac'),
    events: s.events || [],
    audit: s.audit || [],
    cpuHistory: s.cpuHistory || {},
  };
}

/** Records sent whole (nodes, PCs waiting for the admin): the changed ones replace theirs, the gone ones leave. */
function wholes(held, changed, gone) {
  const next = { ...held, ...(changed || {}) };
  (gone || []).forEach(k => delete next[k]);
  return next;
}

export function merge(state, d) {
  const next = { ...state, at: d.at };
  if (d.nodes || d.nodesGone) next.nodes = wholes(state.nodes, d.nodes, d.nodesGone);
  if (d.pending || d.pendingGone) next.pending = wholes(state.pending, d.pending, d.pendingGone);
  if (d.jobs || d.jobsGone) {
    next.jobs = { ...state.jobs };
    for (const [id, fields] of Object.entries(d.jobs || {})) {
      const job = { ...(state.jobs[id] || {}), ...fields };
      // a field the job no longer has comes as null
      for (const k of Object.keys(fields)) if (fields[k] === null) delete job[k];
      next.jobs[id] = job;
    }
    (d.jobsGone || []).forEach(id => delete next.jobs[id]);
  }
  if (d.migrations) next.migrations = { ...state.migrations, ...d.migrations };
  if (d.balance) next.balance = d.balance;
  if (d.events && d.events.length) next.events = state.events.concat(d.events).slice(-KEEP_LIST);
  if (d.audit && d.audit.length) next.audit = state.audit.concat(d.audit).slice(-KEEP_LIST);
  if (d.cpu) {
    next.cpuHistory = { ...state.cpuHistory };
    const since = d.at - CPU_WINDOW_MS;
    for (const [node, point] of Object.entries(d.cpu)) {
      next.cpuHistory[node] = (state.cpuHistory[node] || []).filter(p => p[0] >= since).concat([point]);
    }
  }
  return next;
}

export const nodeList = state => Object.values(state.nodes).sort((a, b) => a.name.localeCompare(b.name));
export const jobList = state => Object.values(state.jobs);
export const pendingList = state => Object.values(state.pending).sort((a, b) => a.firstSeen - b.firstSeen);
export const migrationList = state => Object.values(state.migrations).sort((a, b) => a.startedAt - b.startedAt);

/**
 * Listens to the gateway's push stream. EventSource reconnects by itself and sends Last-Event-ID,
 * so the gateway replays what was missed (or sends a new snapshot): there is no polling here.
 */
export function connect(onState, onLink) {
  let state = null;
  const source = new EventSource('/ui/stream');
  source.addEventListener('snapshot', e => { state = fromSnapshot(JSON.parse(e.data)); onState(state); });
  source.addEventListener('delta', e => {
    if (!state) return;
    state = merge(state, JSON.parse(e.data));
    onState(state);
  });
  source.onopen = () => onLink('live');
  source.onerror = () => onLink(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}
