/**
 * Object-level access rules (route scopes are checked at the edge; these check the record).
 * Admins may do anything. Other writers may change a record only when they own it or it has no
 * owner, delete (and restore) only records they own, and never assign owners: a record a non-admin
 * creates is theirs, and only an admin gives a record an owner afterwards (README, "Auth": the role table).
 */
import type { Caller } from '#shared/auth/claims';
import { ForbiddenError } from '#shared/errors';

export interface Owned {
  ownerId?: string | undefined;
}

export const assertCanModify = (caller: Caller, record: Owned, what: string): void => {
  if (caller.isAdmin) return;
  if (record.ownerId !== undefined && record.ownerId !== caller.sub) {
    throw new ForbiddenError(
      `This ${what} belongs to another owner; only the owner or an admin can change it.`,
    );
  }
};

/**
 * Deleting (to the recycle bin) and restoring: admins any record; other roles that may delete only
 * records they own — an unowned record is an admin's to delete.
 */
export const assertCanDelete = (caller: Caller, record: Owned, what: string): void => {
  if (caller.isAdmin) return;
  if (record.ownerId === undefined || record.ownerId !== caller.sub) {
    throw new ForbiddenError(`Only the owner of this ${what} or an admin can delete or restore it.`);
  }
};

const assignError = () =>
  new ForbiddenError('Only admins assign owners.', {
    errors: [{ path: 'body.ownerId', message: 'only admins assign owners', code: 'forbidden_field' }],
  });

/**
 * The owner of a new record: a non-admin's record is their own (they may name only themselves);
 * an admin's is whoever they name, or nobody.
 */
export const ownerOnCreate = (caller: Caller, requested: string | undefined): string | undefined => {
  if (caller.isAdmin) return requested;
  if (requested === undefined || requested === caller.sub) return caller.sub;
  throw assignError();
};

/**
 * The owner after an update: unchanged unless the patch names one, and only admins assign owners
 * (a non-admin editing an unowned record leaves it unowned; naming the current owner is a no-op).
 */
export const ownerOnUpdate = (
  caller: Caller,
  requested: string | undefined,
  current: string | undefined,
): string | undefined => {
  if (requested === undefined || requested === current) return current;
  if (caller.isAdmin) return requested;
  throw assignError();
};
