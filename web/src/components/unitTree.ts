import type { Unit } from '../api/org';

/** The server lists units in tree order with parentId; the tree is built here, in one pass. */
export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

/** Roots are units whose parent is not in the list (the tops of the user's scope). */
export function buildForest(units: readonly Unit[]): UnitNode[] {
  const nodes = new Map<number, UnitNode>();
  for (const u of units) nodes.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId === null ? undefined : nodes.get(u.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const bySort = (a: UnitNode, b: UnitNode) => a.unit.sortOrder - b.unit.sortOrder;
  const sortAll = (list: UnitNode[]) => {
    list.sort(bySort); // stable: keeps the server's order among equals
    for (const n of list) sortAll(n.children);
  };
  sortAll(roots);
  return roots;
}

/** The ids of a unit and everything below it. */
export function subtreeIds(units: readonly Unit[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const u of units) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** The forest below (and including) one unit. */
export function forestOf(units: readonly Unit[], rootId: number | null): UnitNode[] {
  if (rootId === null) return buildForest(units);
  const ids = subtreeIds(units, rootId);
  return buildForest(units.filter((u) => ids.has(u.id)));
}

/** Names from the top of the scope down to this unit, for breadcrumbs. */
export function pathOf(byId: ReadonlyMap<number, Unit>, id: number): Unit[] {
  const out: Unit[] = [];
  let u = byId.get(id);
  while (u) {
    out.unshift(u);
    u = u.parentId === null ? undefined : byId.get(u.parentId);
  }
  return out;
}

export interface UnitOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: UnitOption[];
}

/** TreeSelect data; archived units and any excluded branch are left out. */
export function unitOptions(nodes: readonly UnitNode[], opts: { exclude?: Set<number>; includeArchived?: boolean; disabled?: (u: Unit) => boolean } = {}): UnitOption[] {
  const out: UnitOption[] = [];
  for (const n of nodes) {
    if (opts.exclude?.has(n.unit.id)) continue;
    if (n.unit.archived && !opts.includeArchived) continue;
    out.push({
      value: n.unit.id,
      title: n.unit.name,
      disabled: opts.disabled?.(n.unit) || undefined,
      children: unitOptions(n.children, opts),
    });
  }
  return out;
}
