/** Hours of a week and of a day, in the agent's local time (what "Tuesdays 14:00" means to whoever reads it). */
export const HOURS_PER_WEEK = 168;
export const HOURS_PER_DAY = 24;

const weekdays = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

/** 0 (Sunday 00:00–00:59) to 167 (Saturday 23:00–23:59). */
export function hourOfWeek(at: number): number {
  const date = new Date(at);
  return date.getDay() * HOURS_PER_DAY + date.getHours();
}

const clockHour = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "Tuesdays 14:00". */
export const weekBucketLabel = (bucket: number) =>
  `${weekdays[Math.floor(bucket / HOURS_PER_DAY)]} ${clockHour(bucket % HOURS_PER_DAY)}`;

/** "14:00 on any day". */
export const dayBucketLabel = (hour: number) => `${clockHour(hour)} on any day`;
