/**
 * Email template use cases: create, read, list, update (a content change is a new immutable
 * version), delete, and preview. Persistence behind `TemplateStore`; every version is also an SES
 * template (`TemplatePublisher`), created BEFORE the version is stored, so a stored version always
 * has its SES template (a failed store write deletes the SES template again). docs/templates.md.
 */
import type { Caller } from '#shared/auth/claims';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion, changedConcurrently } from '#shared/domain/common/records';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { CustomerStore } from '#shared/domain/customers/store';
import type { SettingsStore } from '#shared/domain/settings/store';
import {
  checkPart,
  isKnownPlaceholder,
  linkPlaceholders,
  missingIn,
  PREVIEW_PREFERENCES_URL,
  PREVIEW_UNSUBSCRIBE_URL,
  type RenderData,
  renderPart,
  withDefaults,
} from '#shared/domain/templates/placeholders';
import {
  contentFields,
  type Template,
  type TemplateContent,
  type TemplateCreate,
  type TemplatePatch,
  type TemplatePreview,
  type TemplatePreviewRequest,
  type TemplateVersion,
} from '#shared/domain/templates/schemas';
import type { TemplatePublisher, TemplateStore } from '#shared/domain/templates/store';
import { type FieldError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors';

export interface TemplateDeps {
  templates: TemplateStore;
  publisher: TemplatePublisher;
  /** Custom attribute definitions: `{{attributes.<name>}}` must name one. */
  settings: SettingsStore;
  clock: Clock;
  /** Deployment stage: part of every SES template name. */
  stage: string;
}

/** What a preview for a real customer reads. */
export interface TemplatePreviewDeps extends TemplateDeps {
  customers: CustomerStore;
  companies: CompanyStore;
}

const notFound = () => new NotFoundError('Template not found.');
const templateParts = ['subject', 'html', 'text'] as const;

/** The SES template name of one version: `relay-<stage>-<templateId>-v<version>`. */
export const sesTemplateName = (stage: string, templateId: string, contentVersion: number): string =>
  `relay-${stage}-${templateId}-v${contentVersion}`;

/**
 * 400 unless every part parses, names only known placeholders and allowed helpers, every default
 * names a known placeholder, and a marketing template links `{{unsubscribeUrl}}` in html and text.
 */
export const validateContent = (content: TemplateContent, attributeNames?: ReadonlySet<string>): void => {
  const errors: FieldError[] = [];
  const used: Record<string, Set<string>> = {};
  for (const part of templateParts) {
    const check = checkPart(part, content[part], attributeNames);
    errors.push(...check.errors);
    used[part] = check.used;
  }
  for (const name of Object.keys(content.defaults)) {
    if (!isKnownPlaceholder(name, attributeNames) || (linkPlaceholders as readonly string[]).includes(name)) {
      errors.push({
        path: `body.defaults.${name}`,
        code: 'unknown_placeholder',
        message: `no default can be set for ${name} (not a placeholder, or a link the sender fills)`,
      });
    }
  }
  if (content.kind === 'marketing') {
    for (const part of ['html', 'text'] as const) {
      if (!used[part]?.has('unsubscribeUrl')) {
        errors.push({
          path: `body.${part}`,
          code: 'unsubscribe_link_required',
          message: 'a marketing template links {{unsubscribeUrl}} in its html and its text',
        });
      }
    }
  }
  if (errors.length > 0) {
    throw new ValidationError('The template is not valid; see errors for each part and position.', {
      errors,
    });
  }
};

const attributeNamesOf = async (deps: TemplateDeps): Promise<Set<string>> =>
  new Set((await deps.settings.attributeDefinitions()).definitions.map((definition) => definition.name));

const contentOf = (source: TemplateContent): TemplateContent => ({
  kind: source.kind,
  subject: source.subject,
  html: source.html,
  text: source.text,
  defaults: source.defaults,
});

const sameContent = (a: TemplateContent, b: TemplateContent): boolean =>
  contentFields.every((field) =>
    field === 'defaults'
      ? JSON.stringify(Object.entries(a.defaults).sort()) ===
        JSON.stringify(Object.entries(b.defaults).sort())
      : a[field] === b[field],
  );

/** Publishes the version to SES, runs `write`, and deletes the SES template again if `write` fails. */
const publishThen = async (deps: TemplateDeps, version: TemplateVersion, write: () => Promise<void>) => {
  const published = await deps.publisher.publish(version.sesTemplateName, version);
  // Two writers raced for the same next version: the other one holds it.
  if (published === 'already-exists') throw changedConcurrently('template');
  try {
    await write();
  } catch (error) {
    await deps.publisher.unpublish(version.sesTemplateName);
    throw error;
  }
};

export const createTemplate = async (deps: TemplateDeps, input: TemplateCreate): Promise<Template> => {
  const content = contentOf(input);
  validateContent(content, await attributeNamesOf(deps));
  const now = deps.clock.now().toISOString();
  const id = deps.clock.newId();
  const name = sesTemplateName(deps.stage, id, 1);
  const version: TemplateVersion = {
    ...content,
    templateId: id,
    contentVersion: 1,
    sesTemplateName: name,
    createdAt: now,
  };
  const template: Template = {
    ...content,
    id,
    name: input.name,
    description: input.description,
    contentVersion: 1,
    sesTemplateName: name,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await publishThen(deps, version, () => deps.templates.create(template, version));
  return template;
};

export const getTemplate = async (deps: Pick<TemplateDeps, 'templates'>, id: string): Promise<Template> => {
  const template = await deps.templates.get(id);
  if (!template) throw notFound();
  return template;
};

export const getTemplateVersion = async (
  deps: Pick<TemplateDeps, 'templates'>,
  id: string,
  contentVersion: number,
): Promise<TemplateVersion> => {
  const version = await deps.templates.getVersion(id, contentVersion);
  if (!version) throw new NotFoundError(`Template ${id} has no version ${contentVersion}.`);
  return version;
};

export const listTemplates = (
  deps: Pick<TemplateDeps, 'templates'>,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Template>> => deps.templates.list(query);

export const updateTemplate = async (
  deps: TemplateDeps,
  id: string,
  patch: TemplatePatch,
  expectedVersion: number,
): Promise<Template> => {
  const current = await getTemplate(deps, id);
  assertVersion('template', current, expectedVersion);
  const content: TemplateContent = {
    kind: patch.kind ?? current.kind,
    subject: patch.subject ?? current.subject,
    html: patch.html ?? current.html,
    text: patch.text ?? current.text,
    defaults: patch.defaults ?? current.defaults,
  };
  const contentChanged = !sameContent(content, current);
  const name = patch.name ?? current.name;
  const description = patch.description === null ? undefined : (patch.description ?? current.description);
  if (!contentChanged && name === current.name && description === current.description) return current;
  const now = deps.clock.now().toISOString();
  if (!contentChanged) {
    const next: Template = { ...current, name, description, updatedAt: now, version: current.version + 1 };
    await deps.templates.update(next, current);
    return next;
  }
  validateContent(content, await attributeNamesOf(deps));
  const contentVersion = current.contentVersion + 1;
  const sesName = sesTemplateName(deps.stage, id, contentVersion);
  const added: TemplateVersion = {
    ...content,
    templateId: id,
    contentVersion,
    sesTemplateName: sesName,
    createdAt: now,
  };
  const next: Template = {
    ...current,
    ...content,
    name,
    description,
    contentVersion,
    sesTemplateName: sesName,
    updatedAt: now,
    version: current.version + 1,
  };
  await publishThen(deps, added, () => deps.templates.update(next, current, added));
  return next;
};

/** Deletes the template and its versions, then their SES templates (a failed SES delete leaves an unused one). */
export const deleteTemplate = async (
  deps: TemplateDeps,
  id: string,
  expectedVersion: number,
): Promise<void> => {
  const template = await getTemplate(deps, id);
  assertVersion('template', template, expectedVersion);
  await deps.templates.remove(template);
  await Promise.allSettled(
    Array.from({ length: template.contentVersion }, (_, index) =>
      deps.publisher.unpublish(sesTemplateName(deps.stage, id, index + 1)),
    ),
  );
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `over` laid over `base`, nested objects merged key by key. */
const merged = (base: RenderData, over: RenderData): RenderData => {
  const out: RenderData = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    // Defined, not assigned: a `__proto__` key in sample data stays a plain (unused) key.
    Object.defineProperty(out, key, {
      value: isRecord(current) && isRecord(value) ? merged(current, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/** A customer's placeholder values (the declared customer fields, attributes, company name). */
const customerData = async (deps: TemplatePreviewDeps, customerId: string): Promise<RenderData> => {
  const customer = await deps.customers.get(customerId);
  if (!customer || customer.deletedAt !== undefined) throw new NotFoundError('Customer not found.');
  const company = customer.companyId ? await deps.companies.get(customer.companyId) : undefined;
  return {
    firstName: customer.firstName,
    lastName: customer.lastName,
    primaryEmail: customer.primaryEmail,
    jobTitle: customer.jobTitle,
    lifecycleStage: customer.lifecycleStage,
    timezone: customer.timezone,
    locale: customer.locale,
    attributes: customer.attributes,
    company: company && company.deletedAt === undefined ? { name: company.name } : {},
  };
};

/**
 * Renders a version (the latest unless pinned) for a customer (the caller needs customers.read)
 * or for sample data, with the template's defaults for missing values and fake links.
 */
export const previewTemplate = async (
  deps: TemplatePreviewDeps,
  caller: Caller,
  id: string,
  request: TemplatePreviewRequest,
): Promise<TemplatePreview> => {
  const template = await getTemplate(deps, id);
  const content: TemplateContent & { contentVersion: number } =
    request.version === undefined || request.version === template.contentVersion
      ? template
      : await getTemplateVersion(deps, id, request.version);
  let data: RenderData = {};
  if (request.customerId !== undefined) {
    if (!caller.scopes.has('customers.read')) {
      throw new ForbiddenError('Previewing for a customer needs the customers.read scope.');
    }
    data = await customerData(deps, request.customerId);
  }
  data = withDefaults(merged(data, request.data ?? {}), content.defaults);
  data = merged(data, { unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL, preferencesUrl: PREVIEW_PREFERENCES_URL });
  const used = new Set<string>();
  for (const part of templateParts) for (const name of checkPart(part, content[part]).used) used.add(name);
  return {
    templateId: id,
    contentVersion: content.contentVersion,
    subject: renderPart(content.subject, data),
    html: renderPart(content.html, data),
    text: renderPart(content.text, data),
    missing: missingIn(data, used).sort(),
  };
};
