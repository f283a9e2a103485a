import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const companyPurged = defineEvent({
  detailType: 'company.purged',
  source: 'relay.companies',
  version: 1,
  description:
    'A company was removed for good: its recycle-bin window passed (the hourly sweeper removed the profile and its domain guard).',
  producer: 'functions/streams/publish-domain-events.ts (company profile removed)',
  data: { companyId: Id },
});
