/** Character classes of the automaton: the 128 ASCII characters, one for every other character, and the newline. */
const CLASSES = 130;
const OTHER = 128;
const NEWLINE = 129;
/** The table has `states × 130` entries (4 bytes each): this many states is at most about 2 MB per automaton. */
export const MAX_STATES = 4096;

/** Whether the automaton can hold `literal`: ASCII only (other characters all share one class). */
export function isAscii(literal: string): boolean {
  for (let at = 0; at < literal.length; at++) if (literal.charCodeAt(at) >= 0x80) return false;
  return true;
}

/**
 * The class of each UTF-16 unit, case-sensitive and folded. Folded: ASCII letters as lower case, and the two non-ASCII
 * characters that Unicode case folding (RE2's `(?i)`) makes equal to an ASCII letter, the Kelvin sign and the long s.
 */
function classes(ignoreCase: boolean): Uint8Array {
  const map = new Uint8Array(0x10000).fill(OTHER);
  for (let code = 0; code < 0x80; code++) map[code] = ignoreCase && code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  map[0x0a] = NEWLINE;
  if (ignoreCase) {
    map[0x212a] = 0x6b;
    map[0x17f] = 0x73;
  }
  return map;
}
const EXACT_CLASSES = classes(false);
const FOLDED_CLASSES = classes(true);

/**
 * Aho-Corasick over ASCII literals, as a dense table: one lookup per character of text finds every line that holds
 * each literal, however many literals there are. With `ignoreCase` it finds them in any case.
 */
export class LiteralAutomaton {
  /** Row by row, `state × CLASSES + class` gives the next state's row (a state is kept as its row's offset). */
  private readonly table: Int32Array;
  /** 1 at the row of each state where a literal ends: a typed array read on every character. */
  private readonly ends: Uint8Array;
  /** For each state, the literals (by index) that end there, itself or through its suffixes. */
  private readonly outputs: number[][];
  private readonly classes: Uint8Array;

  /** Null when the literals need more than `MAX_STATES` states. */
  static build(literals: readonly string[], ignoreCase: boolean): LiteralAutomaton | null {
    const classes = ignoreCase ? FOLDED_CLASSES : EXACT_CLASSES;
    const goto: number[][] = [[]];
    const ends: number[][] = [[]];
    for (const [index, literal] of literals.entries()) {
      let state = 0;
      for (let at = 0; at < literal.length; at++) {
        const cls = classes[literal.charCodeAt(at)]!;
        let next = goto[state]![cls];
        if (next === undefined) {
          if (goto.length >= MAX_STATES) return null;
          next = goto.length;
          goto[state]![cls] = next;
          goto.push([]);
          ends.push([]);
        }
        state = next;
      }
      ends[state]!.push(index);
    }
    return new LiteralAutomaton(goto, ends, classes);
  }

  private constructor(goto: number[][], ends: number[][], classes: Uint8Array) {
    const next = new Int32Array(goto.length * CLASSES);
    const fail = new Int32Array(goto.length);
    const outputs = ends.map((found) => [...found]);
    // Breadth first, so each state's failure state is complete before its children need it.
    const queue: number[] = [];
    for (let cls = 0; cls < CLASSES; cls++) {
      const child = goto[0]![cls];
      next[cls] = child ?? 0;
      if (child !== undefined) queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      outputs[state]!.push(...outputs[fail[state]!]!);
      for (let cls = 0; cls < CLASSES; cls++) {
        const child = goto[state]![cls];
        const viaFail = next[fail[state]! * CLASSES + cls]!;
        if (child === undefined) {
          next[state * CLASSES + cls] = viaFail;
        } else {
          next[state * CLASSES + cls] = child;
          fail[child] = viaFail;
          queue.push(child);
        }
      }
    }
    this.table = next.map((state) => state * CLASSES);
    this.ends = new Uint8Array(goto.length * CLASSES);
    outputs.forEach((found, state) => {
      if (found.length > 0) this.ends[state * CLASSES] = 1;
    });
    this.outputs = outputs;
    this.classes = classes;
  }

  /**
   * For each literal, the indexes (ascending, each once) of the lines of `text` that hold it, given where each line
   * starts (a literal that spans a newline, which no line holds, may name a line: only a candidate).
   */
  linesHolding(text: string, literalCount: number, starts: Int32Array): number[][] {
    const found = Array.from({ length: literalCount }, (): number[] => []);
    const { table, ends, classes } = this;
    let row = 0;
    let line = -1;
    let nextStart = 0;
    for (let at = 0; at < text.length; at++) {
      row = table[row + classes[text.charCodeAt(at)]!]!;
      if (ends[row] === 0) continue;
      while (at >= nextStart) {
        line++;
        nextStart = line + 1 < starts.length ? starts[line + 1]! : text.length;
      }
      for (const literal of this.outputs[row / CLASSES]!) {
        const lines = found[literal]!;
        if (lines[lines.length - 1] !== line) lines.push(line);
      }
    }
    return found;
  }
}
