/**
 * A tiny HTTP client for API-level integration tests against the local API Gateway, plus a
 * DynamoDB request recorder on the shared SDK client (counts commands per request).
 */
import type { Role } from '#shared/auth/roles';
import { dynamoClient } from '#shared/aws/clients';
import type { TestApi } from './local-cloud.ts';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  role?: Role;
  sub?: string;
  token?: string | null;
  headers?: Record<string, string>;
  /** A raw body (string) sent as is; objects are sent as JSON. */
  body?: unknown;
}

export const apiClient = (api: TestApi) => {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    const token =
      options.token === undefined ? await api.token(options.role ?? 'admin', options.sub) : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${api.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    call,
    get: <T = Record<string, unknown>>(path: string, options?: CallOptions) => call<T>('GET', path, options),
    post: <T = Record<string, unknown>>(path: string, body: unknown, options?: CallOptions) =>
      call<T>('POST', path, { ...options, body }),
    patch: <T = Record<string, unknown>>(path: string, body: unknown, options?: CallOptions) =>
      call<T>('PATCH', path, { ...options, body }),
    del: <T = Record<string, unknown>>(path: string, options?: CallOptions) =>
      call<T>('DELETE', path, options),
  };
};

/**
 * Records the DynamoDB commands the in-process functions send (name per call). `ignoreKeyPrefix`
 * leaves out the commands on items whose `pk` starts with it (e.g. a consumer's dedupe claims).
 */
export const recordDynamoCommands = (options: { ignoreKeyPrefix?: string } = {}) => {
  const commands: string[] = [];
  const { ignoreKeyPrefix } = options;
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      // Before or after the document client's marshalling: `pk` is a string or `{ S: string }`.
      type Pk = string | { S?: string } | undefined;
      const input = args.input as { Key?: { pk?: Pk }; Item?: { pk?: Pk } };
      const raw = input.Key?.pk ?? input.Item?.pk;
      const pk = typeof raw === 'string' ? raw : raw?.S;
      if (!(ignoreKeyPrefix && pk?.startsWith(ignoreKeyPrefix))) commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'relayTestRecorder', override: true },
  );
  return {
    commands,
    reset: () => {
      commands.length = 0;
    },
  };
};
