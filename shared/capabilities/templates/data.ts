/** The templates capability's data: no events of its own; the erasure rules of its item types. */
import { defineCapabilityData } from '#shared/capabilities/capability-data';

export const templatesData = defineCapabilityData({
  name: 'templates',
  events: [],
  streamMappers: {},
  items: {
    template: {
      description: 'Email template (latest content)',
      erasure: {
        kind: 'none',
        reason: 'marketing copy written by staff: placeholders name fields, never a customer’s values',
      },
    },
    templateVersion: {
      description: 'Immutable email template version',
      erasure: {
        kind: 'none',
        reason: 'marketing copy written by staff: placeholders name fields, never a customer’s values',
      },
    },
    templateName: {
      description: 'Unique-name guard of an email template',
      erasure: { kind: 'none', reason: 'holds a template name and id only' },
    },
  },
});
