import type { Migration } from './migration.js';

/**
 * Load average and network throughput in resource history. Rows written before this version read 0 for them
 * (the defaults), so every stored row stays valid without a rewrite.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'resource load and network',
  up(db) {
    db.exec(`
      ALTER TABLE resource_samples ADD COLUMN load1 REAL NOT NULL DEFAULT 0;
      ALTER TABLE resource_samples ADD COLUMN network_rx REAL NOT NULL DEFAULT 0;
      ALTER TABLE resource_samples ADD COLUMN network_tx REAL NOT NULL DEFAULT 0;

      ALTER TABLE resource_rollups ADD COLUMN load1_sum REAL NOT NULL DEFAULT 0;
      ALTER TABLE resource_rollups ADD COLUMN network_rx_sum REAL NOT NULL DEFAULT 0;
      ALTER TABLE resource_rollups ADD COLUMN network_tx_sum REAL NOT NULL DEFAULT 0;
    `);
  },
};
