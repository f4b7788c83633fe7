// Every action of the page, each confirmed in a <dialog> that names what it acts on. The request
// goes to the same API the client uses; its outcome becomes a notice (ui.js).
import { html, useState, useEffect, useRef } from '/assets/lib/preact-htm.js';
import { get, post, del, enc } from './api.js';
import { dialog, perform } from './ui.js';
import { command } from './format.js';
import { words, portList } from './commandline.js';

const jobName = job => `${job.id} (${command(job)})`;

function Dialog({ title, testid, confirm, disabled, onConfirm, danger, children }) {
  const ref = useRef();
  const [problem, setProblem] = useState(null);
  useEffect(() => { if (!ref.current.open) ref.current.showModal(); }, []);
  const close = () => dialog.set(null);
  const submit = e => {
    e.preventDefault();
    try {
      onConfirm();
      close();
    } catch (err) {
      setProblem(err.message);
    }
  };
  return html`<dialog ref=${ref} data-testid=${testid} onClose=${close} aria-labelledby="dialog-title">
    <form onSubmit=${submit}>
      <h2 id="dialog-title">${title}</h2>
      ${children}
      ${problem && html`<p class="problem" role="alert" data-testid="dialog-problem">${problem}</p>`}
      <div class="buttons">
        <button type="button" onClick=${close} data-testid="cancel">Cancel</button>
        <button type="submit" class=${danger ? 'danger' : 'primary'} disabled=${disabled} data-testid="confirm">${confirm}</button>
      </div>
    </form>
  </dialog>`;
}

function StartDialog({ nodes, defaults }) {
  const [line, setLine] = useState('');
  const [node, setNode] = useState('');
  const [ports, setPorts] = useState('');
  const confirm = () => {
    const argv = words(line);
    if (!argv.length) throw new Error('a command is needed');
    const body = {
      argv, cwd: defaults.cwd, uid: defaults.uid, gid: defaults.gid,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' }, expose: portList(ports),
    };
    if (node) body.node = node;
    perform('start ' + argv.join(' '), () => post('/v1/jobs', body));
  };
  return html`<${Dialog} title="Start a detached job" testid="start-dialog" confirm="Start" onConfirm=${confirm}>
    <label>Command <input data-testid="start-command" required autofocus value=${line} onInput=${e => setLine(e.target.value)}
      placeholder="python3 -m http.server 8000" /></label>
    <label>Node <select data-testid="start-node" value=${node} onChange=${e => setNode(e.target.value)}>
      <option value="">the least loaded</option>
      ${nodes.map(n => html`<option value=${n.name} disabled=${n.state !== 'up'}>${n.name}${n.state !== 'up' ? ' (' + n.state + ')' : ''}</option>`)}
    </select></label>
    <label>Exposed ports <input data-testid="start-ports" value=${ports} onInput=${e => setPorts(e.target.value)}
      placeholder="8000, 9000:19000" /></label>
    <p class="hint">Runs as uid ${defaults.uid}, gid ${defaults.gid} in ${defaults.cwd}.</p>
  </${Dialog}>`;
}

function MigrateDialog({ job }) {
  const [targets, setTargets] = useState(null);
  const [problem, setProblem] = useState(null);
  const [to, setTo] = useState('');
  useEffect(() => {
    get(`/v1/jobs/${enc(job.id)}/targets`).then(setTargets, e => setProblem(e.message));
  }, [job.id]);
  const possible = (targets || []).filter(t => t.possible);
  const confirm = () => {
    const body = to ? { to } : {};
    perform(`migrate ${job.id}${to ? ' to ' + to : ''}`, () => post(`/v1/jobs/${enc(job.id)}/migrate`, body));
  };
  return html`<${Dialog} title=${'Migrate ' + jobName(job) + ' from ' + job.node} testid="migrate-dialog" confirm="Migrate"
      disabled=${!targets || !possible.length} onConfirm=${confirm}>
    ${problem && html`<p class="problem">${problem}</p>`}
    ${!targets && !problem && html`<p>Asking the gateway where it can go…</p>`}
    ${targets && html`<fieldset data-testid="migrate-targets"><legend>To</legend>
      <label class="choice"><input type="radio" name="to" value="" checked=${to === ''} disabled=${!possible.length}
        onChange=${() => setTo('')} /> the least loaded possible node</label>
      ${targets.map(t => html`<label class=${'choice' + (t.possible ? '' : ' impossible')} data-testid=${'target-' + t.node}>
        <input type="radio" name="to" value=${t.node} disabled=${!t.possible} checked=${to === t.node}
          onChange=${() => setTo(t.node)} /> ${t.node}${!t.possible && html` <span class="reason">${t.reason}</span>`}
      </label>`)}
    </fieldset>`}
  </${Dialog}>`;
}

function ExposeDialog({ job }) {
  const [port, setPort] = useState('');
  const confirm = () => {
    const [e] = portList(port);
    if (!e) throw new Error('a port is needed');
    perform(`expose port ${port} of ${job.id}`, () => post(`/v1/jobs/${enc(job.id)}/expose`, e));
  };
  return html`<${Dialog} title=${'Expose a port of ' + jobName(job)} testid="expose-dialog" confirm="Expose" onConfirm=${confirm}>
    <label>Port (or PORT:PUBLIC) <input data-testid="expose-port" required autofocus value=${port}
      onInput=${e => setPort(e.target.value)} placeholder="8000" /></label>
    <p class="hint">The gateway forwards its outside port to ${job.vip}:PORT, wherever the job moves.</p>
  </${Dialog}>`;
}

function AcceptDialog({ pc }) {
  const [name, setName] = useState('');
  const confirm = () => {
    const body = name.trim() ? { name: name.trim() } : {};
    perform(`accept ${pc.mac}`, () => post(`/v1/admissions/${enc(pc.mac)}/accept`, body));
  };
  return html`<${Dialog} title=${'Accept the PC with MAC ' + pc.mac + '?'} testid="accept-dialog" confirm="Accept" onConfirm=${confirm}>
    <label>Name <input data-testid="accept-name" value=${name} onInput=${e => setName(e.target.value)}
      placeholder=${pc.name + ' (from its MAC)'} /></label>
    <p class="hint">It gets the cluster secret at its next try (${pc.lanIp || 'on the LAN'}) and joins.</p>
  </${Dialog}>`;
}

function simple(title, testid, confirm, what, work, danger, text) {
  return html`<${Dialog} title=${title} testid=${testid} confirm=${confirm} danger=${danger}
      onConfirm=${() => perform(what, work)}>${text && html`<p>${text}</p>`}</${Dialog}>`;
}

/** The dialog that is open, if any. */
export function Dialogs({ state, defaults }) {
  const d = dialog.use();
  if (!d) return null;
  const { job, node, port } = d;
  switch (d.kind) {
    case 'start': return html`<${StartDialog} nodes=${Object.values(state.nodes)} defaults=${defaults} />`;
    case 'migrate': return html`<${MigrateDialog} job=${job} />`;
    case 'expose': return html`<${ExposeDialog} job=${job} />`;
    case 'accept': return html`<${AcceptDialog} pc=${d.pc} />`;
    case 'kill': return simple(`Kill ${jobName(job)} on ${job.node}?`, 'kill-dialog', 'Kill', 'kill ' + job.id,
      () => del(`/v1/jobs/${enc(job.id)}`), true, 'Its processes get SIGTERM, then SIGKILL.');
    case 'unexpose': return simple(`Stop exposing port ${port.port} (public ${port.public}) of ${jobName(job)}?`, 'unexpose-dialog',
      'Unexpose', `unexpose port ${port.port} of ${job.id}`, () => del(`/v1/jobs/${enc(job.id)}/expose/${port.port}`), true);
    case 'drain': return simple(`Drain ${node.name}?`, 'drain-dialog', 'Drain', 'drain ' + node.name,
      () => post(`/v1/nodes/${enc(node.name)}/drain`), true, 'It takes no new jobs, and its movable jobs leave it.');
    case 'undrain': return simple(`Undrain ${node.name}?`, 'undrain-dialog', 'Undrain', 'undrain ' + node.name,
      () => post(`/v1/nodes/${enc(node.name)}/undrain`), false, 'It takes jobs again.');
    case 'balance': return simple(`Turn the balancer ${d.on ? 'on' : 'off'}?`, 'balance-dialog', d.on ? 'Turn on' : 'Turn off',
      'balancer ' + (d.on ? 'on' : 'off'), () => post('/v1/balance', { enabled: d.on }), !d.on,
      d.on ? 'It moves jobs when the gain beats the cost.' : 'It stops moving jobs (a drain goes on regardless).');
    default: return null;
  }
}
