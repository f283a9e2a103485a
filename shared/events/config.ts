/**
 * Configuration of the event backbone's functions, read once and checked (fail fast at cold
 * start). Kept apart from `shared/config.ts` because stream and event functions need neither the
 * cursor secret nor the stage.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};

/** Name of the stage's event bus (`relay-<stage>`), set by CDK and by the local cloud. */
export const eventBusName = (): string => required('EVENT_BUS_NAME');

/** Table that holds consumers' dedupe records (the one table). */
export const dedupeTableName = (): string => required('TABLE_NAME');
