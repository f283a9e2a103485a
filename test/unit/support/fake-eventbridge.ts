/**
 * An in-memory EventBridge behind a REAL `EventBridgeClient`: a custom request handler that answers
 * `PutEvents` over the wire format (awsJson1.1) with scripted HTTP responses. Unlike
 * aws-sdk-client-mock, the SDK's serialisation, error parsing and retry strategy all run.
 *
 *   const bus = new FakeEventBridge({ script: ['throttle', 'server-error', { fail: [1, 3] }] });
 *   const client = bus.client({ maxAttempts: 5 });
 *
 * Each HTTP call takes the next step of the script (then `ok` forever, or the `random` faults):
 * - `ok`: every entry accepted;
 * - `throttle`: 400 `ThrottlingException`, nothing accepted;
 * - `server-error`: 500 `InternalException`, nothing accepted;
 * - `{ fail: [i…] }`: 200 with `FailedEntryCount` and `Entries[i].ErrorCode` for those indexes;
 *   the other entries are accepted.
 * `accepted` is the "downstream": every entry the bus took, in order.
 */
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { AwsJsonError, awsJsonContentType, awsJsonErrorWire } from '#infra/local/aws-json';

export type FaultStep = 'ok' | 'throttle' | 'server-error' | { fail: number[] };

export interface RandomFaults {
  /** Deterministic PRNG seed. */
  seed: number;
  throttle: number;
  serverError: number;
  /** Probability that a 200 response fails some entries, and per-entry failure probability then. */
  partial: number;
  entryFailure: number;
}

export interface AcceptedEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
}

const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  reason: undefined,
  headers: { 'content-type': awsJsonContentType('1.1'), 'x-amzn-requestid': 'fake', ...headers },
  body: new TextEncoder().encode(JSON.stringify(body)),
});
/** An error in the wire form the local stand-ins answer (`infra/local/aws-json.ts`). */
const error = (code: string, message: string, status = 400): HttpResponse => {
  const wire = awsJsonErrorWire(new AwsJsonError(code, message, status));
  return json(wire.status, wire.body, wire.headers);
};

export class FakeEventBridge {
  /** Every entry the bus accepted (the downstream). */
  readonly accepted: AcceptedEntry[] = [];
  /** HTTP calls received (including the SDK's retries of a call). */
  httpCalls = 0;
  /** Responses by kind. */
  readonly responses = { ok: 0, throttle: 0, serverError: 0, partial: 0 };
  private readonly script: FaultStep[];
  private readonly random: (() => number) | undefined;

  constructor(private readonly options: { script?: FaultStep[]; random?: RandomFaults } = {}) {
    this.script = [...(options.script ?? [])];
    this.random = options.random ? mulberry32(options.random.seed) : undefined;
  }

  /** A real client whose HTTP goes to this fake; retries back off 1 ms so tests stay fast. */
  client(config: Partial<EventBridgeClientConfig> & { maxAttempts?: number } = {}): EventBridgeClient {
    const maxAttempts = config.maxAttempts ?? 5;
    return new EventBridgeClient({
      region: 'us-east-1',
      endpoint: 'http://eventbridge.fake',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 1),
      ...config,
      requestHandler: { handle: (request: HttpRequest) => this.handle(request) },
    });
  }

  private nextStep(entries: number): FaultStep {
    const scripted = this.script.shift();
    if (scripted) return scripted;
    const faults = this.options.random;
    const random = this.random;
    if (!faults || !random) return 'ok';
    const roll = random();
    if (roll < faults.throttle) return 'throttle';
    if (roll < faults.throttle + faults.serverError) return 'server-error';
    if (roll < faults.throttle + faults.serverError + faults.partial) {
      return {
        fail: Array.from({ length: entries }, (_, i) => i).filter(() => random() < faults.entryFailure),
      };
    }
    return 'ok';
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    this.httpCalls++;
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target !== 'AWSEvents.PutEvents') {
      return { response: error('UnknownOperationException', target) };
    }
    const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
    const entries = (JSON.parse(body) as { Entries: AcceptedEntry[] }).Entries;
    const step = this.nextStep(entries.length);
    if (step === 'throttle') {
      this.responses.throttle++;
      return { response: error('ThrottlingException', 'Rate exceeded') };
    }
    if (step === 'server-error') {
      this.responses.serverError++;
      return { response: error('InternalException', 'Internal error', 500) };
    }
    const failing = new Set(step === 'ok' ? [] : step.fail);
    if (failing.size > 0) this.responses.partial++;
    else this.responses.ok++;
    const results = entries.map((entry, i) => {
      if (failing.has(i)) return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
      this.accepted.push(entry);
      return { EventId: `fake-${this.accepted.length}` };
    });
    return { response: json(200, { FailedEntryCount: failing.size, Entries: results }) };
  }
}
