import type { MethodName } from '../../shared/rpc.js';
import type { KeysOf, SharedKeys } from '../../shared/rpc/method.js';
import type { Handler, HandlerTable } from './dispatcher.js';

/** Handlers for some methods of the contract, each typed by its method. */
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };

/** A capability, as far as the table is concerned. */
interface HandlerSource {
  readonly name: string;
  readonly handlers?: object;
}

type HandlersOf<T extends readonly HandlerSource[]> = {
  [I in keyof T]: T[I] extends { readonly handlers: infer H } ? H : object;
};
type Unhandled<T extends readonly HandlerSource[]> = Exclude<MethodName, KeysOf<HandlersOf<T>[number]>>;
type HandledTwice<T extends readonly HandlerSource[]> = SharedKeys<HandlersOf<T>>;

/** Rejects, at compile time, sources that leave a method without a handler or give one two; the error names them. */
type EveryMethodOnce<T extends readonly HandlerSource[]> = [Unhandled<T> | HandledTwice<T>] extends [never]
  ? unknown
  : { 'methods without a handler': Unhandled<T>; 'methods with more than one handler': HandledTwice<T> };

/** The dispatcher's table, from the handlers every capability offers: each method of the contract exactly once. */
export function handlerTable<const T extends readonly HandlerSource[]>(sources: T & EveryMethodOnce<T>): HandlerTable {
  return Object.assign({}, ...sources.map((source) => source.handlers ?? {})) as HandlerTable;
}
