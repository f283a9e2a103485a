/**
 * Who is writing: an AsyncLocalStorage context set once at each edge — the HTTP edge
 * (`shared/http/handler.ts`: caller sub and roles, correlation id, source IP) and every event
 * consumer (`shared/events/consumer.ts`: the consumer's name as a system actor). Stores stamp it on
 * the items they write as `lastChange` (`stamp()` in `shared/db/dynamo.ts`), so the stream
 * publisher can write the audit log from the change stream without any handler doing so itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The item attribute naming who made the item's last change (agreement 3 of issue 7). */
export const LAST_CHANGE = 'lastChange';

export interface Actor {
  type: 'user' | 'system';
  id: string;
}

export interface RequestContext {
  actor: Actor;
  roles?: string[];
  correlationId?: string;
  sourceIp?: string;
}

/** The `lastChange` attribute on a written item (agreement 3 of issue 7). */
export interface LastChange extends RequestContext {
  at: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current writer (nested calls see the innermost context). */
export const runWithRequestContext = <T>(context: RequestContext, fn: () => T): T => storage.run(context, fn);

export const currentRequestContext = (): RequestContext | undefined => storage.getStore();

/** Runs `fn` as the system writer `name` (a workflow task, a scheduled job): its writes say so. */
export const runAsSystem = <T>(name: string, fn: () => T, correlationId?: string): T =>
  storage.run({ actor: { type: 'system', id: name }, ...(correlationId ? { correlationId } : {}) }, fn);

/**
 * Writes outside any edge (seed scripts, one-off tasks) are stamped as the function itself, so an
 * audit entry never lacks an actor.
 */
const fallbackActor = (): Actor => ({
  type: 'system',
  id: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'relay',
});

/** The `lastChange` value for a write happening now (`at` defaults to the current time). */
export const lastChangeNow = (at: string = new Date().toISOString()): LastChange => {
  const context = storage.getStore();
  if (!context) return { actor: fallbackActor(), at };
  return {
    actor: { type: context.actor.type, id: context.actor.id },
    ...(context.roles && context.roles.length > 0 ? { roles: [...context.roles] } : {}),
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    ...(context.sourceIp ? { sourceIp: context.sourceIp } : {}),
    at,
  };
};
