import { z } from 'zod';

/** One RPC method: its request and response schemas, declared once and used by every transport. */
export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}

export const method = <Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  summary: string,
): MethodSpec<Req, Res> => ({ request, response, summary });

export const NoParams = z.object({}).strict();

/** Every key of every member of a union (`keyof` of a union gives only the keys they share). */
export type KeysOf<T> = T extends unknown ? keyof T : never;

/** The keys that more than one of the tables has. */
export type SharedKeys<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? (keyof Head & KeysOf<Rest[number]>) | SharedKeys<Rest>
  : never;

type Merged<T extends readonly unknown[]> = (
  T[number] extends infer U ? (U extends unknown ? (u: U) => void : never) : never
) extends (all: infer All) => void
  ? { [K in keyof All]: All[K] }
  : never;

/** Rejects, at compile time, tables that name one method twice; the error lists the names. */
type NoMethodTwice<T extends readonly unknown[]> = [SharedKeys<T>] extends [never]
  ? unknown
  : { 'methods declared in more than one domain': SharedKeys<T> };

/** One method table from the domains' tables. A method name belongs to exactly one domain. */
export function mergeMethods<const T extends ReadonlyArray<Record<string, MethodSpec>>>(
  ...tables: T & NoMethodTwice<T>
): Merged<T> {
  return Object.assign({}, ...tables) as Merged<T>;
}
