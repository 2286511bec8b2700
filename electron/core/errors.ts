/** Renders any thrown value as one line for logs and user-facing messages. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
