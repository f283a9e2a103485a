/**
 * `GET /_local/events` on the local API: recent bus events with their matched rules and delivery
 * status, recent Step Functions executions, the bus DLQ and the stream poller's skipped records —
 * as an HTML page, or JSON with `?format=json`. Local only; nothing like it exists in AWS.
 *
 * Local in both senses: the API answers it to loopback clients only (`isLoopbackAddress`; anyone
 * else gets the API's 404, even when `HOST` binds the API to every interface), and it shows
 * metadata, not payloads. An event's detail is shown as its published contract allows (the thin
 * fields of `events/catalog.ts`: ids, versions, times, routing facts), anything else on the bus
 * (a detail type not in the catalog, or one that breaks its contract) as its key names only, and
 * error texts with emails and phone numbers scrubbed. So no name, email or phone reaches the page
 * even if a producer misbehaves.
 */
import { eventByDetailType } from '#events/catalog';
import type { LocalEventBridge } from '#infra/local/eventbridge';
import type { LocalStepFunctions } from '#infra/local/stepfunctions';
import type { StreamPoller } from '#infra/local/streams';
import { redact } from '#shared/http/logger';

/** `127.0.0.0/8`, `::1`, and IPv4-mapped loopback (`::ffff:127.x.x.x`): the page's only audience. */
export const isLoopbackAddress = (address: string | undefined): boolean => {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
};

/** What the page shows of a detail: the contract's (thin) fields, or only key names. */
export type ShownDetail = Record<string, unknown> | { unverifiedKeys: string[] };

export const shownDetail = (detailType: string, detail: unknown): ShownDetail => {
  const parsed = eventByDetailType(detailType)?.detail.safeParse(detail);
  // The contract's object schema strips undeclared keys: what is left is the thin, published detail.
  if (parsed?.success) return parsed.data as Record<string, unknown>;
  const keys = detail && typeof detail === 'object' && !Array.isArray(detail) ? Object.keys(detail) : [];
  return { unverifiedKeys: keys.map((key) => String(redact(key))) };
};

/** Error texts (handler failures, Step Functions causes) with emails and phone numbers scrubbed. */
const scrubbed = (text: string): string => String(redact(text));

export interface LocalCloudParts {
  bus?: LocalEventBridge;
  stepFunctions?: LocalStepFunctions;
  streams?: StreamPoller;
  mailViewerUrl?: string;
}

export interface LocalEventsSnapshot {
  generatedAt: string;
  bus: { name: string; arn: string; endpoint: string; rules: Array<{ name: string; target: string }> } | null;
  events: Array<{
    id: string;
    source: string;
    detailType: string;
    time: string;
    receivedAt: string;
    matchedRules: string[];
    deliveries: Array<{ rule: string; target: string; status: string; attempts: number; lastError?: string }>;
    detail: ShownDetail;
  }>;
  dlq: Array<{
    rule: string;
    target: string;
    eventId: string;
    detailType: string;
    error: string;
    attempts: number;
    at: string;
  }>;
  executions: Array<{
    name: string;
    workflow: string;
    status: string;
    startDate: string;
    stopDate?: string;
    error?: string;
    cause?: string;
    states: string[];
  }>;
  streams: {
    streamArn: string;
    recentBatches: Array<{ at: string; records: number; attempt: number; outcome: string; error?: string }>;
    skipped: Array<{ at: string; sequenceNumbers: string[]; error: string }>;
  } | null;
  mailViewerUrl: string | null;
}

const targetText = (target: { kind: string; handler?: string; workflow?: string }): string =>
  target.kind === 'lambda' ? `lambda ${target.handler}` : `stateMachine ${target.workflow}`;

export const localEventsSnapshot = (parts: LocalCloudParts, limit = 100): LocalEventsSnapshot => {
  const { bus, stepFunctions, streams } = parts;
  return {
    generatedAt: new Date().toISOString(),
    bus: bus
      ? {
          name: bus.busName,
          arn: bus.busArn,
          endpoint: bus.endpoint,
          rules: bus.rules.map((rule) => ({ name: rule.name, target: targetText(rule.target) })),
        }
      : null,
    events: (bus?.events() ?? [])
      .slice(-limit)
      .reverse()
      .map((recorded) => ({
        id: recorded.event.id,
        source: recorded.event.source,
        detailType: recorded.event['detail-type'],
        time: recorded.event.time,
        receivedAt: recorded.receivedAt.toISOString(),
        matchedRules: recorded.matchedRules,
        deliveries: recorded.deliveries.map((delivery) => ({
          rule: delivery.rule,
          target: delivery.target,
          status: delivery.status,
          attempts: delivery.attempts,
          ...(delivery.lastError ? { lastError: scrubbed(delivery.lastError) } : {}),
        })),
        detail: shownDetail(recorded.event['detail-type'], recorded.event.detail),
      })),
    dlq: (bus?.dlq() ?? [])
      .slice(-limit)
      .reverse()
      .map((entry) => ({
        rule: entry.rule,
        target: entry.target,
        eventId: entry.event.id,
        detailType: entry.event['detail-type'],
        error: scrubbed(entry.error),
        attempts: entry.attempts,
        at: entry.at.toISOString(),
      })),
    executions: (stepFunctions?.executions() ?? []).slice(0, limit).map((execution) => ({
      name: execution.name,
      workflow: execution.workflow,
      status: execution.status,
      startDate: execution.startDate.toISOString(),
      ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
      ...(execution.error ? { error: scrubbed(execution.error) } : {}),
      ...(execution.cause ? { cause: scrubbed(execution.cause) } : {}),
      states: execution.history
        .filter((entry) => entry.type === 'StateEntered' && entry.state)
        .map((entry) => entry.state as string),
    })),
    streams: streams
      ? {
          streamArn: streams.streamArn,
          recentBatches: streams
            .batches()
            .slice(-20)
            .reverse()
            .map((batch) => ({
              at: batch.at.toISOString(),
              records: batch.records,
              attempt: batch.attempt,
              outcome: batch.outcome,
              ...(batch.error ? { error: scrubbed(batch.error) } : {}),
            })),
          skipped: streams.skipped().map((entry) => ({
            at: entry.at.toISOString(),
            sequenceNumbers: entry.sequenceNumbers,
            error: scrubbed(entry.error),
          })),
        }
      : null,
    mailViewerUrl: parts.mailViewerUrl ?? null,
  };
};

const html = (text: unknown): string =>
  String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

const STATUS_COLOURS: Record<string, string> = {
  succeeded: '#1a7f37',
  SUCCEEDED: '#1a7f37',
  failed: '#cf222e',
  FAILED: '#cf222e',
  TIMED_OUT: '#cf222e',
  ABORTED: '#9a6700',
  retrying: '#9a6700',
  pending: '#57606a',
  RUNNING: '#0969da',
};

const badge = (status: string): string =>
  `<span class="badge" style="background:${STATUS_COLOURS[status] ?? '#57606a'}">${html(status)}</span>`;

const table = (headers: string[], rows: string[][], empty: string): string =>
  rows.length === 0
    ? `<p class="empty">${html(empty)}</p>`
    : `<table><thead><tr>${headers.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

export const renderLocalEventsHtml = (snapshot: LocalEventsSnapshot): string => {
  const events = table(
    ['Received', 'Type', 'Source', 'Rules → delivery', 'Detail'],
    snapshot.events.map((event) => [
      html(event.receivedAt.slice(11, 23)),
      `<code>${html(event.detailType)}</code>`,
      html(event.source),
      event.deliveries.length === 0
        ? '<span class="muted">no rule matched</span>'
        : event.deliveries
            .map(
              (d) =>
                `${html(d.rule)} ${badge(d.status)}${d.attempts > 1 ? ` <span class="muted">${d.attempts} attempts</span>` : ''}${
                  d.lastError && d.status !== 'succeeded'
                    ? `<div class="error">${html(d.lastError)}</div>`
                    : ''
                }`,
            )
            .join('<br>'),
      `<details><summary><code>${html(event.id.slice(0, 8))}</code></summary><pre>${html(
        JSON.stringify(event.detail, null, 2),
      )}</pre></details>`,
    ]),
    'No events yet. Create a customer or append a timeline entry and reload.',
  );
  const executions = table(
    ['Started', 'Workflow', 'Name', 'Status', 'States'],
    snapshot.executions.map((execution) => [
      html(execution.startDate.slice(11, 23)),
      html(execution.workflow),
      `<code>${html(execution.name)}</code>`,
      `${badge(execution.status)}${execution.error ? `<div class="error">${html(execution.error)}: ${html(execution.cause ?? '')}</div>` : ''}`,
      html(execution.states.join(' → ')),
    ]),
    'No executions yet.',
  );
  const dlq = table(
    ['At', 'Rule', 'Target', 'Event', 'Attempts', 'Error'],
    snapshot.dlq.map((entry) => [
      html(entry.at.slice(11, 23)),
      html(entry.rule),
      html(entry.target),
      `<code>${html(entry.detailType)}</code> ${html(entry.eventId.slice(0, 8))}`,
      html(entry.attempts),
      `<span class="error">${html(entry.error)}</span>`,
    ]),
    'Empty.',
  );
  const skipped = snapshot.streams
    ? table(
        ['At', 'Sequence numbers', 'Error'],
        snapshot.streams.skipped.map((entry) => [
          html(entry.at.slice(11, 23)),
          html(entry.sequenceNumbers.join(', ')),
          `<span class="error">${html(entry.error)}</span>`,
        ]),
        'None.',
      )
    : '<p class="empty">The stream poller is not running.</p>';
  const rules = snapshot.bus
    ? `<p class="muted">Bus <code>${html(snapshot.bus.name)}</code> at ${html(snapshot.bus.endpoint)} · rules: ${snapshot.bus.rules
        .map((rule) => `<code>${html(rule.name)}</code> → ${html(rule.target)}`)
        .join(' · ')}</p>`
    : '<p class="empty">The local bus is not running.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relay local events</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:.9em}pre{max-width:60ch;overflow:auto;font-size:12px}
.badge{color:#fff;border-radius:1em;padding:0 .55em;font-size:.8em}.muted,.empty{color:#57606a}.error{color:#cf222e;font-size:.85em}
</style></head><body>
<h1>Relay local events</h1>
<p class="muted">Generated ${html(snapshot.generatedAt)} · <a href="?format=json">JSON</a>${
    snapshot.mailViewerUrl ? ` · <a href="${html(snapshot.mailViewerUrl)}">mail viewer</a>` : ''
  } · reload to refresh</p>
${rules}
<h2>Bus events (newest first)</h2>${events}
<h2>Step Functions executions</h2>${executions}
<h2>Bus DLQ (targets that failed after retries)</h2>${dlq}
<h2>Stream records skipped after retries</h2>${skipped}
</body></html>`;
};
