/**
 * A uniform grid over points, stored as one flat array per field (cell offsets, then the point indices cell
 * by cell), so a viewport or a click is answered by looking at a few cells, with no allocation per query.
 */
export class SpatialGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cols: number;
  private readonly rows: number;
  /** `cellStart[c]..cellStart[c + 1]` is cell c's slice of `items`. */
  private readonly cellStart: Int32Array;
  private readonly items: Int32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly y: Float32Array,
    private readonly count: number,
    private readonly cellSize: number,
  ) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < count; i++) {
      minX = Math.min(minX, x[i]!);
      minY = Math.min(minY, y[i]!);
      maxX = Math.max(maxX, x[i]!);
      maxY = Math.max(maxY, y[i]!);
    }
    if (count === 0) minX = minY = maxX = maxY = 0;
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.max(1, Math.floor((maxX - minX) / cellSize) + 1);
    this.rows = Math.max(1, Math.floor((maxY - minY) / cellSize) + 1);
    const cells = this.cols * this.rows;
    this.cellStart = new Int32Array(cells + 1);
    this.items = new Int32Array(count);
    const cellOf = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const cell = this.cellIndex(x[i]!, y[i]!);
      cellOf[i] = cell;
      this.cellStart[cell + 1]! += 1;
    }
    for (let c = 0; c < cells; c++) this.cellStart[c + 1]! += this.cellStart[c]!;
    const fill = this.cellStart.slice(0, cells);
    for (let i = 0; i < count; i++) this.items[fill[cellOf[i]!]!++] = i;
  }

  /** Writes the indices of the points inside the rectangle into `out` and returns how many there are. */
  query(minX: number, minY: number, maxX: number, maxY: number, out: Int32Array): number {
    if (this.count === 0) return 0;
    const c0 = this.clampCol(minX);
    const c1 = this.clampCol(maxX);
    const r0 = this.clampRow(minY);
    const r1 = this.clampRow(maxY);
    const { x, y, items, cellStart } = this;
    let found = 0;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const cell = row * this.cols + col;
        const end = cellStart[cell + 1]!;
        for (let k = cellStart[cell]!; k < end; k++) {
          const i = items[k]!;
          const px = x[i]!;
          const py = y[i]!;
          if (px >= minX && px <= maxX && py >= minY && py <= maxY) out[found++] = i;
        }
      }
    }
    return found;
  }

  /** The point nearest to (px, py) within `maxDistance`, or -1. */
  nearest(px: number, py: number, maxDistance: number): number {
    if (this.count === 0) return -1;
    const c0 = this.clampCol(px - maxDistance);
    const c1 = this.clampCol(px + maxDistance);
    const r0 = this.clampRow(py - maxDistance);
    const r1 = this.clampRow(py + maxDistance);
    let best = -1;
    let bestDistance = maxDistance * maxDistance;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const cell = row * this.cols + col;
        for (let k = this.cellStart[cell]!; k < this.cellStart[cell + 1]!; k++) {
          const i = this.items[k]!;
          const dx = this.x[i]! - px;
          const dy = this.y[i]! - py;
          const distance = dx * dx + dy * dy;
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = i;
          }
        }
      }
    }
    return best;
  }

  private cellIndex(px: number, py: number): number {
    return this.clampRow(py) * this.cols + this.clampCol(px);
  }

  private clampCol(px: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((px - this.minX) / this.cellSize)));
  }

  private clampRow(py: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((py - this.minY) / this.cellSize)));
  }
}
