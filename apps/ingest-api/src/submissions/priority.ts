/** BullMQ priorities (lower runs first) for the webhook's priority field. */
export const PRIORITY: Record<string, number> = { high: 1, normal: 5, low: 10 };
export const priorityOf = (p: string) => PRIORITY[p] ?? PRIORITY.normal;
