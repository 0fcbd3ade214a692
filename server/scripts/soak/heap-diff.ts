/**
 * Compares two V8 heap snapshots of one process (taken early and late in a soak, see
 * docs/operations.md "Soak") by what is still reachable: objects grouped by kind and constructor,
 * largest growth first. A snapshot is taken after a full garbage collection, so unlike the heap
 * figure in /metrics (which includes garbage not yet collected) growth here is memory kept.
 *
 *   node dist/server/scripts/soak/heap-diff.js early.heapsnapshot late.heapsnapshot [rows]
 */
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Strings and compiled code are too many to name one by one: each is one group. */
const GROUPED_TYPES: Record<string, string> = { string: '(strings)', 'concatenated string': '(strings)', 'sliced string': '(strings)', code: '(compiled code)' };

/** Count and bytes of reachable objects per "type: constructor". */
function groups(file: string): Map<string, { count: number; bytes: number }> {
  const heap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const result = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt]];
    const key = `${type}: ${GROUPED_TYPES[type] ?? heap.strings[heap.nodes[i + nameAt]].slice(0, 80)}`;
    const group = result.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += heap.nodes[i + sizeAt];
    result.set(key, group);
  }
  return result;
}

function main(): void {
  const [earlyFile, lateFile, rows = '25'] = process.argv.slice(2);
  if (!earlyFile || !lateFile) throw new Error('usage: heap-diff <early.heapsnapshot> <late.heapsnapshot> [rows]');
  const early = groups(earlyFile);
  const late = groups(lateFile);
  const growth = [...late].map(([key, now]) => {
    const before = early.get(key) ?? { count: 0, bytes: 0 };
    return { key, objects: now.count - before.count, bytes: now.bytes - before.bytes };
  });
  const total = growth.reduce((sum, g) => sum + g.bytes, 0);
  console.log(`reachable heap grew by ${(total / 1e6).toFixed(2)} MB`);
  for (const g of growth.sort((a, b) => b.bytes - a.bytes).slice(0, Number(rows))) {
    console.log(`${(g.bytes / 1e3).toFixed(1).padStart(9)} kB ${String(g.objects).padStart(7)} objects  ${g.key}`);
  }
}

main();
