/**
 * The AWS JSON protocols (1.0 and 1.1) for every local stand-in that speaks them (the bus, Step
 * Functions, KMS, Secrets Manager): `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON
 * body; success is 200 with a JSON body; errors are `{ "__type": "<Code>", "message": "…" }` with
 * the `x-amzn-errortype` header (`awsJsonErrorWire`), which is what the SDK v3 deserializers read,
 * so a client raises the service's named exception. A stand-in only declares its operations and
 * throws `AwsJsonError`; dispatch, body limits, parsing and error bodies live here. Signatures are
 * not checked (fake credentials are fine).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class AwsJsonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** An error as it goes over the wire: status, the error-type header and the `__type` body. */
export const awsJsonErrorWire = (
  error: AwsJsonError,
): {
  status: number;
  headers: { 'x-amzn-errortype': string };
  body: { __type: string; message: string };
} => ({
  status: error.status,
  headers: { 'x-amzn-errortype': error.code },
  body: { __type: error.code, message: error.message },
});

/** `Content-Type` of a protocol version. */
export const awsJsonContentType = (protocol: AwsJsonProtocol): string => `application/x-amz-json-${protocol}`;

export type AwsJsonProtocol = '1.0' | '1.1';

export type AwsJsonOperation = (body: Record<string, unknown>) => unknown | Promise<unknown>;

export interface AwsJsonServerOptions {
  port?: number;
  host?: string;
  /** JSON 1.0 (e.g. Step Functions) or 1.1 (EventBridge, KMS, Secrets Manager). */
  protocol: AwsJsonProtocol;
  /** e.g. `AWSEvents`, `AWSStepFunctions`. */
  targetPrefix: string;
  operations: Record<string, AwsJsonOperation>;
  /** Largest accepted request body (default 1 MB, larger than any limit the services enforce). */
  maxBodyBytes?: number;
  /** Extra non-protocol GET routes (e.g. a status page). */
  get?: (path: string, request: IncomingMessage, response: ServerResponse) => boolean;
}

export interface AwsJsonServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => done(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', fail);
  });

export const startAwsJsonServer = async (options: AwsJsonServerOptions): Promise<AwsJsonServer> => {
  const host = options.host ?? '127.0.0.1';
  const limit = options.maxBodyBytes ?? 1024 * 1024;

  const contentType = awsJsonContentType(options.protocol);

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': crypto.randomUUID(),
      ...headers,
    });
    response.end(text);
  };
  const sendError = (response: ServerResponse, error: AwsJsonError): void => {
    const wire = awsJsonErrorWire(error);
    send(response, wire.status, wire.body, wire.headers);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'GET' && options.get?.(path, request, response)) return;
    if (request.method !== 'POST') {
      request.resume();
      sendError(
        response,
        new AwsJsonError('UnknownOperationException', `${request.method} is not supported`, 404),
      );
      return;
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const [prefix, operationName = ''] = target.split('.');
    const operation = prefix === options.targetPrefix ? options.operations[operationName] : undefined;
    const raw = await readBody(request, limit);
    if (!operation) {
      sendError(response, new AwsJsonError('UnknownOperationException', `Unknown operation ${target}`));
      return;
    }
    if (raw === undefined) {
      sendError(response, new AwsJsonError('ValidationException', 'Request body is too large', 413));
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      sendError(
        response,
        new AwsJsonError('SerializationException', 'The request body is not a JSON object'),
      );
      return;
    }
    try {
      send(response, 200, (await operation(body)) ?? {});
    } catch (error) {
      if (error instanceof AwsJsonError) sendError(response, error);
      else
        sendError(
          response,
          new AwsJsonError('InternalFailure', (error as Error).message ?? 'internal error', 500),
        );
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, new AwsJsonError('InternalFailure', String(error), 500));
      else response.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    close: () => {
      closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
  };
};

/** AWS JSON timestamps are epoch seconds (fractional). */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;
