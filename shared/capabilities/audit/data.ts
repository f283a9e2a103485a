/** The audit capability's data: no events; the erasure rule of the audit entry. */
import { defineCapabilityData } from '#shared/capabilities/capability-data';

export const auditData = defineCapabilityData({
  name: 'audit',
  events: [],
  streamMappers: {},
  items: {
    auditEntry: {
      description: 'Audit log entry (who changed what and when)',
      erasure: {
        kind: 'none',
        reason:
          'ids, the action and changed field NAMES with the staff user’s sub, role and IP: no customer values; kept after an erasure as the record that it happened (ADR 0009)',
      },
    },
  },
});
