// A small geometry module: enough code for attention to find definitions and repeated names.

export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return Math.sqrt(dx * dx + dy * dy);
}

export function perimeter(points: Point[]): number {
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const next = points[(i + 1) % points.length];
    total += distance(points[i], next);
  }
  return total;
}

export class Polygon {
  constructor(private readonly points: Point[]) {}

  get size(): number {
    return this.points.length;
  }

  scaled(factor: number): Polygon {
    return new Polygon(this.points.map((p) => ({ x: p.x * factor, y: p.y * factor })));
  }
}
