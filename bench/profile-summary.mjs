// Summarizes a .cpuprofile: the functions with the most self time, then with the most time
// including what they call (async stacks are cut at each await, as V8 records them).
// `node bench/profile-summary.mjs file.cpuprofile [selfRows] [inclusiveRows]`
import { readFileSync } from 'node:fs';

const [file, selfRows = '40', inclusiveRows = '60'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs file.cpuprofile [rows] [rows]');
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const time = new Map();
for (let i = 0; i < p.samples.length; i++)
  time.set(p.samples[i], (time.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
let total = 0;
for (const v of time.values()) total += v;
const name = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
const self = new Map();
const inclusive = new Map();
for (const [id, t] of time) {
  const k = name(byId.get(id));
  self.set(k, (self.get(k) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const c = name(byId.get(cur));
    if (seen.has(c)) continue;
    seen.add(c);
    inclusive.set(c, (inclusive.get(c) ?? 0) + t);
  }
}
const show = (title, m, rows) => {
  console.log(`${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(rows)))
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${(total / 1000).toFixed(0)} ms sampled`);
show('self time', self, selfRows);
show('inclusive time', inclusive, inclusiveRows);
