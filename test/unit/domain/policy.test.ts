/** Ownership rules: who may change, delete and assign records (shared/domain/policy.ts). */
import { describe, expect, it } from 'vitest';
import type { Caller } from '#shared/auth/claims';
import type { Role } from '#shared/auth/roles';
import { assertCanDelete, assertCanModify, ownerOnCreate, ownerOnUpdate } from '#shared/domain/policy';
import { ForbiddenError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';

const callerOf = (role: Role, sub = `${role}-1`): Caller => ({
  sub,
  roles: [role],
  scopes: new Set(),
  isAdmin: role === 'admin',
});

const sales = callerOf('sales');
const admin = callerOf('admin');

describe('Function: assertCanModify', () => {
  it.each([
    ['own', { ownerId: sales.sub }],
    ['unowned', {}],
  ])('lets a non-admin change an %s record', (_, record) => {
    // Act
    const act = () => assertCanModify(sales, record, 'customer');

    // Assess
    expect(act).not.toThrow();
  });

  it('forbids a non-admin to change a record someone else owns, and lets an admin', () => {
    // Prepare
    const record = { ownerId: 'sales-2' };

    // Act
    const error = thrownBy(() => assertCanModify(sales, record, 'customer'));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(() => assertCanModify(admin, record, 'customer')).not.toThrow();
  });
});

describe('Function: assertCanDelete', () => {
  it('lets a non-admin delete (or restore) only a record they own', () => {
    // Act
    const own = () => assertCanDelete(sales, { ownerId: sales.sub }, 'company');
    const foreign = thrownBy(() => assertCanDelete(sales, { ownerId: 'sales-2' }, 'company'));
    const unowned = thrownBy(() => assertCanDelete(sales, {}, 'company'));

    // Assess
    expect(own).not.toThrow();
    expect(foreign).toBeInstanceOf(ForbiddenError);
    expect(unowned).toBeInstanceOf(ForbiddenError);
  });

  it.each([{ ownerId: 'sales-2' }, {}])('lets an admin delete any record (%o)', (record) => {
    // Act
    const act = () => assertCanDelete(admin, record, 'customer');

    // Assess
    expect(act).not.toThrow();
  });
});

describe('Function: ownerOnCreate', () => {
  it('makes a non-admin the owner of what they create, naming themselves or nobody', () => {
    // Act
    const implicit = ownerOnCreate(sales, undefined);
    const explicit = ownerOnCreate(sales, sales.sub);

    // Assess
    expect(implicit).toBe(sales.sub);
    expect(explicit).toBe(sales.sub);
  });

  it('forbids a non-admin to create a record for another owner', () => {
    // Act
    const error = thrownBy(() => ownerOnCreate(sales, 'sales-2'));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).errors?.[0]?.path).toBe('body.ownerId');
  });

  it('gives an admin’s record the owner they name, or none', () => {
    // Act / Assess
    expect(ownerOnCreate(admin, 'sales-2')).toBe('sales-2');
    expect(ownerOnCreate(admin, undefined)).toBeUndefined();
  });
});

describe('Function: ownerOnUpdate', () => {
  it('keeps an unowned record unowned when a non-admin edits it', () => {
    // Act
    const owner = ownerOnUpdate(sales, undefined, undefined);

    // Assess
    expect(owner).toBeUndefined();
  });

  it('keeps the owner when the patch names none or the current one', () => {
    // Act / Assess
    expect(ownerOnUpdate(sales, undefined, sales.sub)).toBe(sales.sub);
    expect(ownerOnUpdate(sales, sales.sub, sales.sub)).toBe(sales.sub);
  });

  it.each([
    ['claims an unowned record', undefined, sales.sub],
    ['hands an own record to someone else', sales.sub, 'sales-2'],
  ])('forbids a non-admin who %s', (_, current, requested) => {
    // Act
    const error = thrownBy(() => ownerOnUpdate(sales, requested, current));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('lets an admin assign any owner', () => {
    // Act / Assess
    expect(ownerOnUpdate(admin, 'sales-2', undefined)).toBe('sales-2');
    expect(ownerOnUpdate(admin, 'sales-3', 'sales-2')).toBe('sales-3');
  });
});
