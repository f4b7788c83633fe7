// How figures read on the page: pure functions, no DOM, no I/O.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n) {
  if (n == null || n < 0 || Number.isNaN(n)) return '–';
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) { n /= 1024; i++; }
  return (i === 0 || n >= 100 ? Math.round(n) : n.toFixed(1)) + ' ' + UNITS[i];
}

export function ms(n) {
  if (n == null || n < 0) return '–';
  return n < 1000 ? Math.round(n) + ' ms' : (n / 1000).toFixed(n < 10000 ? 2 : 1) + ' s';
}

/** A span of seconds as people say it: 42 s, 5 min 3 s, 2 h 10 min, 3 d 4 h. */
export function age(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

/** A figure from the balancer: -1 there means "not finite". */
export function seconds(v) {
  if (v == null) return '–';
  if (v < 0) return '∞';
  return v < 10 ? v.toFixed(2) + ' s' : age(v);
}

export function cpu(v) { return v == null ? '–' : Number(v).toFixed(2); }

/** A moment in the browser's own time zone. */
export function time(at) {
  if (!at) return '–';
  const d = new Date(at), now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}

export function command(job) { return (job.argv || []).join(' '); }

export function ports(job) {
  return (job.exposed || []).map(e => e.port + '→' + e.public).join(', ');
}

/** Orders rows by one column; numbers as numbers, job ids (j2 < j10) by their number. */
export function sortBy(rows, key, descending) {
  const value = r => {
    const v = r[key];
    if (typeof v === 'string' && /^[jm][0-9]+$/.test(v)) return Number(v.slice(1));
    return v == null ? '' : v;
  };
  const sorted = [...rows].sort((a, b) => {
    const x = value(a), y = value(b);
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  });
  return descending ? sorted.reverse() : sorted;
}

export const ENDED = new Set(['exited', 'killed', 'failed']);
export const PHASES = ['announce', 'prepare', 'dump+transfer', 'restore', 'resume'];
