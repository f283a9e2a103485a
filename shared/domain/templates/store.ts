/** The template repository port; `shared/db/template-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Template, TemplateVersion } from '#shared/domain/templates/schemas';

export interface TemplateStore {
  /** Stores a new template and its version 1 (409 when the name is taken). */
  create(template: Template, first: TemplateVersion): Promise<void>;
  get(id: string): Promise<Template | undefined>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Template>>;
  getVersion(id: string, contentVersion: number): Promise<TemplateVersion | undefined>;
  /**
   * Replaces `previous` by `next` if it is still at `previous.version` (412), with `added` as a
   * new immutable version when the content changed; a new name claims its guard (409).
   */
  update(next: Template, previous: Template, added?: TemplateVersion): Promise<void>;
  /** Deletes the template if still at `template.version` (412), its name guard and its versions. */
  remove(template: Template): Promise<void>;
}

/** The mail service's copy of each version (SES v2 templates; `shared/aws/ses.ts`). */
export interface TemplatePublisher {
  /** Creates the SES template `name`; `already-exists` when it does. */
  publish(name: string, content: TemplateVersion): Promise<'created' | 'already-exists'>;
  /** Deletes the SES template `name`; a missing one is fine. */
  unpublish(name: string): Promise<void>;
}
