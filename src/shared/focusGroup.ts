// A selection of a few words explained together ("Explain attention here" on "old radio"): the
// units holding the selection's tokens become one unit, so the panel pins and explains them as one
// (attention from it is the mean over its tokens, to it the sum, as for any word).
import type { Grouping, Unit } from './words';

/** `g` with the units that hold tokens [first, end) joined into one; unchanged when that is one unit already. */
export function joinUnits(g: Grouping, first: number, end: number): Grouping {
  if (end - first < 2 || first < 0 || end > g.unitOf.length) return g;
  const a = g.unitOf[first];
  const b = g.unitOf[end - 1];
  if (a === b) return g;
  const units: Unit[] = [...g.units.slice(0, a), { first: g.units[a].first, end: g.units[b].end }, ...g.units.slice(b + 1)];
  const unitOf = new Int32Array(g.unitOf.length);
  units.forEach((u, i) => unitOf.fill(i, u.first, u.end));
  return { units, unitOf };
}
