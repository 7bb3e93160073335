/**
 * Where a CPU profile's time goes: self time by function and by where the code lives, and the
 * inclusive time of our own functions. `npx tsx bench/profile-summary.ts bench/out/x.cpuprofile [N]`
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top N]');
const top = Number(process.argv[3] ?? 30);
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const total = prof.samples.length;
const where = (url: string) => {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  const r = /\/(server|common|bench)\/(.*)$/.exec(url);
  return r ? `${r[1]}/${r[2]}` : url;
};
const label = (n: Node) => `${n.callFrame.functionName || '(anon)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const selfWhere = new Map<string, number>();
const incl = new Map<string, number>();
for (const s of prof.samples) {
  const n = byId.get(s)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + 1);
  const w = where(n.callFrame.url).replace(/^(server|common)\/.*/, (x) => x);
  selfWhere.set(w, (selfWhere.get(w) ?? 0) + 1);
  const seen = new Set<string>();
  for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (!seen.has(l)) {
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + 1);
    }
  }
}
const pct = (x: number) => `${((100 * x) / total).toFixed(1).padStart(5)}%`;
const show = (title: string, m: Map<string, number>, filter: (k: string) => boolean = () => true) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
};
console.log(`${total} samples`);
show('self time by place', selfWhere);
show('self time by function', self);
show('inclusive time, our code', incl, (k) => / (server|common)\//.test(k));
