import { z } from 'zod';

/**
 * What a token may do, each scope including the ones before it: `read` (views, metrics), `operate` (acknowledge,
 * run checks, cancel tasks), `admin` (config, fleet values, backend, tokens).
 */
export const Scope = z.enum(['read', 'operate', 'admin']);
export type Scope = z.infer<typeof Scope>;

const rank: Record<Scope, number> = { read: 0, operate: 1, admin: 2 };

/** Whether a caller holding `held` may call something that needs `needed`. */
export const scopeAllows = (held: Scope, needed: Scope): boolean => rank[held] >= rank[needed];
