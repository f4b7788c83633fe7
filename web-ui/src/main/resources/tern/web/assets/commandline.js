// What the start and expose dialogs read from a line of text: pure, no DOM.

/**
 * A command line split into words as a shell would for plain words and '...' or "..." quoting
 * (no variables, no globs: the job gets exactly these words).
 */
export function words(line) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)|(["'])/g;
  let m, word = null, last = -1;
  while ((m = re.exec(line)) !== null) {
    if (m[4]) throw new Error(`a quote (${m[4]}) is not closed`);
    const part = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2] : m[3];
    // "a"'b'c with no space between is one word
    if (word !== null && m.index === last) word += part; else { if (word !== null) out.push(word); word = part; }
    last = re.lastIndex;
  }
  if (word !== null) out.push(word);
  return out;
}

/** "8080, 9000:19000" -> [{port: 8080}, {port: 9000, public: 19000}]; throws on anything else. */
export function portList(text) {
  return text.split(/[\s,]+/).filter(Boolean).map(p => {
    const m = /^([0-9]{1,5})(?::([0-9]{1,5}))?$/.exec(p);
    if (!m) throw new Error(`'${p}' is not a port or PORT:PUBLIC`);
    return m[2] ? { port: Number(m[1]), public: Number(m[2]) } : { port: Number(m[1]) };
  });
}
