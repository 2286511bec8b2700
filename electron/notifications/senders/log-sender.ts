import type { Sender } from './sender.js';

/** One structured line in this node's log. */
export const sendLog: Sender<'log'> = async (channel, { deliveryId, transition, alert, fleet }, { logger }) => {
  logger.info(
    {
      channel: channel.id,
      deliveryId,
      transition,
      fleet,
      alert: { id: alert.id, ruleId: alert.ruleId, severity: alert.severity, node: alert.node, summary: alert.summary },
    },
    'alert notification',
  );
  return { ok: true, retryable: false, detail: 'logged' };
};
