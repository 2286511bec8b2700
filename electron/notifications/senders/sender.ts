import type { WebhookBody } from '../../../shared/alert-notice.js';
import type { Channel, Secret } from '../../../shared/notifications.js';
import type { Logger } from '../../core/logger.js';

/** What one attempt answered. `retryable: false` when trying again cannot help (the receiver refused the message). */
export interface SendAttempt {
  ok: boolean;
  detail: string;
  retryable: boolean;
}

/** What every sender may use: this node's secrets and settings. */
export interface SendContext {
  /** The secret's value on this node; throws naming the field when it cannot be read. */
  resolveSecret(secret: Secret, field: string): Promise<string>;
  /** Reads a file a channel names (a CA), inside this node's `files.readDirs`. */
  readFile(path: string, field: string): Promise<string>;
  /** Where a message links back to; without it, no link. */
  consoleUrl?: string;
  logger: Logger;
}

export type ChannelOf<T extends Channel['type']> = Extract<Channel, { type: T }>;

/** Sends one body through one channel of its type; never throws. */
export type Sender<T extends Channel['type']> = (
  channel: ChannelOf<T>,
  body: WebhookBody,
  context: SendContext,
) => Promise<SendAttempt>;
