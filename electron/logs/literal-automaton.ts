/** Character classes of the automaton: the 128 ASCII characters, then one for every other character. */
const CLASSES = 129;
const OTHER = 128;
/** The table has `states × 129` entries (4 bytes each): this many states is at most 2 MB per automaton. */
export const MAX_STATES = 4096;

/** Whether the automaton can hold `literal`: ASCII only (other characters all share one class). */
export function isAscii(literal: string): boolean {
  for (let at = 0; at < literal.length; at++) if (literal.charCodeAt(at) >= 0x80) return false;
  return true;
}

/**
 * The class of character `code` when case is ignored: ASCII letters as lower case, and the two non-ASCII characters
 * that Unicode case folding (RE2's `(?i)`) makes equal to an ASCII letter, the Kelvin sign and the long s.
 */
function foldedClass(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  if (code < 0x80) return code;
  if (code === 0x212a) return 0x6b;
  if (code === 0x17f) return 0x73;
  return OTHER;
}

/**
 * Aho-Corasick over ASCII literals, as a dense table: one lookup per character of text finds every line that holds
 * each literal, however many literals there are. With `ignoreCase` it finds them in any case.
 */
export class LiteralAutomaton {
  private readonly table: Int32Array;
  /** For each state, the literals (by index) that end there, itself or through its suffixes; null for none. */
  private readonly outputs: number[][];
  /** 1 where `outputs` has a literal: a typed array read on every character. */
  private readonly ends: Uint8Array;

  /** Null when the literals need more than `MAX_STATES` states. */
  static build(literals: readonly string[], ignoreCase: boolean): LiteralAutomaton | null {
    const goto: number[][] = [[]];
    const ends: number[][] = [[]];
    for (const [index, literal] of literals.entries()) {
      let state = 0;
      for (let at = 0; at < literal.length; at++) {
        const code = literal.charCodeAt(at);
        const cls = ignoreCase ? foldedClass(code) : code;
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
    return new LiteralAutomaton(goto, ends, ignoreCase);
  }

  private constructor(
    goto: number[][],
    ends: number[][],
    private readonly ignoreCase: boolean,
  ) {
    const table = new Int32Array(goto.length * CLASSES);
    const fail = new Int32Array(goto.length);
    const outputs: Array<number[] | null> = ends.map((found) => (found.length > 0 ? found : null));
    // Breadth first, so each state's failure state is complete before its children need it.
    const queue: number[] = [];
    for (let cls = 0; cls < CLASSES; cls++) {
      const next = goto[0]![cls];
      table[cls] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failed = outputs[fail[state]!];
      if (failed) outputs[state] = [...(outputs[state] ?? []), ...failed];
      for (let cls = 0; cls < CLASSES; cls++) {
        const next = goto[state]![cls];
        const viaFail = table[fail[state]! * CLASSES + cls]!;
        if (next === undefined) {
          table[state * CLASSES + cls] = viaFail;
        } else {
          table[state * CLASSES + cls] = next;
          fail[next] = viaFail;
          queue.push(next);
        }
      }
    }
    this.table = table;
    this.outputs = outputs.map((found) => found ?? []);
    this.ends = Uint8Array.from(outputs, (found) => (found ? 1 : 0));
  }

  /**
   * For each literal, the indexes (ascending, each once) of the lines of `text` that hold it; lines are separated
   * by '\n', which no literal spans.
   */
  linesHolding(text: string, literalCount: number): number[][] {
    const found = Array.from({ length: literalCount }, (): number[] => []);
    const lastLine = new Int32Array(literalCount).fill(-1);
    const { table, outputs, ends, ignoreCase } = this;
    let state = 0;
    let line = 0;
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 0x0a) {
        line++;
        state = 0;
        continue;
      }
      state = table[state * CLASSES + (ignoreCase ? foldedClass(code) : code < 0x80 ? code : OTHER)]!;
      if (ends[state] === 0) continue;
      for (const literal of outputs[state]!) {
        if (lastLine[literal] === line) continue;
        lastLine[literal] = line;
        found[literal]!.push(line);
      }
    }
    return found;
  }
}
