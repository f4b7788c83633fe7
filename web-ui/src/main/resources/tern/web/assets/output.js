// A job's output: the last 200 lines, then (in follow mode) what it writes, streamed with fetch().
// A reader who has scrolled up keeps their place; new lines are counted, not jumped to.
import { html, useState, useEffect, useRef, useLayoutEffect } from '/assets/lib/preact-htm.js';
import { enc } from './api.js';

const KEEP_CHARS = 1 << 20;

const atBottom = el => el.scrollHeight - el.scrollTop - el.clientHeight < 8;

export function Output({ job, running }) {
  const [follow, setFollow] = useState(running);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState(null);
  const [unseen, setUnseen] = useState(0);
  const box = useRef();
  const stick = useRef(true);

  useEffect(() => {
    const ctrl = new AbortController();
    setText('');
    setProblem(null);
    stick.current = true;
    (async () => {
      const res = await fetch(`/v1/jobs/${enc(job)}/output?tail=200${follow ? '&follow=true' : ''}`,
        { signal: ctrl.signal, credentials: 'same-origin' });
      if (!res.ok) {
        const body = await res.text();
        let why = body;
        try { why = JSON.parse(body).error || body; } catch (notJson) { /* the text is the reason */ }
        throw new Error(why);
      }
      const reader = res.body.getReader(), decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        stick.current = !box.current || atBottom(box.current);
        if (!stick.current) setUnseen(n => n + (chunk.match(/\n/g) || []).length);
        // only a reader at the end loses old lines: trimming above someone reading would move the text
        setText(t => (stick.current && t.length + chunk.length > KEEP_CHARS ? t.slice(-KEEP_CHARS / 2) : t) + chunk);
      }
    })().catch(e => { if (e.name !== 'AbortError') setProblem(e.message); });
    return () => ctrl.abort();
  }, [job, follow]);

  useLayoutEffect(() => { if (stick.current && box.current) box.current.scrollTop = box.current.scrollHeight; }, [text]);

  const toEnd = () => { box.current.scrollTop = box.current.scrollHeight; setUnseen(0); };
  const onScroll = () => { if (atBottom(box.current)) setUnseen(0); };
  return html`<section class="output" aria-labelledby="output-title">
    <h3 id="output-title">Output</h3>
    <label class="inline"><input type="checkbox" data-testid="output-follow" checked=${follow}
      onChange=${e => setFollow(e.target.checked)} /> follow</label>
    ${problem && html`<p class="problem" data-testid="output-problem">${problem}</p>`}
    <pre ref=${box} tabindex="0" data-testid="output" onScroll=${onScroll} aria-label="job output">${text}</pre>
    ${unseen > 0 && html`<button class="new-lines" data-testid="output-new" onClick=${toEnd}>${unseen} new lines ↓</button>`}
  </section>`;
}
