// Small pictures: a node's CPU sparkline and a migration's phases as SVG (no style attributes, so the
// CSP holds), and the freeze chart with uPlot, loaded only when the migrations view first needs it.
import { html, useEffect, useRef } from '/assets/lib/preact-htm.js';
import { PHASES, ms, bytes } from './format.js';

/** A node's CPU over the window, against its capacity. */
export function Sparkline({ points, capacity, testid }) {
  const w = 120, h = 28;
  if (!points || points.length < 2) return html`<svg class="spark" viewBox="0 0 ${w} ${h}" data-testid=${testid} aria-hidden="true"></svg>`;
  const t0 = points[0][0], t1 = points[points.length - 1][0], span = Math.max(1, t1 - t0);
  const top = Math.max(capacity || 0, ...points.map(p => p[1]), 0.01);
  const xy = points.map(p => `${((p[0] - t0) / span * w).toFixed(1)},${(h - p[1] / top * (h - 2) - 1).toFixed(1)}`);
  return html`<svg class="spark" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" data-testid=${testid}
      role="img" aria-label=${'CPU over the last ' + Math.round(span / 60000) + ' min'}>
    <polygon class="spark-area" points=${`0,${h} ${xy.join(' ')} ${w},${h}`} />
    <polyline class="spark-line" points=${xy.join(' ')} />
  </svg>`;
}

/** Each phase's share of the migration's time, in the phases' order. */
export function PhaseBar({ phasesMs }) {
  const p = phasesMs || {};
  const total = PHASES.reduce((s, k) => s + (p[k] || 0), 0);
  let x = 0;
  return html`<svg class="phases" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
      aria-label=${PHASES.filter(k => p[k] != null).map(k => k + ' ' + ms(p[k])).join(', ')}>
    ${total > 0 && PHASES.filter(k => p[k] > 0).map((k, i) => {
      const width = p[k] / total * 100, at = x;
      x += width;
      return html`<rect class=${'phase-' + i} x=${at} y="0" width=${width} height="10"><title>${k}: ${ms(p[k])}</title></rect>`;
    })}
  </svg>`;
}

export function PhaseLegend() {
  return html`<ul class="legend">${PHASES.map((k, i) => html`<li><span class=${'swatch phase-' + i}></span>${k}</li>`)}</ul>`;
}

let uPlotLoading = null;

/** uPlot is a classic script: added once, on first use. */
function loadUPlot() {
  if (!uPlotLoading) {
    uPlotLoading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/assets/lib/uPlot.min.css';
      document.head.appendChild(css);
      const s = document.createElement('script');
      s.src = '/assets/lib/uPlot.iife.min.js';
      s.onload = () => resolve(window.uPlot);
      s.onerror = () => reject(new Error('could not load the chart library'));
      document.head.appendChild(s);
    });
  }
  return uPlotLoading;
}

/**
 * Points: [{bytes, freezeMs}] of committed migrations; model: freeze(bytes) in ms, the cost model's
 * line over the same range.
 */
export function FreezeChart({ points, model }) {
  const box = useRef();
  useEffect(() => {
    let plot = null, gone = false;
    const sorted = [...points].sort((a, b) => a.bytes - b.bytes);
    const maxBytes = Math.max(1, ...sorted.map(p => p.bytes));
    const xs = sorted.map(p => p.bytes / 1048576);
    // the model's line from nothing to the largest job moved
    const lineXs = [0, ...xs, maxBytes / 1048576];
    const data = [lineXs, lineXs.map((x, i) => (i === 0 || i === lineXs.length - 1) ? null : sorted[i - 1].freezeMs),
      lineXs.map(x => model ? model(x * 1048576) : null)];
    loadUPlot().then(U => {
      if (gone) return;
      const dark = matchMedia('(prefers-color-scheme: dark)').matches;
      const axis = { stroke: dark ? '#ccc' : '#333', grid: { stroke: dark ? '#333' : '#ddd' } };
      plot = new U({
        width: Math.min(640, (box.current.clientWidth || 660) - 20), height: 260,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'job memory (MiB)' }, { ...axis, label: 'freeze (ms)', size: 70 }],
        series: [{ label: 'memory', value: (u, v) => v == null ? '–' : bytes(v * 1048576) },
          { label: 'measured freeze', stroke: '#d9480f', paths: () => null, points: { show: true, size: 7, fill: '#d9480f' },
            value: (u, v) => ms(v) },
          { label: 'cost model', stroke: '#1971c2', width: 2, spanGaps: true, points: { show: false }, value: (u, v) => ms(v) }],
      }, data, box.current);
    }, () => { if (box.current) box.current.textContent = 'The chart library could not be loaded.'; });
    return () => { gone = true; if (plot) plot.destroy(); };
  }, [points, model]);
  return html`<div class="chart" ref=${box} data-testid="freeze-chart"></div>`;
}
