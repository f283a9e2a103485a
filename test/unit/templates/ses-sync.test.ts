/**
 * The SES copy of template versions (aws-sdk-client-mock): the CreateEmailTemplate call and its
 * name, AlreadyExists and NotFound handling, and the order of writes — SES first, and its template
 * deleted again when storing the version fails, so a stored version always has its SES template.
 */
import {
  AlreadyExistsException,
  CreateEmailTemplateCommand,
  DeleteEmailTemplateCommand,
  NotFoundException,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sesTemplatePublisher } from '#shared/aws/ses';
import type { Template } from '#shared/domain/templates/schemas';
import {
  createTemplate,
  previewTemplate,
  type TemplateDeps,
  updateTemplate,
} from '#shared/domain/templates/service';
import type { TemplateStore } from '#shared/domain/templates/store';
import { ConflictError, ForbiddenError, PreconditionFailedError } from '#shared/errors';
import { rejectionOf } from '#test/unit/support/errors';

const ses = mockClient(SESv2Client);
const ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const NOW = new Date('2026-12-01T10:00:00.000Z');

const content = {
  kind: 'transactional' as const,
  subject: 'Receipt for {{firstName}}',
  html: '<p>Thanks {{firstName}}</p>',
  text: 'Thanks {{firstName}}',
  defaults: {},
};

const stored: Template = {
  ...content,
  id: ID,
  name: 'Receipt',
  contentVersion: 1,
  sesTemplateName: `relay-dev-${ID}-v1`,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  version: 1,
};

/** A store whose writes fail with `failure` (the fault under test); reads return `stored`. */
const storeFailingWith = (failure?: Error): TemplateStore => ({
  create: async () => {
    if (failure) throw failure;
  },
  update: async () => {
    if (failure) throw failure;
  },
  get: async () => stored,
  list: async () => ({ items: [stored], nextCursor: null }),
  getVersion: async () => undefined,
  remove: async () => {},
});

const depsWith = (templates: TemplateStore): TemplateDeps => ({
  templates,
  publisher: sesTemplatePublisher(new SESv2Client({ region: 'eu-west-1' })),
  settings: {
    attributeDefinitions: async () => ({ definitions: [], version: 0 }) as never,
    putAttributeDefinitions: async () => {
      throw new Error('not used');
    },
  },
  clock: { now: () => NOW, newId: () => ID },
  stage: 'dev',
});

beforeEach(() => {
  ses.reset();
});

describe('SES sync of template versions', () => {
  it('creates the SES template relay-<stage>-<id>-v1 with the parts of the version', async () => {
    // Prepare
    ses.on(CreateEmailTemplateCommand).resolves({});

    // Act
    const template = await createTemplate(depsWith(storeFailingWith()), { ...content, name: 'Receipt' });

    // Assess
    expect(template.sesTemplateName).toBe(`relay-dev-${ID}-v1`);
    expect(ses.commandCalls(CreateEmailTemplateCommand).map((call) => call.args[0].input)).toEqual([
      {
        TemplateName: `relay-dev-${ID}-v1`,
        TemplateContent: { Subject: content.subject, Html: content.html, Text: content.text },
      },
    ]);
  });

  it('deletes the SES template again when storing the version fails (a duplicate name)', async () => {
    // Prepare
    ses.on(CreateEmailTemplateCommand).resolves({});
    ses.on(DeleteEmailTemplateCommand).resolves({});

    // Act
    const error = await rejectionOf(
      createTemplate(depsWith(storeFailingWith(new ConflictError('taken'))), { ...content, name: 'Receipt' }),
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(ses.commandCalls(DeleteEmailTemplateCommand).map((call) => call.args[0].input)).toEqual([
      { TemplateName: `relay-dev-${ID}-v1` },
    ]);
  });

  it('answers 412 when the next version exists in SES already (a concurrent edit), storing nothing', async () => {
    // Prepare
    ses
      .on(CreateEmailTemplateCommand)
      .rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    let updates = 0;
    const store: TemplateStore = {
      ...storeFailingWith(),
      update: async () => {
        updates++;
      },
    };

    // Act
    const error = await rejectionOf(updateTemplate(depsWith(store), ID, { subject: 'New {{firstName}}' }, 1));

    // Assess
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(updates).toBe(0);
    expect(ses.commandCalls(CreateEmailTemplateCommand)[0]?.args[0].input.TemplateName).toBe(
      `relay-dev-${ID}-v2`,
    );
    expect(ses.commandCalls(DeleteEmailTemplateCommand)).toHaveLength(0);
  });

  it('does not touch SES for a rename', async () => {
    // Act
    const renamed = await updateTemplate(depsWith(storeFailingWith()), ID, { name: 'Receipts' }, 1);

    // Assess
    expect(renamed).toMatchObject({ name: 'Receipts', contentVersion: 1, version: 2 });
    expect(ses.calls()).toHaveLength(0);
  });

  it('treats a missing SES template as deleted and rethrows other SES errors', async () => {
    // Prepare
    const publisher = sesTemplatePublisher(new SESv2Client({ region: 'eu-west-1' }));
    ses
      .on(DeleteEmailTemplateCommand, { TemplateName: 'gone' })
      .rejects(new NotFoundException({ message: 'missing', $metadata: {} }))
      .on(DeleteEmailTemplateCommand, { TemplateName: 'broken' })
      .rejects(new Error('throttled'));

    // Act
    const gone = await publisher.unpublish('gone');
    const broken = await rejectionOf(publisher.unpublish('broken'));

    // Assess
    expect(gone).toBeUndefined();
    expect((broken as Error).message).toBe('throttled');
  });
});

describe('Preview data', () => {
  it('never fills a placeholder from a __proto__ key of sample data', async () => {
    // Prepare
    const deps = { ...depsWith(storeFailingWith()), customers: {} as never, companies: {} as never };
    const caller = { sub: 'u', roles: [], scopes: new Set(), isAdmin: false } as never;

    // Act
    const preview = await previewTemplate(deps, caller, ID, {
      data: JSON.parse('{"__proto__": {"firstName": "Polluted"}}') as Record<string, unknown>,
    });

    // Assess
    expect(preview.subject).toBe('Receipt for ');
    expect(preview.missing).toEqual(['firstName']);
  });

  it('needs customers.read to preview for a customer', async () => {
    // Prepare
    const deps = { ...depsWith(storeFailingWith()), customers: {} as never, companies: {} as never };
    const caller = { sub: 'u', roles: [], scopes: new Set(['audience.read']), isAdmin: false } as never;

    // Act
    const error = await rejectionOf(previewTemplate(deps, caller, ID, { customerId: ID }));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
