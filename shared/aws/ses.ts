/**
 * The SES v2 client, created once per container with short timeouts, and the template publisher:
 * each template version becomes one SES template. The endpoint comes from `AWS_ENDPOINT_URL_SESV2`
 * when set (the local cloud's aws-ses-v2-local), with no plumbing here.
 */
import {
  AlreadyExistsException,
  CreateEmailTemplateCommand,
  DeleteEmailTemplateCommand,
  NotFoundException,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import type { TemplatePublisher } from '#shared/domain/templates/store';

let client: SESv2Client | undefined;

export const sesClient = (): SESv2Client => {
  client ??= new SESv2Client({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return client;
};

const named = (error: unknown, name: string): boolean =>
  (error as { name?: string } | undefined)?.name === name;
/** A 404 without an error type (aws-ses-v2-local answers a missing template so) is a missing template too. */
const isNotFound = (error: unknown): boolean =>
  error instanceof NotFoundException ||
  named(error, 'NotFoundException') ||
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 404;

export const sesTemplatePublisher = (ses: SESv2Client): TemplatePublisher => ({
  async publish(name, content) {
    try {
      await ses.send(
        new CreateEmailTemplateCommand({
          TemplateName: name,
          TemplateContent: { Subject: content.subject, Html: content.html, Text: content.text },
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof AlreadyExistsException || named(error, 'AlreadyExistsException'))
        return 'already-exists';
      throw error;
    }
  },
  async unpublish(name) {
    try {
      await ses.send(new DeleteEmailTemplateCommand({ TemplateName: name }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  },
});
