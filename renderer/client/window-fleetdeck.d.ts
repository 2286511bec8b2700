import type { FleetdeckBridge } from '../../shared/bridge.js';

declare global {
  interface Window {
    /** Present only inside the Electron app, where the preload script exposes it. */
    readonly fleetdeck?: FleetdeckBridge;
  }
}
