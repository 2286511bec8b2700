/** One reading of a signal: its value (null: no data to judge by), what it is, and which parts made it. */
export interface SignalReading {
  value: number | null;
  /** "cpu", "checks critical"; with the reason when there is no value ("cpu: no sample yet"). */
  subject: string;
  /** The checks or services behind the value, when it names them. */
  detail?: string;
}

/** The noun for a count: "1 check", "2 checks". */
export const nounFor = (count: number, one: string, many: string) => (count === 1 ? one : many);
