import type { NodeStatus, ResourcePoint } from '../../shared/node.js';
import type { nodeMethods } from '../../shared/rpc/node.js';
import type { Handlers } from '../api/handler-table.js';

export interface NodeHandlerDeps {
  status(): NodeStatus;
  resources(fromMs: number, toMs: number): ResourcePoint[];
}

export const nodeHandlers = ({ status, resources }: NodeHandlerDeps): Handlers<keyof typeof nodeMethods> => ({
  'node.status': () => status(),
  'node.resources': ({ fromMs, toMs }) => ({ points: resources(fromMs, toMs) }),
});
