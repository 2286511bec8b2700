import { z } from 'zod';
import { EpochMs } from '../ids.js';
import { NodeStatus, ResourcePoint } from '../node.js';
import { method, NoParams } from './method.js';

const TimeRange = z
  .object({ fromMs: EpochMs, toMs: EpochMs })
  .strict()
  .refine((range) => range.fromMs <= range.toMs, { message: 'fromMs must not be after toMs', path: ['fromMs'] });

/** This node itself: who it is and what it uses. */
export const nodeMethods = {
  'node.status': method(NoParams, NodeStatus, 'This node: identity, role, leadership, uptime and latest resources.'),
  'node.resources': method(
    TimeRange,
    z.object({ points: z.array(ResourcePoint) }),
    'Resource history of this node: raw samples for the last day, per-minute averages before.',
  ),
} as const;
