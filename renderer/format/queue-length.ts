/** A member's task queue in words: "2 running, 5 waiting", or "Idle". */
export function queueLengthText({ running, waiting }: { running: number; waiting: number }): string {
  if (running + waiting === 0) return 'Idle';
  return `${running} running, ${waiting} waiting`;
}
