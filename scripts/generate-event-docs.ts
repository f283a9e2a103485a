/**
 * Writes docs/events.md from the event catalog, the rules manifest and the fixtures
 * (`npm run docs:events`). The contract test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { EVENTS_DOC_PATH, renderEventsDoc } from '#events/docs';

writeFileSync(new URL(`../${EVENTS_DOC_PATH}`, import.meta.url), renderEventsDoc());
process.stdout.write(`wrote ${EVENTS_DOC_PATH}\n`);
