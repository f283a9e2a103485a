/**
 * Route manifest of the templates capability: email templates (SES v2), their immutable versions
 * and previews. The area function (`functions/http/templates/index.ts`) imports this file and
 * nothing of the other capabilities. Templates have no owner: every audience writer may change any.
 */
import {
  Template,
  TemplateCreate,
  TemplateIdPath,
  TemplateListQuery,
  TemplatePage,
  TemplatePatch,
  TemplatePreview,
  TemplatePreviewRequest,
  TemplateVersion,
  TemplateVersionPath,
} from '#shared/domain/templates/schemas';
import { route, routeLookup } from '#shared/http/route';

export const templatesRoutes = [
  route({
    id: 'createTemplate',
    method: 'POST',
    path: '/templates',
    area: 'templates',
    scope: 'audience.write',
    summary: 'Create an email template (version 1, also created as an SES template)',
    tag: 'Templates',
    request: { body: TemplateCreate },
    example: {
      name: 'Monthly newsletter',
      kind: 'marketing',
      subject: 'News for {{firstName}}',
      html: '<p>Hi {{firstName}}, your plan: {{attributes.plan}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
      text: 'Hi {{firstName}}, your plan: {{attributes.plan}}\nUnsubscribe: {{unsubscribeUrl}}',
      defaults: { firstName: 'there' },
    },
    response: { status: 201, schema: Template },
    idempotent: true,
  }),
  route({
    id: 'listTemplates',
    method: 'GET',
    path: '/templates',
    area: 'templates',
    scope: 'audience.read',
    summary: 'List email templates (latest versions), newest first',
    tag: 'Templates',
    request: { query: TemplateListQuery },
    response: { status: 200, schema: TemplatePage },
  }),
  route({
    id: 'getTemplate',
    method: 'GET',
    path: '/templates/{id}',
    area: 'templates',
    scope: 'audience.read',
    summary: 'Get an email template (its latest version)',
    tag: 'Templates',
    request: { params: TemplateIdPath },
    response: { status: 200, schema: Template },
  }),
  route({
    id: 'updateTemplate',
    method: 'PATCH',
    path: '/templates/{id}',
    area: 'templates',
    scope: 'audience.write',
    summary:
      'Update an email template (a content change is a new version; optimistic locking with If-Match or version)',
    tag: 'Templates',
    request: { params: TemplateIdPath, body: TemplatePatch },
    example: { subject: 'Your news, {{firstName}}' },
    response: { status: 200, schema: Template },
    versioned: true,
  }),
  route({
    id: 'deleteTemplate',
    method: 'DELETE',
    path: '/templates/{id}',
    area: 'templates',
    scope: 'audience.write',
    summary: 'Delete an email template, its versions and their SES templates',
    tag: 'Templates',
    request: { params: TemplateIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'getTemplateVersion',
    method: 'GET',
    path: '/templates/{id}/versions/{version}',
    area: 'templates',
    scope: 'audience.read',
    summary: 'Get one immutable content version of an email template (what a campaign pins)',
    tag: 'Templates',
    request: { params: TemplateVersionPath },
    response: { status: 200, schema: TemplateVersion },
  }),
  route({
    id: 'previewTemplate',
    method: 'POST',
    path: '/templates/{id}/preview',
    area: 'templates',
    scope: 'audience.read',
    summary: 'Render a template for a customer (needs customers.read too) or sample data, with its defaults',
    tag: 'Templates',
    request: { params: TemplateIdPath, body: TemplatePreviewRequest },
    example: { data: { firstName: 'Ada', attributes: { plan: 'pro' } } },
    response: { status: 200, schema: TemplatePreview },
    // Every POST honours Idempotency-Key; a replayed preview answers what the first one rendered.
    idempotent: true,
  }),
] as const;

/** Typed lookup of one templates route by id (for `httpRoute`). */
export const templateRoute = routeLookup(templatesRoutes);
