/**
 * Local SES v2: `aws-ses-v2-local` (SendEmail, SendBulkEmail with templates, template CRUD; a mail
 * viewer at `/`, sent mail and templates as JSON at `/store`). It accepts any SigV4-looking
 * request, so the real `SESv2Client` with fake credentials works through `AWS_ENDPOINT_URL_SESV2`,
 * which `startLocalSes` sets (unless `setEnv: false`). It publishes no configuration-set events
 * (delivery, open, click, bounce, complaint).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSesOptions {
  /** Port (default: a free one). */
  port?: number;
  host?: string;
  /** Set `AWS_ENDPOINT_URL_SESV2` for in-process functions (default true). */
  setEnv?: boolean;
}

export interface LocalSes {
  /** `http://127.0.0.1:<port>`; the SES v2 endpoint. */
  endpoint: string;
  /** The mail viewer page. */
  viewerUrl: string;
  port: number;
  /** Sent emails and templates, as the viewer's `/store` returns them. */
  store(): Promise<{ emails: unknown[]; templates: unknown[] }>;
  stop(): Promise<void>;
}

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

const loadStart = async (): Promise<StartSes> => {
  // CommonJS interop: the module's `exports.default` arrives as `default.default` in ESM.
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: StartSes | { default: StartSes };
  };
  const candidate = module.default;
  return typeof candidate === 'function' ? candidate : candidate.default;
};

export const startLocalSes = async (options: LocalSesOptions = {}): Promise<LocalSes> => {
  const host = options.host ?? '127.0.0.1';
  const start = await loadStart();
  const server = await start({ host, port: options.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.setEnv !== false) process.env.AWS_ENDPOINT_URL_SESV2 = endpoint;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    viewerUrl: `${endpoint}/`,
    port,
    store: async () => {
      const response = await fetch(`${endpoint}/store`);
      return (await response.json()) as { emails: unknown[]; templates: unknown[] };
    },
    stop: () => {
      stopping ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
};
