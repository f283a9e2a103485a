/**
 * In-process "Lambda" for the local cloud: load a repo-relative handler file lazily (cached; a
 * failed import is retried on the next call, so a file written later still loads), and call its
 * `handler(event, context)` with a Lambda-like context. Used by the local bus, the stream poller,
 * the local Step Functions and the local gateway.
 *
 * A handler file of the app's functions (`useLocalFunctions`, built by `infra/local/functions.ts`
 * from the settings CDK deploys) runs as that function: inside its own environment
 * (`infra/local/function-env.ts`), with its memory size in the context, and failing with Lambda's
 * `Task timed out after N.NN seconds` once its timeout has passed (the handler keeps running — a
 * promise cannot be killed — but its result is discarded). Other files (tests' handlers) run in
 * the process environment with a 30 s context.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { repoRoot } from '#infra/local/dev-secrets';
import { runWithFunctionEnv } from '#infra/local/function-env';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_AWS_REGION = 'us-east-1';

export type LocalHandler = (event: unknown, context: Context) => unknown;

/** `functions/events/flag-serious-complaint.ts` → `relay-local-events-flag-serious-complaint`. */
export const functionNameFor = (handlerFile: string): string => {
  const rel = isAbsolute(handlerFile) ? relative(repoRoot, handlerFile) : handlerFile;
  const name = rel
    .replace(/^functions\//, '')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9-_]+/g, '-');
  return `relay-local-${name}`.slice(0, 64);
};

export const lambdaArnFor = (functionName: string): string =>
  `arn:aws:lambda:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;

/** A Lambda-like context (timeout `timeoutMs`, default 30 s; memory `memoryMB`, default 1024). */
export const lambdaContext = (functionName: string, timeoutMs = 30_000, memoryMB = 1024): Context => {
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (): never => {
    throw new Error('context.done/fail/succeed are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: lambdaArnFor(functionName),
    memoryLimitInMB: String(memoryMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const loaded = new Map<string, Promise<LocalHandler>>();

/** Imports `handlerFile` (repo-relative or absolute) once and returns its `handler` export. */
export const loadHandler = (handlerFile: string): Promise<LocalHandler> => {
  const absolute = isAbsolute(handlerFile) ? handlerFile : join(repoRoot, handlerFile);
  let pending = loaded.get(absolute);
  if (!pending) {
    pending = import(pathToFileURL(absolute).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') {
        throw new Error(`${handlerFile} does not export a handler function`);
      }
      return module.handler as LocalHandler;
    });
    pending.catch(() => loaded.delete(absolute));
    loaded.set(absolute, pending);
  }
  return pending;
};

/** One function of the app as the local cloud runs it. */
export interface LocalFunction {
  readonly name: string;
  /** Handler file, relative to the repository root. */
  readonly entry: string;
  /** The timeout CDK gives it (what Lambda's timeout message names). */
  readonly timeoutSeconds: number;
  /** The timeout applied here: `timeoutSeconds`, times the registry's time scale in tests. */
  readonly timeoutMs: number;
  /** Reported in the context (`memoryLimitInMB`) and the environment; not enforced in-process. */
  readonly memoryMB: number;
  /** Its whole `process.env`: its settings' environment plus Lambda's runtime variables. */
  readonly environment: Readonly<Record<string, string>>;
}

/** What Lambda throws for an invocation past the function's timeout. */
export class LambdaTimeoutError extends Error {
  constructor(readonly fn: LocalFunction) {
    super(`Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

let registry: ReadonlyMap<string, LocalFunction> = new Map();

const relativeEntry = (handlerFile: string): string =>
  isAbsolute(handlerFile) ? relative(repoRoot, handlerFile) : handlerFile;

/** Makes these the functions handler files run as (replacing any before; an empty list turns it off). */
export const useLocalFunctions = (functions: readonly LocalFunction[]): void => {
  registry = new Map(functions.map((fn) => [fn.entry, fn]));
};

/** The app function a handler file runs as, if it is one. */
export const localFunctionFor = (handlerFile: string): LocalFunction | undefined =>
  registry.get(relativeEntry(handlerFile));

/**
 * Calls `handler` as the function `fn`: in its environment, with its context, failing with
 * `LambdaTimeoutError` once its timeout has passed. `load` (inside the environment, so module-level
 * reads see it) runs before the clock starts, like Lambda's init phase.
 */
export const invokeAsFunction = async <E>(
  fn: LocalFunction,
  load: () => Promise<(event: E, context: Context) => unknown>,
  event: E,
): Promise<unknown> =>
  runWithFunctionEnv(
    fn.environment,
    async () => {
      const handler = await load();
      const context = lambdaContext(fn.name, fn.timeoutMs, fn.memoryMB);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new LambdaTimeoutError(fn)), fn.timeoutMs);
      });
      try {
        return await Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    fn.name,
  );

/**
 * Loads and calls a handler file with `event`; resolves with what the handler returns. A file of
 * the app's functions runs as that function (`invokeAsFunction`); any other with a context named
 * `fallback.functionName` (default from the file) and `fallback.timeoutMs` (default 30 s).
 */
export const invokeHandlerFile = async (
  handlerFile: string,
  event: unknown,
  fallback: { functionName?: string; timeoutMs?: number } = {},
): Promise<unknown> => {
  const fn = localFunctionFor(handlerFile);
  if (fn) return invokeAsFunction(fn, () => loadHandler(handlerFile), event);
  const handler = await loadHandler(handlerFile);
  return handler(
    event,
    lambdaContext(fallback.functionName ?? functionNameFor(handlerFile), fallback.timeoutMs),
  );
};

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
