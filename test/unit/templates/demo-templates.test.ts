/** The seed's demo templates pass the same validation as the API, with and without the tier attribute. */
import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed';
import { TemplateCreate } from '#shared/domain/templates/schemas';
import { validateContent } from '#shared/domain/templates/service';

describe('Seed: demo templates', () => {
  it.each([
    ['with the loyaltyTier attribute', new Set(['loyaltyTier'])],
    ['without custom attributes', new Set<string>()],
  ])('are one marketing and one transactional template that validate %s', (_what, attributes) => {
    // Act
    const templates = demoTemplates(attributes).map((input) => TemplateCreate.parse(input));

    // Assess
    expect(templates.map((t) => t.kind)).toEqual(['marketing', 'transactional']);
    for (const template of templates) expect(() => validateContent(template, attributes)).not.toThrow();
    expect(templates[0]?.html.includes('attributes.loyaltyTier')).toBe(attributes.has('loyaltyTier'));
  });
});
