/**
 * Template placeholders: the Handlebars AST check (known names, allowed block helpers, positions,
 * syntax errors), the content rules (defaults, the unsubscribe link of marketing templates) and
 * rendering with defaults and Handlebars' HTML escaping.
 */
import { describe, expect, it } from 'vitest';
import { templateKey, templateVersionKey, uniqueTemplateNameKey } from '#shared/db/keys';
import {
  checkPart,
  isKnownPlaceholder,
  missingIn,
  renderPart,
  withDefaults,
} from '#shared/domain/templates/placeholders';
import type { TemplateContent } from '#shared/domain/templates/schemas';
import { sesTemplateName, validateContent } from '#shared/domain/templates/service';
import { ValidationError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';

const marketing: TemplateContent = {
  kind: 'marketing',
  subject: 'News for {{firstName}}',
  html: '<p>Hi {{firstName}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
  text: 'Hi {{firstName}}\nUnsubscribe: {{unsubscribeUrl}}',
  defaults: { firstName: 'there' },
};

describe('Module: template placeholders', () => {
  describe('Function: isKnownPlaceholder', () => {
    it('accepts the declared names and defined attributes only', () => {
      // Prepare
      const attributes = new Set(['plan']);

      // Assess
      expect(isKnownPlaceholder('firstName', attributes)).toBe(true);
      expect(isKnownPlaceholder('company.name', attributes)).toBe(true);
      expect(isKnownPlaceholder('unsubscribeUrl', attributes)).toBe(true);
      expect(isKnownPlaceholder('attributes.plan', attributes)).toBe(true);
      expect(isKnownPlaceholder('attributes.tier', attributes)).toBe(false);
      expect(isKnownPlaceholder('attributes.tier')).toBe(true);
      expect(isKnownPlaceholder('emails')).toBe(false);
      expect(isKnownPlaceholder('company.domain')).toBe(false);
    });
  });

  describe('Function: checkPart', () => {
    it('collects the placeholders of a valid part, resolving with-blocks and @root', () => {
      // Act
      const check = checkPart(
        'html',
        '{{#if firstName}}Hi {{firstName}}{{else}}Hi{{/if}} {{#with company}}{{name}}{{/with}} {{@root.lastName}} {{{preferencesUrl}}}',
      );

      // Assess
      expect(check.errors).toEqual([]);
      expect([...check.used].sort()).toEqual(['company.name', 'firstName', 'lastName', 'preferencesUrl']);
    });

    it('names the part, the line and the column of an unknown placeholder', () => {
      // Act
      const check = checkPart('html', '<p>Hello</p>\n<p>{{ nickname }}</p>');

      // Assess
      expect(check.errors).toEqual([
        {
          path: 'body.html',
          code: 'unknown_placeholder',
          message: 'unknown placeholder {{nickname}} at line 2, column 7',
        },
      ]);
    });

    it('rejects attributes that settings do not define', () => {
      // Act
      const check = checkPart('text', 'Plan: {{attributes.tier}}', new Set(['plan']));

      // Assess
      expect(check.errors.map((e) => e.message)).toEqual([
        'unknown placeholder {{attributes.tier}} at line 1, column 9',
      ]);
    });

    it('reports invalid syntax with its position', () => {
      // Act
      const check = checkPart('subject', 'Hi {{firstName}');

      // Assess
      expect(check.errors).toHaveLength(1);
      expect(check.errors[0]).toMatchObject({ path: 'body.subject', code: 'template_syntax' });
      expect(check.errors[0]?.message).toMatch(/^invalid template syntax at line 1, column \d+/);
    });

    it('reports an unclosed block as invalid syntax', () => {
      // Act
      const check = checkPart('html', 'a\n{{#if firstName}}b');

      // Assess
      expect(check.errors[0]).toMatchObject({ path: 'body.html', code: 'template_syntax' });
    });

    it.each([
      ['a custom block helper', '{{#loud firstName}}x{{/loud}}'],
      ['a helper call', '{{lookup attributes "plan"}}'],
      ['a sub-expression', '{{#if (eq firstName "a")}}x{{/if}}'],
      ['a partial', '{{> footer}}'],
      ['block parameters', '{{#each attributes as |value|}}{{value}}{{/each}}'],
    ])('rejects %s', (_what, source) => {
      // Act
      const check = checkPart('html', source);

      // Assess
      expect(check.errors.length).toBeGreaterThan(0);
      expect(check.errors.every((e) => e.path === 'body.html')).toBe(true);
      expect(check.errors.some((e) => e.code === 'helper_not_allowed')).toBe(true);
    });

    it('checks the value an each-block walks but not the fields of its items', () => {
      // Act
      const valid = checkPart('text', '{{#each attributes}}{{@key}}={{this}} {{../firstName}}{{/each}}');
      const invalid = checkPart('text', '{{#each orders}}{{total}}{{/each}}');

      // Assess
      expect(valid.errors).toEqual([]);
      expect(invalid.errors.map((e) => e.message)).toEqual([
        'unknown placeholder {{orders}} at line 1, column 9',
      ]);
    });

    it('rejects data variables outside each', () => {
      // Act
      const check = checkPart('text', '{{@index}}');

      // Assess
      expect(check.errors).toHaveLength(1);
    });
  });

  describe('Function: validateContent', () => {
    it('accepts a marketing template that links unsubscribeUrl in html and text', () => {
      // Act & Assess
      expect(() => validateContent(marketing)).not.toThrow();
    });

    it('requires the unsubscribe link in both html and text of a marketing template', () => {
      // Act
      const error = thrownBy(() => validateContent({ ...marketing, text: 'Hi {{firstName}}' }));

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        expect.objectContaining({ path: 'body.text', code: 'unsubscribe_link_required' }),
      ]);
    });

    it('lets a transactional template go without the unsubscribe link', () => {
      // Act & Assess
      expect(() =>
        validateContent({ ...marketing, kind: 'transactional', html: '<p>Receipt</p>', text: 'Receipt' }),
      ).not.toThrow();
    });

    it('collects the errors of every part and every default at once', () => {
      // Act
      const error = thrownBy(() =>
        validateContent({
          ...marketing,
          subject: '{{nope}}',
          html: '{{#if}}',
          defaults: { shoeSize: '42', unsubscribeUrl: 'https://x.example' },
        }),
      ) as ValidationError;

      // Assess
      expect(error.errors?.map((e) => e.path).sort()).toEqual([
        'body.defaults.shoeSize',
        'body.defaults.unsubscribeUrl',
        'body.html', // the syntax error
        'body.html', // and so no unsubscribe link
        'body.subject',
      ]);
    });
  });

  describe('Function: renderPart', () => {
    it('escapes values as Handlebars does, and leaves triple-stash raw', () => {
      // Act
      const html = renderPart('{{firstName}} / {{{firstName}}}', { firstName: '<b>Ada & co</b>' });

      // Assess
      expect(html).toBe('&lt;b&gt;Ada &amp; co&lt;/b&gt; / <b>Ada & co</b>');
    });

    it('fills defaults only where a value is missing', () => {
      // Prepare
      const data = withDefaults(
        { firstName: '', lastName: 'Lovelace', attributes: {} },
        { firstName: 'there', lastName: 'X', 'attributes.plan': 'free', 'company.name': 'your company' },
      );

      // Act
      const text = renderPart('{{firstName}} {{lastName}} {{attributes.plan}} {{company.name}}', data);

      // Assess
      expect(text).toBe('there Lovelace free your company');
      expect(missingIn(data, ['firstName', 'jobTitle'])).toEqual(['jobTitle']);
    });

    it('does not reach prototype properties', () => {
      // Act
      const text = renderPart('[{{firstName.constructor}}]', { firstName: 'Ada' });

      // Assess
      expect(text).toBe('[]');
    });
  });

  describe('Keys and SES names', () => {
    it('keeps templates on one partition, versions sorted by number, names unique case-insensitively', () => {
      // Assess
      expect(templateKey('01JD8X3Q9Z7N6M5K4H3G2F1E0D')).toEqual({
        pk: 'TEMPLATES',
        sk: 'TPL#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
      });
      expect(templateVersionKey('01JD8X3Q9Z7N6M5K4H3G2F1E0D', 12)).toEqual({
        pk: 'TPL#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        sk: 'TPLV#000012',
      });
      expect(uniqueTemplateNameKey(' Monthly News ')).toEqual(uniqueTemplateNameKey('monthly news'));
      expect(sesTemplateName('dev', '01JD8X3Q9Z7N6M5K4H3G2F1E0D', 3)).toBe(
        'relay-dev-01JD8X3Q9Z7N6M5K4H3G2F1E0D-v3',
      );
    });
  });
});
