/** What the notification offers besides its click (which opens the alert too). */
export type DesktopNoticeAction = 'acknowledge' | 'open';

/** One OS notification for one event of one fleet alert. */
export interface DesktopNotice {
  title: string;
  body: string;
  /** The fleet-wide alert id, `<node>/<local id>`. */
  alertId: string;
  actions: readonly DesktopNoticeAction[];
}

/**
 * The OS side of desktop notifications: the Electron shell provides it; a headless agent has none. `show` calls
 * `onAction` when the user picks an action or clicks the notification (`open`).
 */
export interface DesktopNotifierPort {
  show(notice: DesktopNotice, onAction: (action: DesktopNoticeAction) => void): void;
  /** Brings the window forward and shows the alert in the Alerts view. */
  reveal(alertId: string): void;
}
