/**
 * In-process "Lambda" for the local cloud: load a repo-relative handler file lazily (cached; a
 * failed import is retried on the next call, so a file written later still loads), and call its
 * `handler(event, context)` with a Lambda-like context. Used by the local bus, the stream poller
 * and the local Step Functions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { repoRoot } from '#infra/local/dev-secrets';

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

/** A Lambda-like context (timeout `timeoutMs`, default 30 s). */
export const lambdaContext = (functionName: string, timeoutMs = 30_000): Context => {
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
    memoryLimitInMB: '1024',
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

/** Loads and calls a handler file with `event`; resolves with what the handler returns. */
export const invokeHandlerFile = async (handlerFile: string, event: unknown): Promise<unknown> => {
  const handler = await loadHandler(handlerFile);
  return handler(event, lambdaContext(functionNameFor(handlerFile)));
};

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
