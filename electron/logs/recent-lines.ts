export interface RecentLinesOptions {
  /** Lines kept per source (the newest). */
  maxLines?: number;
  /** Characters kept per source, all its lines together (the newest). */
  maxChars?: number;
  /** Longer lines are cut to this many characters. */
  maxLineChars?: number;
}

interface Ring {
  lines: string[];
  chars: number;
}

/**
 * The newest lines each log source gave, for pattern suggestions: per source a bounded window, by lines and by
 * characters, each line cut to a maximum, so a busy or wide log costs the same memory as a quiet one.
 */
export class RecentLines {
  readonly maxLines: number;
  readonly maxChars: number;
  readonly maxLineChars: number;
  private readonly rings = new Map<string, Ring>();

  constructor(options: RecentLinesOptions = {}) {
    this.maxLines = options.maxLines ?? 2000;
    this.maxChars = options.maxChars ?? 512 * 1024;
    this.maxLineChars = options.maxLineChars ?? 2000;
  }

  add(source: string, lines: readonly string[]): void {
    let ring = this.rings.get(source);
    if (!ring) {
      ring = { lines: [], chars: 0 };
      this.rings.set(source, ring);
    }
    // Only the newest that can be kept are looked at: a chunk of a million lines costs as much as a full window.
    for (const line of lines.slice(-this.maxLines)) {
      if (line.trim() === '') continue;
      const kept = this.cut(line);
      ring.lines.push(kept);
      ring.chars += kept.length;
    }
    let drop = 0;
    while (ring.lines.length - drop > this.maxLines || ring.chars > this.maxChars) {
      ring.chars -= ring.lines[drop]!.length;
      drop += 1;
    }
    if (drop > 0) ring.lines.splice(0, drop);
  }

  /** The source's lines kept, oldest first. */
  lines(source: string): string[] {
    return [...(this.rings.get(source)?.lines ?? [])];
  }

  sources(): string[] {
    return [...this.rings.keys()];
  }

  /** Forgets every source not named: sources removed from the node. */
  keepOnly(sources: ReadonlySet<string>): void {
    for (const source of this.rings.keys()) if (!sources.has(source)) this.rings.delete(source);
  }

  /** Cut to `maxLineChars` without leaving half of a surrogate pair at the end. */
  private cut(line: string): string {
    if (line.length <= this.maxLineChars) return line;
    return line.slice(0, this.maxLineChars).replace(/[\ud800-\udbff]$/, '');
  }
}
